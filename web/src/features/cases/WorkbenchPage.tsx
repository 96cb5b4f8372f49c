import { useState } from 'react';
import { Badge, Card, Empty, Table, Tabs, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { Link } from 'react-router';
import { ErrorResult } from '../../components/ErrorResult';
import { useT } from '../../components/locale';
import type { User } from '../identity/api';
import { RequireAuth } from '../identity/RequireAuth';
import { useWorkbench, type Task } from './api';
import { Deadline, StepStatusTag, formatTime } from './tags';

const byDeadline = (a: Task, b: Task) => (a.deadline ?? '9999').localeCompare(b.deadline ?? '9999') || a.submittedAt.localeCompare(b.submittedAt);

function TaskTable({ tasks, loading }: { tasks: Task[]; loading: boolean }) {
  const t = useT();
  const columns: TableProps<Task>['columns'] = [
    {
      title: t('case.caseNo'),
      dataIndex: 'caseNo',
      width: 230,
      render: (no: string, task) => (
        <Link to={`/cases/${no}`} data-testid={`task-${task.kind}`}>
          {no}
        </Link>
      ),
    },
    { title: t('case.item'), dataIndex: 'itemName' },
    {
      title: t('workbench.step'),
      key: 'step',
      render: (_, task) =>
        task.kind === 'intake' ? (
          <Tag color="processing">{t('workbench.intake')}</Tag>
        ) : (
          <>
            {task.stepName} <StepStatusTag status={task.status} />
            {task.claimedByMe ? <Tag color="blue">{t('workbench.mine')}</Tag> : null}
          </>
        ),
    },
    {
      title: t('workbench.deadline'),
      key: 'deadline',
      width: 220,
      defaultSortOrder: 'ascend',
      sorter: byDeadline,
      render: (_, task) => <Deadline date={task.deadline} light={task.light} />,
    },
    { title: t('case.submittedAt'), dataIndex: 'submittedAt', width: 150, render: (v: string) => formatTime(v) },
  ];
  return (
    <Table<Task>
      rowKey={(task) => `${task.kind}:${task.caseNo}:${task.step ?? ''}`}
      size="middle"
      loading={loading}
      columns={columns}
      dataSource={tasks}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('workbench.empty')} /> }}
      rowClassName={(task) => (task.light === 'red' ? 'tb-row-red' : task.light === 'yellow' ? 'tb-row-yellow' : '')}
    />
  );
}

function Workbench({ user }: { user: User }) {
  const t = useT();
  const query = useWorkbench();
  const tasks = query.data?.tasks ?? [];
  const intake = tasks.filter((x) => x.kind === 'intake').sort(byDeadline);
  const review = tasks.filter((x) => x.kind === 'review').sort(byDeadline);
  const clerk = user.roles.includes('window_clerk');
  const [tab, setTab] = useState<string | undefined>(undefined);
  const active = tab ?? (clerk || review.length === 0 ? (intake.length || !review.length ? 'intake' : 'review') : 'review');
  const warn = (list: Task[]) => list.filter((x) => x.light === 'yellow' || x.light === 'red').length;

  if (query.isError) return <ErrorResult error={query.error} onRetry={() => void query.refetch()} />;
  const label = (text: string, list: Task[]) => (
    <span>
      {text} <Badge count={list.length} showZero color={warn(list) ? '#faad14' : '#1677ff'} />
    </span>
  );
  return (
    <Card
      title={t('workbench.title')}
      extra={<Typography.Text type="secondary">{user.department?.name}</Typography.Text>}
    >
      <Typography.Paragraph type="secondary">{t('workbench.intro')}</Typography.Paragraph>
      <Tabs
        activeKey={active}
        onChange={setTab}
        items={[
          { key: 'intake', label: label(t('workbench.intakeTab'), intake), children: <TaskTable tasks={intake} loading={query.isPending} /> },
          { key: 'review', label: label(t('workbench.reviewTab'), review), children: <TaskTable tasks={review} loading={query.isPending} /> },
        ]}
      />
    </Card>
  );
}

/** 工作台: the clerk's intake queue and the reviewer's steps, soonest deadline first, yellow and red marked. */
export function WorkbenchPage() {
  return <RequireAuth>{(user) => <Workbench user={user} />}</RequireAuth>;
}
