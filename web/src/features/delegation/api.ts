import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreateDelegation, Delegation, DelegationDetail, FloatingList, FloatingRow, Heatmap, Pilot, TakeOverTask } from '../../../../shared/contracts/delegation.js';
import { api } from '../../api/client';

export type { CreateDelegation, Delegation, DelegationDetail, FloatingList, FloatingRow, Heatmap, Pilot, TakeOverTask };
export type RegionLevel = TakeOverTask['level'];

export const delegationKey = (id: string) => ['delegation', 'detail', id] as const;

/** The orders issued in, or received under, a region (all of them without one). */
export function useDelegations(query: { region?: string | undefined; limit: number; offset: number }) {
  return useQuery({
    queryKey: ['delegation', 'list', query],
    queryFn: ({ signal }) => api.get<{ delegations: Delegation[]; total: number }>('/delegations', { query, signal }),
  });
}

export function useDelegation(id: string) {
  return useQuery({ queryKey: delegationKey(id), queryFn: ({ signal }) => api.get<DelegationDetail>(`/delegations/${encodeURIComponent(id)}`, { signal }) });
}

export function useCreateDelegation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateDelegation) => api.post<DelegationDetail>('/delegations', body),
    onSuccess: (d) => {
      qc.setQueryData(delegationKey(d.id), d);
      void qc.invalidateQueries({ queryKey: ['delegation', 'list'] });
      void qc.invalidateQueries({ queryKey: ['delegation', 'floating'] });
    },
  });
}

/** 确认承接: the receiving unit's department head, or the region's catalogue admin. */
export function useConfirmTakeOver(delegationId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (taskId: string) => api.post<TakeOverTask>(`/delegations/${encodeURIComponent(delegationId)}/takeovers/${encodeURIComponent(taskId)}/confirm`),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: delegationKey(delegationId) });
      void qc.invalidateQueries({ queryKey: ['delegation', 'list'] });
      void qc.invalidateQueries({ queryKey: ['delegation', 'floating'] });
    },
  });
}

export function useFloating(region: string) {
  return useQuery({
    queryKey: ['delegation', 'floating', 'rows', region],
    queryFn: ({ signal }) => api.get<FloatingList>('/delegations/floating', { query: { region }, signal }),
  });
}

export function useHeatmap(region: string) {
  return useQuery({
    queryKey: ['delegation', 'floating', 'heatmap', region],
    queryFn: ({ signal }) => api.get<Heatmap>('/delegations/floating/heatmap', { query: { region }, signal }),
  });
}

export function usePilots(region: string) {
  return useQuery({
    queryKey: ['delegation', 'pilots', region],
    queryFn: ({ signal }) => api.get<{ pilots: Pilot[] }>('/pilots', { query: { region }, signal }),
  });
}
