import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { ErrorResult } from '../../components/ErrorResult';
import { PageLoading } from '../../components/PageLoading';
import { useMe, type User } from './api';

/** Renders its children with the signed-in user; sends anyone else to /login and back after. */
export function RequireAuth({ children }: { children: (user: User) => ReactNode }) {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <PageLoading />;
  if (me.isError) return <ErrorResult error={me.error} onRetry={() => void me.refetch()} />;
  if (!me.data) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return <>{children(me.data)}</>;
}
