import { useQuery } from '@tanstack/react-query';
import type { Department, Region, RegionDetail } from '../../../../shared/contracts/regions.js';
import { api } from '../../api/client';

export type { Department, Region, RegionDetail };

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

/** The departments of a region (for a transfer, a filter). */
export function useDepartments(region: string | undefined) {
  return useQuery({
    queryKey: ['regions', 'departments', region],
    queryFn: ({ signal }) => api.get<{ departments: Department[] }>('/departments', { query: { region }, signal }),
    enabled: !!region,
    staleTime: 10 * 60_000,
  });
}
