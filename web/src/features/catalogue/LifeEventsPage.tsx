import { Button, Card, Col, Empty, Row, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { ErrorResult } from '../../components/ErrorResult';
import { PageLoading } from '../../components/PageLoading';
import { useT } from '../../components/locale';
import { useLifeEvents } from './api';

/** 一件事一次办: bundles of items done with one form and one submission. */
export function LifeEventsPage() {
  const t = useT();
  const events = useLifeEvents();
  if (events.isPending) return <PageLoading />;
  if (events.isError) return <ErrorResult error={events.error} onRetry={() => void events.refetch()} />;
  const list = events.data.lifeEvents;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {t('lifeEvents.title')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('lifeEvents.intro')}</Typography.Text>
      </Card>
      {list.length === 0 ? <Empty /> : null}
      <Row gutter={[16, 16]}>
        {list.map((e) => (
          <Col key={e.code} xs={24} md={12} lg={8}>
            <Card
              title={e.name}
              style={{ height: '100%' }}
              data-testid={`life-event-${e.code}`}
              actions={[
                <Link key="apply" to={`/life-events/${e.code}/apply`}>
                  <Button type="primary">{t('lifeEvents.apply')}</Button>
                </Link>,
              ]}
            >
              <Typography.Paragraph type="secondary" ellipsis={{ rows: 4, expandable: true }}>
                {e.description}
              </Typography.Paragraph>
              <Typography.Text strong>{t('lifeEvents.items', { n: e.items.length })}</Typography.Text>
              <div style={{ marginTop: 8 }}>
                {e.items.map((i) => (
                  <Tag key={i.itemCode} style={{ marginBottom: 4 }}>
                    {i.name}
                  </Tag>
                ))}
              </div>
            </Card>
          </Col>
        ))}
      </Row>
    </Space>
  );
}
