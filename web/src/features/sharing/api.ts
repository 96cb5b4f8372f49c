import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { AccessRecord, DataResource, Objection as ObjectionSchema, RequestGrant, SharingGrant } from '../../../../shared/contracts/sharing.js';
import { api } from '../../api/client';

export type { AccessRecord, DataResource, RequestGrant, SharingGrant };
export type Objection = z.infer<typeof ObjectionSchema>;
export type GrantStatus = SharingGrant['status'];
export type SharingType = DataResource['sharingType'];

const accessRecordsKey = ['sharing', 'access-records'] as const;

/** 谁查看了我的数据: every read of the signed-in person's or business's data. */
export function useMyAccessRecords() {
  return useQuery({ queryKey: accessRecordsKey, queryFn: ({ signal }) => api.get<{ records: AccessRecord[] }>('/me/access-records', { signal }) });
}

export function useRaiseObjection() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) => api.post<{ id: string; status: 'open'; raisedAt: string }>(`/me/access-records/${encodeURIComponent(id)}/objections`, { reason }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: accessRecordsKey }),
  });
}

/** 政务信息资源目录 (staff). */
export function useDataCatalogue() {
  return useQuery({
    queryKey: ['sharing', 'catalogue'],
    queryFn: ({ signal }) => api.get<{ resources: DataResource[] }>('/data/catalogue', { signal }),
    staleTime: 5 * 60_000,
  });
}

/** The grants the user's department asked for or provides (all of them for the efficiency officer). */
export function useGrants(query: { overdue?: boolean } = {}) {
  return useQuery({
    queryKey: ['sharing', 'grants', query],
    queryFn: ({ signal }) => api.get<{ grants: SharingGrant[] }>('/data/grants', { query: { overdue: query.overdue ? 'true' : undefined }, signal }),
  });
}

export function useRequestGrant() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: RequestGrant) => api.post<SharingGrant>('/data/grants', body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['sharing', 'grants'] }),
  });
}

export function useDecideGrant() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string; decision: 'approve' | 'refuse'; reason?: string; validUntil?: string }) =>
      api.post<SharingGrant>(`/data/grants/${encodeURIComponent(id)}/decision`, body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['sharing', 'grants'] }),
  });
}

export function useWithdrawGrant() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) => api.post<SharingGrant>(`/data/grants/${encodeURIComponent(id)}/withdraw`, { reason }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['sharing', 'grants'] }),
  });
}

export function useObjections(enabled = true) {
  return useQuery({
    enabled,
    queryKey: ['sharing', 'objections'],
    queryFn: ({ signal }) => api.get<{ objections: Objection[] }>('/data/objections', { signal }),
  });
}

export function useAnswerObjection() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, answer }: { id: string; answer: string }) => api.post<void>(`/data/objections/${encodeURIComponent(id)}/answer`, { answer }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['sharing', 'objections'] }),
  });
}

/** 'YYYY-MM-DD' from a date input → the end of that day in China, as the API's ISO instant. */
export function endOfChinaDay(date: string | undefined): string | undefined {
  return date ? `${date}T23:59:59+08:00` : undefined;
}
