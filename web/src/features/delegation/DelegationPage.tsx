import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Flex, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { CheckOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router';
import { isApiError } from '../../api/client';
import { ErrorResult } from '../../components/ErrorResult';
import { PageLoading } from '../../components/PageLoading';
import { useT } from '../../components/locale';
import { formatTime } from '../cases/tags';
import { chinaDate } from '../certificates/labels';
import type { User } from '../identity/api';
import { RequireAuth } from '../identity/RequireAuth';
import { RegionName } from '../regions/RegionName';
import { useConfirmTakeOver, useDelegation, type DelegationDetail, type TakeOverTask } from './api';
import { DelegationSections, LevelTag, ModeTag } from './labels';

type CancelledItem = DelegationDetail['cancelled'][number];

/**
 * Who may try to confirm: the receiving unit itself — a department head or catalogue admin of the
 * task's region. The server decides the rest (the department's kind, the published implementation).
 */
const mayConfirm = (user: User, regionCode?: string) =>
  user.roles.some((r) => r === 'department_head' || r === 'catalogue_admin') && (regionCode === undefined || user.department?.regionCode === regionCode);

function DeadlineCell({ date, done }: { date: string; done: boolean }) {
  const t = useT();
  const past = !done && date < chinaDate(new Date().toISOString());
  return (
    <Space size={4}>
      <span>{date}</span>
      {past ? (
        <Tag color="error" data-testid="deadline-past">
          {t('takeover.overdue')}
        </Tag>
      ) : null}
    </Space>
  );
}

function Tasks({ d, user }: { d: DelegationDetail; user: User }) {
  const t = useT();
  const { message } = App.useApp();
  const confirm = useConfirmTakeOver(d.id);
  const [problem, setProblem] = useState<string | null>(null);
  const today = chinaDate(new Date().toISOString());

  const columns: TableProps<TakeOverTask>['columns'] = [
    {
      title: t('takeover.region'),
      key: 'region',
      width: 150,
      render: (_, task) => (
        <Space size={4}>
          <span>{task.regionName}</span>
          <LevelTag level={task.level} />
        </Space>
      ),
    },
    { title: t('takeover.item'), key: 'item', render: (_, task) => <span title={task.itemCode}>{task.itemName}</span> },
    { title: t('takeover.department'), key: 'department', render: (_, task) => task.department.name ?? <Typography.Text type="danger">{t('takeover.noDepartment', { kind: task.department.kind })}</Typography.Text> },
    { title: t('takeover.handoverDeadline'), dataIndex: 'handoverDeadline', width: 150, render: (v: string, task) => <DeadlineCell date={v} done={task.status === 'confirmed'} /> },
    { title: t('takeover.listingDeadline'), dataIndex: 'listingDeadline', width: 150, render: (v: string, task) => <DeadlineCell date={v} done={task.status === 'confirmed'} /> },
    {
      title: t('takeover.status'),
      key: 'status',
      width: 170,
      render: (_, task) =>
        task.status === 'confirmed' ? (
          <Space orientation="vertical" size={0}>
            <Space size={4}>
              <Tag color="success" data-testid="takeover-status">
                {t('takeover.confirmed')}
              </Tag>
              {task.late ? <Tag color="warning">{t('takeover.late')}</Tag> : null}
            </Space>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {formatTime(task.confirmedAt)}
            </Typography.Text>
          </Space>
        ) : (
          <Tag color="processing" data-testid="takeover-status">
            {t('takeover.pending')}
          </Tag>
        ),
    },
    ...(d.tasks.some((task) => mayConfirm(user, task.regionCode))
      ? [
          {
            title: t('case.step.actions'),
            key: 'actions',
            width: 120,
            render: (_: unknown, task: TakeOverTask) =>
              task.status === 'pending' && mayConfirm(user, task.regionCode) ? (
                <Popconfirm
                  title={t('takeover.confirmTitle', { region: task.regionName, item: task.itemName })}
                  description={t('takeover.confirmNote')}
                  okText={t('common.confirm')}
                  cancelText={t('common.cancel')}
                  onConfirm={() => {
                    setProblem(null);
                    return confirm.mutateAsync(task.id).then(
                      () => void message.success(t('takeover.done')),
                      (e: unknown) => setProblem(isApiError(e) ? e.message : t('error.title')),
                    );
                  }}
                >
                  <Button size="small" type="primary" icon={<CheckOutlined />} loading={confirm.isPending && confirm.variables === task.id} data-testid={`confirm-${task.id}`}>
                    {t('takeover.confirm')}
                  </Button>
                </Popconfirm>
              ) : null,
          },
        ]
      : []),
  ];

  return (
    <Card title={t('takeover.title')} extra={<Typography.Text type="secondary">{t('takeover.rule')}</Typography.Text>}>
      {problem ? <Alert type="error" showIcon closable={{ onClose: () => setProblem(null) }} title={problem} style={{ marginBottom: 16 }} data-testid="takeover-error" /> : null}
      <Table<TakeOverTask>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={d.tasks}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        data-testid="takeover-tasks"
        rowClassName={(task) => (task.status === 'pending' && task.listingDeadline < today ? 'tb-row-red' : task.status === 'pending' && task.handoverDeadline < today ? 'tb-row-yellow' : '')}
      />
    </Card>
  );
}

function Cancelled({ items }: { items: CancelledItem[] }) {
  const t = useT();
  const columns: TableProps<CancelledItem>['columns'] = [
    { title: t('takeover.item'), dataIndex: 'name' },
    { title: t('services.col.code'), dataIndex: 'itemCode', width: 170 },
    {
      title: t('cancelled.supervision'),
      key: 'supervision',
      render: (_, c) =>
        c.supervisionEntry ? (
          <span>
            {c.supervisionEntry} <Typography.Text type="secondary">{formatTime(c.supervisionRecordedAt)}</Typography.Text>
          </span>
        ) : (
          <Tag color="warning">{t('cancelled.noSupervision')}</Tag>
        ),
    },
  ];
  return (
    <Card title={t('cancelled.title')}>
      <Table<CancelledItem> rowKey="itemCode" size="middle" columns={columns} dataSource={items} pagination={false} />
    </Card>
  );
}

function DelegationView({ user }: { user: User }) {
  const t = useT();
  const { id = '' } = useParams();
  const query = useDelegation(id);
  if (query.isPending) return <PageLoading />;
  if (query.isError) return <ErrorResult error={query.error} onRetry={() => void query.refetch()} />;
  const d = query.data;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <Flex justify="space-between" align="start" wrap gap={16}>
          <div style={{ flex: 1, minWidth: 320 }}>
            <Typography.Title level={4} style={{ marginTop: 0 }} data-testid="delegation-title">
              {d.title}
            </Typography.Title>
            <Space wrap>
              <Typography.Text strong data-testid="delegation-document-no">
                {d.documentNo}
              </Typography.Text>
              <ModeTag mode={d.mode} />
            </Space>
          </div>
          <DelegationSections user={user} />
        </Flex>
        <Descriptions
          style={{ marginTop: 16 }}
          size="small"
          column={{ xs: 1, md: 3 }}
          items={[
            { key: 'from', label: t('delegation.from'), children: `${d.fromRegion.name}（${d.fromRegion.code}）` },
            { key: 'effective', label: t('delegation.effectiveDate'), children: d.effectiveDate },
            { key: 'created', label: t('delegation.createdAt'), children: formatTime(d.createdAt) },
            {
              key: 'receiving',
              label: t('delegation.receiving'),
              children: d.receivingRegions.length ? (
                <Space orientation="vertical" size={0}>
                  {d.receivingRegions.map((c) => (
                    <RegionName key={c} code={c} />
                  ))}
                </Space>
              ) : (
                '—'
              ),
            },
            {
              key: 'items',
              label: t('delegation.items'),
              span: 2,
              children: (
                <Space size={[4, 4]} wrap>
                  {d.items.map((i) => (
                    <Link key={i.itemCode} to={`/services/${encodeURIComponent(i.itemCode)}`}>
                      <Tag bordered={false}>
                        {i.name}（{i.itemCode}）
                      </Tag>
                    </Link>
                  ))}
                  {d.powers.map((p) => (
                    <Tag key={p} color="blue" bordered={false}>
                      {t('delegation.power')} {p}
                    </Tag>
                  ))}
                </Space>
              ),
            },
            { key: 'progress', label: t('delegation.progress'), children: t('delegation.confirmedOf', { confirmed: d.progress.confirmed, tasks: d.progress.tasks }) },
          ]}
        />
      </Card>
      {d.mode === 'cancel' ? <Cancelled items={d.cancelled} /> : <Tasks d={d} user={user} />}
    </Space>
  );
}

/** One delegation order: every receiving unit's takeOver task with its two deadlines, and 确认承接. */
export function DelegationPage() {
  return <RequireAuth>{(user) => <DelegationView user={user} />}</RequireAuth>;
}
