import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';

export interface Message {
  id: string;
  caseNo: string | null;
  title: string;
  body: string;
  createdAt: string;
  read: boolean;
}

/** The applicant's inbox: every status change of their cases. */
export function useMessages(enabled = true) {
  return useQuery({
    queryKey: ['notifications', 'messages'],
    queryFn: ({ signal }) => api.get<{ messages: Message[]; unread: number }>('/me/messages', { query: { limit: 50 }, signal }),
    enabled,
    refetchInterval: 60_000,
  });
}
