import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { LoginRequest, RegisterRequest, User } from '../../../../shared/contracts/identity.js';
import { api, isApiError } from '../../api/client';

export type { User };

export const meKey = ['identity', 'me'] as const;

/** The signed-in user, or null when nobody is signed in (401). */
export async function fetchMe(signal?: AbortSignal): Promise<User | null> {
  try {
    return (await api.get<{ user: User }>('/me', signal ? { signal } : {})).user;
  } catch (e) {
    if (isApiError(e) && e.status === 401) return null;
    throw e;
  }
}

export function useMe() {
  return useQuery({ queryKey: meKey, queryFn: ({ signal }) => fetchMe(signal), staleTime: 60_000 });
}

/**
 * Forgets every cached answer of the previous session except `me`, which is then set: the query
 * object is kept, so a component that read it before (the menu in the page frame, which does not
 * re-render on navigation) hears of the change. `clear()` would orphan such observers.
 */
function switchSession(qc: ReturnType<typeof useQueryClient>, user: User | null) {
  qc.removeQueries({ predicate: (q) => !(q.queryKey[0] === meKey[0] && q.queryKey[1] === meKey[1]) });
  qc.setQueryData(meKey, user);
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: LoginRequest) => api.post<{ user: User }>('/auth/login', body),
    onSuccess: ({ user }) => switchSession(qc, user),
  });
}

export function useRegister() {
  return useMutation({ mutationFn: (body: RegisterRequest) => api.post<{ user: User }>('/auth/register', body) });
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<void>('/auth/logout'),
    onSettled: () => switchSession(qc, null),
  });
}
