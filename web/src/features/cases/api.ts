import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Alert, Case, CaseActionRequest, CaseSummary, DepartmentFigures, FileCase, ReusePreview as ReusePreviewSchema, Task } from '../../../../shared/contracts/cases.js';
import type { z } from 'zod';
import { api, upload } from '../../api/client';

export type { Alert, Case, CaseActionRequest, CaseSummary, DepartmentFigures, Task };
export type CaseStatus = Case['status'];
export type Light = NonNullable<Case['light']>;
export type CaseStep = Case['steps'][number];
export type CaseEvent = Case['timeline'][number];
/** 免提交: what government already holds for an item's materials, and the verified form fields. */
export type ReusePreview = z.infer<typeof ReusePreviewSchema>;
export type ReuseOption = ReusePreview['materials'][number];

/** What POST /uploads answers: the id a case names its material by. */
export interface Upload {
  id: string;
  filename: string;
  mediaType: string;
  size: number;
  sha256: string;
}

export interface Progress {
  caseNo: string;
  itemName: string;
  status: CaseStatus;
  statusName: string;
  decision: 'approved' | 'denied' | null;
  submittedAt: string;
  deadline: string | null;
  concludedAt: string | null;
  steps: { name: string; department: string; status: string }[];
}

export interface LifeEventApplication {
  id: string;
  eventCode: string;
  eventName: string;
  owner: { departmentId: string; name: string };
  status: 'in_progress' | 'concluded' | 'partly_denied' | 'ended';
  statusName: string;
  cases: CaseSummary[];
}

export interface LifeEventApplicationRequest {
  regionCode: string;
  form: Record<string, unknown>;
  materials: Record<string, { materialId: string; uploadId: string }[]>;
  applicant?: FileCase['applicant'];
}

export function uploadMaterial(file: Blob, opts: { filename?: string; onProgress?: (percent: number) => void; signal?: AbortSignal } = {}): Promise<Upload> {
  return upload<Upload>('/uploads', file, opts);
}

/**
 * A submission that may be retried: the same body is sent with the same Idempotency-Key, so a
 * retry after a lost answer gets the first case back instead of a second one; a changed body is
 * a new submission with a new key.
 */
export function idempotencyKeyFor(memory: { current: { body: string; key: string } | null }, body: unknown): string {
  const text = JSON.stringify(body);
  if (memory.current?.body === text) return memory.current.key;
  const key = crypto.randomUUID();
  memory.current = { body: text, key };
  return key;
}

export const caseKey = (caseNo: string) => ['cases', 'detail', caseNo] as const;

export function useFileCase() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ body, key }: { body: FileCase; key: string }) => api.post<Case>('/cases', body, { headers: { 'idempotency-key': key } }),
    onSuccess: (c) => {
      qc.setQueryData(caseKey(c.caseNo), c);
      void qc.invalidateQueries({ queryKey: ['cases', 'mine'] });
    },
  });
}

/** The applicant's 免提交 preview for an item (person or business accounts only; staff get 403). */
export function useReusePreview(itemCode: string, region: string, enabled: boolean) {
  return useQuery({
    enabled,
    queryKey: ['cases', 'reuse', itemCode, region],
    queryFn: ({ signal }) => api.get<ReusePreview>(`/items/${encodeURIComponent(itemCode)}/reuse`, { query: { region }, signal }),
    retry: false,
  });
}

export function useMyCases() {
  return useQuery({ queryKey: ['cases', 'mine'], queryFn: ({ signal }) => api.get<{ cases: CaseSummary[] }>('/me/cases', { query: { limit: 200 }, signal }) });
}

export function useCase(caseNo: string) {
  return useQuery({ queryKey: caseKey(caseNo), queryFn: ({ signal }) => api.get<Case>(`/cases/${encodeURIComponent(caseNo)}`, { signal }) });
}

/** One action on a case; the answer is the case as it now is. */
export function useCaseAction(caseNo: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CaseActionRequest) => api.post<Case>(`/cases/${encodeURIComponent(caseNo)}/actions`, body),
    onSuccess: (c) => {
      qc.setQueryData(caseKey(caseNo), c);
      void qc.invalidateQueries({ queryKey: ['cases', 'workbench'] });
      void qc.invalidateQueries({ queryKey: ['cases', 'mine'] });
      void qc.invalidateQueries({ queryKey: ['life-events', 'applications'] });
    },
  });
}

export function useWorkbench(enabled = true) {
  return useQuery({
    enabled,
    queryKey: ['cases', 'workbench'],
    queryFn: ({ signal }) => api.get<{ tasks: Task[] }>('/workbench/tasks', { query: { limit: 500 }, signal }),
    refetchInterval: 60_000,
  });
}

export function useProgress(query: { caseNo: string; queryCode: string } | null) {
  return useQuery({
    queryKey: ['cases', 'progress', query],
    queryFn: ({ signal }) => api.get<Progress>('/public/progress', { query: query ?? {}, signal }),
    enabled: query !== null,
    retry: false,
  });
}

export function useApplyLifeEvent(code: string) {
  return useMutation({
    mutationFn: ({ body, key }: { body: LifeEventApplicationRequest; key: string }) =>
      api.post<LifeEventApplication>(`/life-events/${encodeURIComponent(code)}/applications`, body, { headers: { 'idempotency-key': key } }),
  });
}

export function useLifeEventApplication(id: string) {
  return useQuery({
    queryKey: ['life-events', 'applications', id],
    queryFn: ({ signal }) => api.get<LifeEventApplication>(`/life-events/applications/${encodeURIComponent(id)}`, { signal }),
  });
}

export function useAlerts(region: string) {
  return useQuery({
    queryKey: ['efficiency', 'alerts', region],
    queryFn: ({ signal }) => api.get<{ alerts: Alert[] }>('/efficiency/alerts', { query: { region }, signal }),
  });
}

export function useDepartmentFigures(region: string) {
  return useQuery({
    queryKey: ['efficiency', 'departments', region],
    queryFn: ({ signal }) => api.get<{ departments: DepartmentFigures[] }>('/efficiency/departments', { query: { region }, signal }),
  });
}

export function useEscalate() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { caseNo: string; note: string }) => api.post<void>('/efficiency/escalations', body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['efficiency', 'alerts'] }),
  });
}
