import { Button, Result } from 'antd';
import { isApiError } from '../api/client';
import { useT } from './locale';

/** A failed load: the server's message (safe to show) and its request id for support. */
export function ErrorResult({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const t = useT();
  const message = isApiError(error) ? (error.code === 'NETWORK' ? t('error.network') : error.message) : t('error.title');
  const requestId = isApiError(error) ? error.requestId : undefined;
  return (
    <Result
      status="error"
      title={t('error.title')}
      subTitle={
        <>
          {message}
          {requestId ? <div style={{ fontSize: 12, marginTop: 8 }}>requestId: {requestId}</div> : null}
        </>
      }
      extra={onRetry ? <Button onClick={onRetry}>{t('error.retry')}</Button> : null}
    />
  );
}
