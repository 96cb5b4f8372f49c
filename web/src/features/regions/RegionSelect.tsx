import { useCallback, useEffect, useRef, useState } from 'react';
import { TreeSelect } from 'antd';
import type { CSSProperties } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useT } from '../../components/locale';
import { fetchRegions, regionChildrenKey, regionKey, type Region, type RegionDetail } from './api';

const PROVINCE = '130000';

interface Node {
  id: string;
  pId: string;
  value: string;
  title: string;
  isLeaf: boolean;
}

/**
 * The Hebei region tree for a picker, each level loaded when it is opened; the ancestors of the
 * regions chosen at first are loaded first so their names show at once.
 */
function useRegionTree(initialCodes: readonly string[]) {
  const qc = useQueryClient();
  const [regions, setRegions] = useState<Region[]>([]);
  const loaded = useRef(new Set<string>());
  const initial = useRef(initialCodes);

  const load = useCallback(
    async (parent?: string) => {
      const key = parent ?? '';
      if (loaded.current.has(key)) return;
      loaded.current.add(key);
      const rs = await qc.fetchQuery({ queryKey: regionChildrenKey(parent), queryFn: ({ signal }) => fetchRegions(parent, signal), staleTime: Infinity });
      setRegions((prev) => {
        const seen = new Set(prev.map((r) => r.code));
        return [...prev, ...rs.filter((r) => !seen.has(r.code))];
      });
    },
    [qc],
  );

  useEffect(() => {
    const start = async () => {
      await Promise.all([load(), load(PROVINCE)]);
      for (const code of initial.current) {
        if (!code || code === PROVINCE) continue;
        const detail = await qc.fetchQuery({
          queryKey: regionKey(code),
          queryFn: ({ signal }) => api.get<RegionDetail>(`/regions/${encodeURIComponent(code)}`, { signal }),
          staleTime: Infinity,
        });
        for (const p of detail.path.slice(0, -1)) await load(p.code);
      }
    };
    start().catch(() => {
      // the tree stays as far as it loaded; the select still shows the code
    });
  }, [load, qc]);

  const treeData: Node[] = regions.map((r) => ({ id: r.code, pId: r.parentCode ?? '', value: r.code, title: r.name, isLeaf: r.level === 'county' }));
  const loadData = async (node: unknown) => {
    await load((node as { value: string }).value);
  };
  return { treeData, loadData };
}

const common = {
  treeDataSimpleMode: { id: 'id', pId: 'pId', rootPId: '' },
  treeDefaultExpandedKeys: [PROVINCE],
  showSearch: { treeNodeFilterProp: 'title' },
};

/**
 * Picks a region of Hebei from the tree (province → city → county), each level loaded when it is
 * opened; the chosen region's ancestors are loaded first so its name shows at once. With
 * `allowClear`, clearing it answers ''.
 */
export function RegionSelect({ value, onChange, style, id, allowClear }: { value?: string; onChange?: (code: string) => void; style?: CSSProperties; id?: string; allowClear?: boolean }) {
  const t = useT();
  const { treeData, loadData } = useRegionTree(value ? [value] : []);
  return (
    <TreeSelect<string>
      {...common}
      id={id}
      style={{ minWidth: 200, ...style }}
      value={value || undefined}
      onChange={(v) => onChange?.(v ?? '')}
      allowClear={allowClear}
      treeData={treeData}
      loadData={loadData}
      placeholder={t('region.choose')}
      aria-label={t('region.label')}
      data-testid="region-select"
    />
  );
}

/** Several regions of Hebei from the same tree (the receiving regions of a delegation …), inside an antd Form. */
export function RegionsSelect({ value, onChange, style, id }: { value?: string[]; onChange?: (codes: string[]) => void; style?: CSSProperties; id?: string }) {
  const t = useT();
  const { treeData, loadData } = useRegionTree(value ?? []);
  return (
    <TreeSelect<string[]>
      {...common}
      id={id}
      multiple
      treeCheckable={false}
      style={{ minWidth: 200, ...style }}
      value={value}
      onChange={(v) => onChange?.(v ?? [])}
      treeData={treeData}
      loadData={loadData}
      placeholder={t('region.chooseMany')}
      aria-label={t('region.label')}
      data-testid="regions-select"
    />
  );
}
