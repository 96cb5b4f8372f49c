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

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: LoginRequest) => api.post<{ user: User }>('/auth/login', body),
    onSuccess: ({ user }) => {
      qc.clear();
      qc.setQueryData(meKey, user);
    },
  });
}

export function useRegister() {
  return useMutation({ mutationFn: (body: RegisterRequest) => api.post<{ user: User }>('/auth/register', body) });
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<void>('/auth/logout'),
    onSettled: () => {
      qc.clear();
      qc.setQueryData(meKey, null);
    },
  });
}
