import { useNavigate } from 'react-router';
import { useLogout } from './api';

/** POST /auth/logout, forget every cached answer, and go to the sign-in page. */
export function useSignOut() {
  const logout = useLogout();
  const navigate = useNavigate();
  return {
    pending: logout.isPending,
    signOut: () => logout.mutate(undefined, { onSettled: () => void navigate('/login', { replace: true }) }),
  };
}
