import { useQuery } from '@tanstack/react-query';
import type { Region, RegionDetail } from '../../../../shared/contracts/regions.js';
import { api } from '../../api/client';

export type { Region, RegionDetail };

/** Children of `parent`; without it, the province. */
export async function fetchRegions(parent?: string, signal?: AbortSignal): Promise<Region[]> {
  return (await api.get<{ regions: Region[] }>('/regions', { query: { parent }, ...(signal ? { signal } : {}) })).regions;
}

export const regionKey = (code: string) => ['regions', 'detail', code] as const;
export const regionChildrenKey = (parent: string | undefined) => ['regions', 'children', parent ?? null] as const;

export function useRegion(code: string | null | undefined) {
  return useQuery({
    queryKey: regionKey(code ?? ''),
    queryFn: ({ signal }) => api.get<RegionDetail>(`/regions/${encodeURIComponent(code ?? '')}`, { signal }),
    enabled: !!code,
    staleTime: Infinity, // reference data
  });
}
