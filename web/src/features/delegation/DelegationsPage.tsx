import { useState } from 'react';
import { Button, Card, Progress, Space, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { ErrorResult } from '../../components/ErrorResult';
import { useT } from '../../components/locale';
import type { User } from '../identity/api';
import { RequireAuth } from '../identity/RequireAuth';
import { RegionName } from '../regions/RegionName';
import { RegionSelect } from '../regions/RegionSelect';
import { useDelegations, type Delegation } from './api';
import { DelegationHeading, ModeTag, canOrder } from './labels';

const PAGE_SIZE = 20;

function Delegations({ user }: { user: User }) {
  const t = useT();
  const [region, setRegion] = useState('');
  const [page, setPage] = useState(1);
  const query = useDelegations({ region: region || undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });

  const columns: TableProps<Delegation>['columns'] = [
    {
      title: t('delegation.documentNo'),
      dataIndex: 'documentNo',
      width: 190,
      render: (no: string, d) => (
        <Link to={`/delegations/${d.id}`} data-testid="delegation-link">
          {no}
        </Link>
      ),
    },
    { title: t('delegation.title'), dataIndex: 'title' },
    { title: t('delegation.mode'), dataIndex: 'mode', width: 100, render: (m: Delegation['mode']) => <ModeTag mode={m} /> },
    { title: t('delegation.from'), key: 'from', width: 110, render: (_, d) => d.fromRegion.name },
    {
      title: t('delegation.receiving'),
      dataIndex: 'receivingRegions',
      width: 160,
      render: (codes: string[]) =>
        codes.length ? (
          <Space orientation="vertical" size={0}>
            {codes.map((c) => (
              <RegionName key={c} code={c} />
            ))}
          </Space>
        ) : (
          '—'
        ),
    },
    {
      title: t('delegation.items'),
      dataIndex: 'items',
      render: (items: Delegation['items']) => (
        <Space size={[4, 4]} wrap>
          {items.map((i) => (
            <Tag key={i.itemCode} bordered={false} title={i.itemCode}>
              {i.name}
            </Tag>
          ))}
        </Space>
      ),
    },
    { title: t('delegation.effectiveDate'), dataIndex: 'effectiveDate', width: 110 },
    {
      title: t('delegation.progress'),
      dataIndex: 'progress',
      width: 150,
      render: (p: Delegation['progress']) =>
        p.tasks ? (
          <Space orientation="vertical" size={0} style={{ width: '100%' }}>
            <Typography.Text type="secondary">{t('delegation.confirmedOf', { confirmed: p.confirmed, tasks: p.tasks })}</Typography.Text>
            <Progress percent={Math.round((p.confirmed / p.tasks) * 100)} size="small" status={p.confirmed === p.tasks ? 'success' : 'active'} showInfo={false} />
          </Space>
        ) : (
          '—'
        ),
    },
  ];

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <DelegationHeading user={user} title="delegation.pageTitle" intro="delegation.intro" />
        <Space wrap>
          <Typography.Text>{t('delegation.regionFilter')}</Typography.Text>
          <RegionSelect
            value={region}
            allowClear
            onChange={(v) => {
              setRegion(v);
              setPage(1);
            }}
          />
        </Space>
      </Card>
      <Card
        title={t('delegation.orders')}
        extra={
          canOrder(user) ? (
            <Link to="/delegations/new">
              <Button type="primary" icon={<PlusOutlined />} data-testid="new-delegation">
                {t('delegation.create')}
              </Button>
            </Link>
          ) : null
        }
      >
        {query.isError ? (
          <ErrorResult error={query.error} onRetry={() => void query.refetch()} />
        ) : (
          <Table<Delegation>
            rowKey="id"
            size="middle"
            loading={query.isFetching}
            columns={columns}
            dataSource={query.data?.delegations ?? []}
            data-testid="delegations"
            pagination={{ current: page, pageSize: PAGE_SIZE, total: query.data?.total ?? 0, hideOnSinglePage: true, showSizeChanger: false, onChange: setPage }}
          />
        )}
      </Card>
    </Space>
  );
}

/** 权力下放: the orders that cancel items or move them down, with how far their takeOver has come. */
export function DelegationsPage() {
  return <RequireAuth>{(user) => <Delegations user={user} />}</RequireAuth>;
}
