import { Button, Card, Empty, Segmented, Table, Typography } from 'antd';
import type { TableProps } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { ErrorResult } from '../../components/ErrorResult';
import { useT } from '../../components/locale';
import { RequireAuth } from '../identity/RequireAuth';
import { useMyCases, type CaseSummary } from './api';
import { DecisionTag, Deadline, StatusTag, formatTime } from './tags';

const OPEN = new Set(['submitted', 'awaiting_correction', 'in_review', 'awaiting_applicant']);
const ACTION_NEEDED = new Set(['awaiting_correction', 'awaiting_applicant']);

/** The case summaries of a table: number, item, status, deadline and light. */
export function CaseSummaryTable({ cases, loading }: { cases: CaseSummary[]; loading?: boolean }) {
  const t = useT();
  const columns: TableProps<CaseSummary>['columns'] = [
    {
      title: t('case.caseNo'),
      dataIndex: 'caseNo',
      width: 230,
      render: (no: string) => (
        <Link to={`/cases/${no}`} data-testid="case-link">
          {no}
        </Link>
      ),
    },
    { title: t('case.item'), dataIndex: 'itemName' },
    {
      title: t('case.status'),
      key: 'status',
      width: 190,
      render: (_, c) => (
        <>
          <StatusTag status={c.status} name={c.statusName} decision={c.decision} />
          <DecisionTag decision={c.decision} />
        </>
      ),
    },
    { title: t('case.deadline'), key: 'deadline', width: 210, render: (_, c) => <Deadline date={c.deadline} light={OPEN.has(c.status) ? c.light : null} /> },
    { title: t('case.submittedAt'), dataIndex: 'submittedAt', width: 150, render: (v: string) => formatTime(v) },
  ];
  return <Table<CaseSummary> rowKey="caseNo" size="middle" loading={loading} columns={columns} dataSource={cases} pagination={{ pageSize: 20, hideOnSinglePage: true }} />;
}

type Filter = 'all' | 'open' | 'action' | 'done';

function MyCases() {
  const t = useT();
  const query = useMyCases();
  const [filter, setFilter] = useState<Filter>('all');
  if (query.isError) return <ErrorResult error={query.error} onRetry={() => void query.refetch()} />;
  const all = query.data?.cases ?? [];
  const shown = all.filter((c) =>
    filter === 'open' ? OPEN.has(c.status) : filter === 'action' ? ACTION_NEEDED.has(c.status) : filter === 'done' ? !OPEN.has(c.status) : true,
  );
  return (
    <Card
      title={t('myCases.title')}
      extra={
        <Link to="/services">
          <Button type="primary">{t('myCases.apply')}</Button>
        </Link>
      }
    >
      <Segmented<Filter>
        style={{ marginBottom: 16 }}
        value={filter}
        onChange={setFilter}
        options={[
          { value: 'all', label: t('myCases.all', { n: all.length }) },
          { value: 'open', label: t('myCases.open', { n: all.filter((c) => OPEN.has(c.status)).length }) },
          { value: 'action', label: t('myCases.action', { n: all.filter((c) => ACTION_NEEDED.has(c.status)).length }) },
          { value: 'done', label: t('myCases.done', { n: all.filter((c) => !OPEN.has(c.status)).length }) },
        ]}
      />
      {!query.isPending && all.length === 0 ? (
        <Empty description={<Typography.Text type="secondary">{t('myCases.empty')}</Typography.Text>} />
      ) : (
        <CaseSummaryTable cases={shown} loading={query.isPending} />
      )}
    </Card>
  );
}

/** 我的办件: the applicant's cases, newest first, with status and time-limit lights. */
export function MyCasesPage() {
  return <RequireAuth>{() => <MyCases />}</RequireAuth>;
}
