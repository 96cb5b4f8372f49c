import { Badge, Card, Empty, Typography } from 'antd';
import { Link } from 'react-router';
import { ErrorResult } from '../../components/ErrorResult';
import { useT } from '../../components/locale';
import { RequireAuth } from '../identity/RequireAuth';
import { useMessages } from './api';

function formatTime(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return Number.isNaN(d.getTime()) ? iso : `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

function Messages() {
  const t = useT();
  const messages = useMessages();
  if (messages.isError) return <ErrorResult error={messages.error} onRetry={() => void messages.refetch()} />;
  const list = messages.data?.messages ?? [];
  return (
    <Card title={t('messages.title')} extra={messages.data ? <Badge count={messages.data.unread} /> : null}>
      {!messages.isPending && list.length === 0 ? <Empty description={t('messages.empty')} /> : null}
      {list.map((m) => (
        <Card key={m.id} size="small" style={{ marginBottom: 8 }} data-testid="message">
          <Typography.Text strong={!m.read}>{m.title}</Typography.Text>
          <Typography.Paragraph type="secondary" style={{ whiteSpace: 'pre-wrap', marginBottom: 4 }}>
            {m.body}
          </Typography.Paragraph>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {formatTime(m.createdAt)}
            {m.caseNo ? (
              <>
                {' · '}
                <Link to={`/cases/${m.caseNo}`}>{m.caseNo}</Link>
              </>
            ) : null}
          </Typography.Text>
        </Card>
      ))}
    </Card>
  );
}

/** 我的消息: every status change of the applicant's cases. */
export function MessagesPage() {
  return <RequireAuth>{() => <Messages />}</RequireAuth>;
}
