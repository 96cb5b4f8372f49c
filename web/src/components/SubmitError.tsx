import { Alert } from 'antd';
import { isApiError } from '../api/client';
import { useT } from './locale';

/** The error banner of a form: the server's message, or only "fix the red fields" when they say it all. */
export function SubmitError({ error, unplaced }: { error: unknown; unplaced: string[] }) {
  const t = useT();
  if (!error) return null;
  const allOnFields = isApiError(error) && error.issues.length > 0 && unplaced.length === 0;
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 16 }}
      data-testid="submit-error"
      title={allOnFields ? t('form.fixFields') : isApiError(error) ? (error.code === 'NETWORK' ? t('error.network') : error.message) : t('error.title')}
      description={unplaced.length ? unplaced.join('；') : undefined}
    />
  );
}
