import { useState } from 'react';
import { Card, Space, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { ErrorResult } from '../../components/ErrorResult';
import { useT } from '../../components/locale';
import { formatTime } from '../cases/tags';
import type { User } from '../identity/api';
import { RequireAuth } from '../identity/RequireAuth';
import { RegionSelect } from '../regions/RegionSelect';
import { usePilots, type Pilot } from './api';
import { DelegationHeading } from './labels';

type FaultTolerance = Pilot['faultTolerance'][number];
const STATUS_COLORS: Record<Pilot['status'], string> = { scheduled: 'processing', active: 'success', expired: 'default' };
const CONDITIONS = ['lawful', 'noPrivateGain', 'noIntent', 'correctedInTime'] as const;

function FaultToleranceRecords({ records }: { records: FaultTolerance[] }) {
  const t = useT();
  if (records.length === 0) return <Typography.Text type="secondary">{t('pilots.noFaultTolerance')}</Typography.Text>;
  const columns: TableProps<FaultTolerance>['columns'] = [
    { title: t('pilots.recordedAt'), dataIndex: 'recordedAt', width: 140, render: (v: string) => formatTime(v) },
    { title: t('pilots.reviewer'), dataIndex: 'reviewer', width: 160 },
    {
      title: t('pilots.conditions'),
      key: 'conditions',
      render: (_, r) => (
        <Space size={[4, 4]} wrap>
          {CONDITIONS.map((c) => (
            <Tag key={c} color={r[c] ? 'success' : 'error'}>
              {t(`pilots.condition.${c}`)}
            </Tag>
          ))}
        </Space>
      ),
    },
    { title: t('pilots.narrative'), dataIndex: 'narrative' },
    {
      title: t('pilots.outcome'),
      dataIndex: 'outcome',
      width: 110,
      render: (o: FaultTolerance['outcome']) => <Tag color={o === 'tolerated' ? 'success' : 'error'}>{t(o === 'tolerated' ? 'pilots.tolerated' : 'pilots.notTolerated')}</Tag>,
    },
  ];
  return <Table<FaultTolerance> rowKey="id" size="small" columns={columns} dataSource={records} pagination={false} />;
}

function Pilots({ user }: { user: User }) {
  const t = useT();
  const [region, setRegion] = useState('130000');
  const pilots = usePilots(region);
  const columns: TableProps<Pilot>['columns'] = [
    { title: t('pilots.region'), dataIndex: 'regionName', width: 110 },
    { title: t('pilots.kind'), key: 'kind', width: 130, render: (_, p) => <Tag color="purple">{t(`pilotKind.${p.kind}`)}</Tag> },
    {
      title: t('pilots.items'),
      dataIndex: 'items',
      width: 220,
      render: (items: Pilot['items']) => (
        <Space size={[4, 4]} wrap>
          {items.map((i) => (
            <Tag key={i.itemCode} bordered={false} title={i.itemCode}>
              {i.name}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('pilots.description'),
      key: 'description',
      render: (_, p) => (
        <Space orientation="vertical" size={2}>
          <span>{p.description}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('pilots.legalBasis')}：{p.legalBasis}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('pilots.approvedBy')}：{p.approvedBy}
            {p.allowedDays !== null ? ` · ${t('pilots.allowedDays', { n: p.allowedDays })}` : ''}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t('pilots.term'), key: 'term', width: 190, render: (_, p) => `${p.startDate} — ${p.expiry}` },
    {
      title: t('pilots.status'),
      dataIndex: 'status',
      width: 90,
      render: (s: Pilot['status']) => (
        <Tag color={STATUS_COLORS[s]} data-testid="pilot-status">
          {t(`pilotStatus.${s}`)}
        </Tag>
      ),
    },
  ];
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <DelegationHeading user={user} title="pilots.title" intro="pilots.intro" />
        <Space>
          <Typography.Text>{t('delegation.regionFilter')}</Typography.Text>
          <RegionSelect value={region} onChange={setRegion} />
        </Space>
      </Card>
      <Card title={t('pilots.list')}>
        {pilots.isError ? (
          <ErrorResult error={pilots.error} onRetry={() => void pilots.refetch()} />
        ) : (
          <Table<Pilot>
            rowKey="id"
            size="middle"
            loading={pilots.isPending}
            columns={columns}
            dataSource={pilots.data?.pilots ?? []}
            data-testid="pilots"
            expandable={{ expandedRowRender: (p) => <FaultToleranceRecords records={p.faultTolerance} /> }}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
          />
        )}
      </Card>
    </Space>
  );
}

/** 先行先试: each region's approved deviations from the standard, their terms, and the fault-tolerance reviews. */
export function PilotsPage() {
  return <RequireAuth>{(user) => <Pilots user={user} />}</RequireAuth>;
}
