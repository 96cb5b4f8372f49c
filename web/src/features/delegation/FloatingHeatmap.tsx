/**
 * The 权力悬浮 heat map: rows are the regions directly under the chosen one (a county's rows fold
 * into its city when the province is chosen), columns the levels 省级 / 市级 / 县级, each cell the
 * floating rows found there, coloured from pale to deep red; hovering names the kinds, a click
 * filters the list below. ECharts (tree-shaken) drawn as SVG. Loaded on demand.
 */
import { useMemo } from 'react';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import * as echarts from 'echarts/core';
import { HeatmapChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { useT } from '../../components/locale';
import type { Heatmap, RegionLevel } from './api';
import { useFloatingKindLabel } from './labels';

echarts.use([HeatmapChart, GridComponent, TooltipComponent, VisualMapComponent, SVGRenderer]);

export interface HeatCell {
  rowCode: string;
  level: RegionLevel;
}

interface Row {
  code: string;
  name: string;
}

interface Cell {
  row: number;
  col: number;
  floating: number;
  tasks: number;
  byKind: Record<string, number>;
  regions: string[];
}

const LEVELS: RegionLevel[] = ['province', 'city', 'county'];

/** The row a heat-map cell falls in: itself when it is the chosen region or directly under it, else its parent. */
export function rowOf(cell: Heatmap['cells'][number], region: string): string {
  return cell.regionCode === region || cell.parentCode === region || !cell.parentCode ? cell.regionCode : cell.parentCode;
}

export default function FloatingHeatmap({ heatmap, names, onSelect }: { heatmap: Heatmap; names: ReadonlyMap<string, string>; onSelect: (cell: HeatCell | null) => void }) {
  const t = useT();
  const kindLabel = useFloatingKindLabel();
  const { rows, cells, max } = useMemo(() => {
    const rowList: Row[] = [];
    const rowIndex = new Map<string, number>();
    const grid = new Map<string, Cell>();
    for (const c of heatmap.cells) {
      const code = rowOf(c, heatmap.region);
      let r = rowIndex.get(code);
      if (r === undefined) {
        r = rowList.length;
        rowIndex.set(code, r);
        rowList.push({ code, name: code === c.regionCode ? c.regionName : (names.get(code) ?? code) });
      }
      const col = LEVELS.indexOf(c.level);
      const key = `${r}:${col}`;
      const cell = grid.get(key) ?? { row: r, col, floating: 0, tasks: 0, byKind: {}, regions: [] };
      cell.floating += c.floating;
      cell.tasks += c.tasks;
      for (const [k, n] of Object.entries(c.byKind)) cell.byKind[k] = (cell.byKind[k] ?? 0) + n;
      cell.regions.push(c.regionName);
      grid.set(key, cell);
    }
    const list = [...grid.values()];
    return { rows: rowList, cells: list, max: Math.max(1, ...list.map((c) => c.floating)) };
  }, [heatmap, names]);

  const esc = echarts.format.encodeHTML;
  const option = {
    animation: false,
    tooltip: {
      position: 'top',
      formatter: (p: { data: [number, number, number] }) => {
        const cell = cells.find((c) => c.col === p.data[0] && c.row === p.data[1]);
        if (!cell) return '';
        const kinds = Object.entries(cell.byKind)
          .map(([k, n]) => `${esc(kindLabel(k))}：${n}`)
          .join('<br/>');
        return [
          `<b>${esc(rows[cell.row]?.name ?? '')} · ${esc(t(`level.${LEVELS[cell.col]!}`))}</b>`,
          esc(cell.regions.join('、')),
          `${esc(t('floating.floatingCount'))}：${cell.floating} · ${esc(t('floating.taskCount'))}：${cell.tasks}`,
          kinds,
        ]
          .filter(Boolean)
          .join('<br/>');
      },
    },
    grid: { left: 8, right: 16, top: 32, bottom: 64, containLabel: true },
    xAxis: { type: 'category', position: 'top', data: LEVELS.map((l) => t(`level.${l}`)), splitArea: { show: true }, axisTick: { show: false } },
    yAxis: { type: 'category', inverse: true, data: rows.map((r) => r.name), splitArea: { show: true }, axisTick: { show: false } },
    visualMap: {
      type: 'continuous',
      min: 0,
      max,
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 8,
      text: [t('floating.more'), t('floating.less')],
      inRange: { color: ['#fff7e6', '#ff7a45', '#a8071a'] },
    },
    series: [
      {
        type: 'heatmap',
        name: t('floating.heatmap'),
        data: cells.map((c) => [c.col, c.row, c.floating]),
        label: { show: true, fontSize: 14 },
        itemStyle: { borderColor: '#fff', borderWidth: 2 },
        emphasis: { itemStyle: { shadowBlur: 8, shadowColor: 'rgba(0,0,0,0.3)' } },
      },
    ],
  };

  return (
    <ReactEChartsCore
      echarts={echarts}
      option={option}
      notMerge
      opts={{ renderer: 'svg' }}
      style={{ height: Math.max(220, 80 + rows.length * 56), width: '100%' }}
      onEvents={{
        click: (p: { data?: [number, number, number] }) => {
          const cell = p.data ? cells.find((c) => c.col === p.data![0] && c.row === p.data![1]) : undefined;
          const row = cell ? rows[cell.row] : undefined;
          onSelect(cell && row ? { rowCode: row.code, level: LEVELS[cell.col]! } : null);
        },
      }}
    />
  );
}
