import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { ApplicantKind, Guide, Implementation, ItemSearchResult, ItemType, LifeEvent, StandardisationReport } from '../../../../shared/contracts/catalogue.js';
import { api } from '../../api/client';

export type { ApplicantKind, Guide, Implementation, ItemSearchResult, ItemType, LifeEvent, StandardisationReport };
export type LifeEventSummary = Pick<LifeEvent, 'code' | 'name' | 'description' | 'items' | 'version'>;

/** The region a page falls back to when the user has none: 长安区 of 石家庄市, where the demo lives. */
export const DEFAULT_REGION = '130102';

export interface ItemQuery {
  q?: string | undefined;
  region?: string | undefined;
  kind?: ApplicantKind | undefined;
  type?: ItemType | undefined;
  limit: number;
  offset: number;
}

/** Ranked search over the catalogue (the whole list, by code, without `q`). */
export function useItemSearch(query: ItemQuery) {
  return useQuery({
    queryKey: ['catalogue', 'items', query],
    queryFn: ({ signal }) => api.get<ItemSearchResult>('/items', { query: { ...query, q: query.q?.trim() || undefined }, signal }),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

export const guideKey = (itemCode: string, region: string) => ['catalogue', 'guide', itemCode, region] as const;

/** The 办事指南 of an item in a region (the nearest level that implements it). */
export function useGuide(itemCode: string, region: string) {
  return useQuery({
    queryKey: guideKey(itemCode, region),
    queryFn: ({ signal }) => api.get<Guide>(`/items/${encodeURIComponent(itemCode)}/guide`, { query: { region }, signal }),
    staleTime: 60_000,
  });
}

export function useLifeEvents() {
  return useQuery({
    queryKey: ['catalogue', 'life-events'],
    queryFn: ({ signal }) => api.get<{ lifeEvents: LifeEventSummary[] }>('/life-events', { signal }),
    staleTime: 60_000,
  });
}

export function useLifeEvent(code: string) {
  return useQuery({
    queryKey: ['catalogue', 'life-events', code],
    queryFn: ({ signal }) => api.get<LifeEvent>(`/life-events/${encodeURIComponent(code)}`, { signal }),
    staleTime: 60_000,
  });
}

/** The implementation version a case was filed under: its materials and form. */
export function useImplementationVersion(versionId: string | undefined) {
  return useQuery({
    queryKey: ['catalogue', 'implementation-version', versionId],
    queryFn: ({ signal }) => api.get<Implementation>(`/implementation-versions/${encodeURIComponent(versionId ?? '')}`, { signal }),
    enabled: !!versionId,
    staleTime: Infinity, // a published version never changes
  });
}

export function useStandardisationReport(region: string) {
  return useQuery({
    queryKey: ['catalogue', 'standardisation', region],
    queryFn: ({ signal }) => api.get<StandardisationReport>('/standardisation/report', { query: { region }, signal }),
    staleTime: 60_000,
  });
}
