import { useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';

/**
 * Whether the page was reached right after a submission (`state.filed`). The state is cleared
 * at once, so a reload or a later visit does not say "submitted" again.
 */
export function useFiledNotice(): boolean {
  const location = useLocation();
  const navigate = useNavigate();
  const [filed] = useState(() => (location.state as { filed?: boolean } | null)?.filed === true);
  useEffect(() => {
    if ((location.state as { filed?: boolean } | null)?.filed) void navigate(location.pathname + location.search, { replace: true, state: null });
  }, [location, navigate]);
  return filed;
}
