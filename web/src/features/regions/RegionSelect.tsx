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
 * Picks a region of Hebei from the tree (province → city → county), each level loaded when it is
 * opened; the chosen region's ancestors are loaded first so its name shows at once.
 */
export function RegionSelect({ value, onChange, style, id }: { value?: string; onChange?: (code: string) => void; style?: CSSProperties; id?: string }) {
  const t = useT();
  const qc = useQueryClient();
  const [regions, setRegions] = useState<Region[]>([]);
  const loaded = useRef(new Set<string>());
  const initial = useRef(value);

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
      const code = initial.current;
      if (code && code !== PROVINCE) {
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

  return (
    <TreeSelect<string>
      id={id}
      showSearch={{ treeNodeFilterProp: 'title' }}
      style={{ minWidth: 200, ...style }}
      value={value}
      onChange={(v) => onChange?.(v)}
      treeDataSimpleMode={{ id: 'id', pId: 'pId', rootPId: '' }}
      treeData={treeData}
      treeDefaultExpandedKeys={[PROVINCE]}
      loadData={async (node) => {
        const code = (node as unknown as { value: string }).value;
        await load(code);
      }}
      placeholder={t('region.choose')}
      aria-label={t('region.label')}
      data-testid="region-select"
    />
  );
}
