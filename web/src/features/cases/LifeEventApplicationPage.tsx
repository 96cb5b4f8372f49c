import { Alert, Card, Descriptions, Progress, Space, Tag, Typography } from 'antd';
import { useParams } from 'react-router';
import { ErrorResult } from '../../components/ErrorResult';
import { PageLoading } from '../../components/PageLoading';
import { useT } from '../../components/locale';
import { hasMessage } from '../../i18n';
import { RequireAuth } from '../identity/RequireAuth';
import { useLifeEventApplication } from './api';
import { CaseSummaryTable } from './MyCasesPage';
import { useFiledNotice } from './useFiledNotice';

const OVERALL_COLORS: Record<string, string> = { in_progress: 'processing', concluded: 'success', partly_denied: 'error', ended: 'default' };

function Application() {
  const t = useT();
  const { id = '' } = useParams();
  const filed = useFiledNotice();
  const query = useLifeEventApplication(id);
  if (query.isPending) return <PageLoading />;
  if (query.isError) return <ErrorResult error={query.error} onRetry={() => void query.refetch()} />;
  const a = query.data;
  const done = a.cases.filter((c) => c.status === 'concluded').length;
  const key = `lifeEventStatus.${a.status}`;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      {filed ? <Alert type="success" showIcon title={t('lifeEvents.filed', { n: a.cases.length })} data-testid="filed-notice" /> : null}
      <Card>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {a.eventName}
        </Typography.Title>
        <Descriptions
          size="small"
          column={{ xs: 1, md: 3 }}
          items={[
            {
              key: 'status',
              label: t('lifeEvents.overall'),
              children: (
                <Tag color={OVERALL_COLORS[a.status] ?? 'default'} data-testid="overall-status">
                  {hasMessage(key) ? t(key) : a.statusName}
                </Tag>
              ),
            },
            { key: 'owner', label: t('lifeEvents.owner'), children: a.owner.name },
            {
              key: 'progress',
              label: t('lifeEvents.progress'),
              children: <Progress percent={a.cases.length ? Math.round((done / a.cases.length) * 100) : 0} size="small" style={{ width: 160 }} format={() => `${done}/${a.cases.length}`} />,
            },
          ]}
        />
      </Card>
      <Card title={t('lifeEvents.cases')}>
        <CaseSummaryTable cases={a.cases} />
      </Card>
    </Space>
  );
}

/** One life-event application: its overall status, the accountable owner and the linked cases. */
export function LifeEventApplicationPage() {
  return <RequireAuth>{() => <Application />}</RequireAuth>;
}
