import { Alert, Card, Descriptions, Flex, Result, Space, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { Link, useParams } from 'react-router';
import { ErrorResult } from '../../components/ErrorResult';
import { PageLoading } from '../../components/PageLoading';
import { displayValue, schemaFields } from '../../components/SchemaForm';
import { useT } from '../../components/locale';
import { useImplementationVersion, type Implementation } from '../catalogue/api';
import { MaterialFormTag } from '../catalogue/labels';
import type { User } from '../identity/api';
import { RequireAuth } from '../identity/RequireAuth';
import { RegionName } from '../regions/RegionName';
import { useCase, useWorkbench, type Case, type CaseStep } from './api';
import { ApplicantActions, Withdraw } from './ApplicantActions';
import { CaseTimeline } from './CaseTimeline';
import { IntakeActions, missingMaterials } from './IntakeActions';
import { StepActions } from './StepActions';
import { DecisionTag, Deadline, StatusTag, StepStatusTag, formatTime } from './tags';
import { useFiledNotice } from './useFiledNotice';

function isIntakeOfficer(user: User, c: Case) {
  if (user.kind !== 'staff') return false;
  if (user.roles.includes('window_clerk')) return true;
  return (user.roles.includes('reviewer') || user.roles.includes('department_head')) && user.department?.id === c.department.id;
}

function isReviewer(user: User) {
  return user.kind === 'staff' && (user.roles.includes('reviewer') || user.roles.includes('department_head'));
}

function Decision({ c }: { c: Case }) {
  const t = useT();
  if (c.status === 'concluded') {
    return (
      <Result
        status={c.decision === 'approved' ? 'success' : 'error'}
        title={<span data-testid="decision-title">{t(c.decision === 'approved' ? 'case.decisionApproved' : 'case.decisionDenied')}</span>}
        subTitle={
          <>
            {c.decisionReason ? <div>{t('action.reason')}：{c.decisionReason}</div> : null}
            {c.decisionBasis ? <div>{t('action.basis')}：{c.decisionBasis}</div> : null}
            <div>
              {t('case.concludedAt')}：{formatTime(c.concludedAt)}
            </div>
          </>
        }
      />
    );
  }
  if (c.status === 'rejected') {
    return (
      <Result
        status="warning"
        title={t('case.rejectedTitle')}
        subTitle={
          <>
            {c.decisionReason ? <div>{t('action.reason')}：{c.decisionReason}</div> : null}
            {c.decisionBasis ? <div>{t('action.basis')}：{c.decisionBasis}</div> : null}
          </>
        }
      />
    );
  }
  return null;
}

function StepsTable({ c, user }: { c: Case; user: User }) {
  const t = useT();
  const reviewer = isReviewer(user);
  const tasks = useWorkbench(reviewer);
  const mine = (s: CaseStep) =>
    (tasks.data?.tasks ?? []).some((x) => x.caseNo === c.caseNo && x.step === s.key && x.claimedByMe) || (s.claimedBy !== null && s.claimedBy === user.name);
  const columns: TableProps<CaseStep>['columns'] = [
    { title: t('case.step.stage'), dataIndex: 'stage', width: 80, render: (n: number) => t('case.step.stageN', { n: n + 1 }) },
    { title: t('case.step.name'), dataIndex: 'name' },
    { title: t('case.step.department'), key: 'department', render: (_, s) => s.department.name },
    { title: t('case.step.status'), dataIndex: 'status', render: (v: string) => <StepStatusTag status={v} /> },
    { title: t('case.step.claimedBy'), dataIndex: 'claimedBy', render: (v: string | null) => v ?? '—' },
    { title: t('case.step.deadline'), key: 'deadline', render: (_, s) => <Deadline date={s.deadline} light={s.light} /> },
    {
      title: t('case.step.transfers'),
      dataIndex: 'transfers',
      width: 80,
      render: (n: number) => (n > 0 ? <Tag color={n >= 2 ? 'red' : 'orange'}>{n}</Tag> : 0),
    },
  ];
  if (reviewer) {
    columns.push({
      title: t('case.step.actions'),
      key: 'actions',
      render: (_, s) => (user.department?.id === s.department.id ? <StepActions c={c} step={s} mine={mine(s)} /> : null),
    });
  }
  return (
    <Table<CaseStep>
      rowKey="key"
      size="small"
      pagination={false}
      columns={columns}
      dataSource={c.steps}
      data-testid="case-steps"
    />
  );
}

function Materials({ c, impl }: { c: Case; impl: Implementation | undefined }) {
  const t = useT();
  const missing = missingMaterials(c, impl);
  const forms = new Map((impl?.materials ?? []).map((m) => [m.id, m.form]));
  return (
    <>
      <Table
        rowKey="materialId"
        size="small"
        pagination={false}
        dataSource={c.materials}
        data-testid="case-materials"
        columns={[
          { title: t('guide.material.name'), dataIndex: 'name' },
          { title: t('guide.material.form'), key: 'form', width: 110, render: (_, m) => (forms.get(m.materialId) ? <MaterialFormTag form={forms.get(m.materialId)!} /> : null) },
          {
            title: t('case.material.source'),
            dataIndex: 'source',
            width: 140,
            render: (s: string) => <Tag color={s === 'upload' ? 'blue' : 'green'}>{s === 'upload' ? t('case.material.upload') : t('case.material.reuse')}</Tag>,
          },
          {
            title: t('case.material.file'),
            key: 'file',
            width: 160,
            render: (_, m) => {
              const id = m.uploadId ?? m.reference;
              return id ? (
                <Typography.Text type="secondary" copyable={{ text: id }} title={id}>
                  {id.length > 12 ? `${id.slice(0, 8)}…` : id}
                </Typography.Text>
              ) : (
                '—'
              );
            },
          },
        ]}
      />
      {missing.length ? (
        <Alert
          style={{ marginTop: 12 }}
          type="warning"
          showIcon
          title={t('case.material.missing')}
          description={missing.map((m) => m.name).join('、')}
          data-testid="missing-materials"
        />
      ) : null}
    </>
  );
}

function FormData({ c, impl }: { c: Case; impl: Implementation | undefined }) {
  const t = useT();
  const fields = schemaFields(impl?.formSchema);
  const titles = new Map(fields.map((f) => [f.key, f.field.title ?? f.key]));
  const keys = [...fields.map((f) => f.key).filter((k) => k in c.form), ...Object.keys(c.form).filter((k) => !titles.has(k))];
  return (
    <Descriptions
      size="small"
      bordered
      column={{ xs: 1, md: 2 }}
      items={keys.map((k) => ({ key: k, label: titles.get(k) ?? k, children: displayValue(c.form[k], t('common.yes'), t('common.no')) }))}
    />
  );
}

function CaseView({ user }: { user: User }) {
  const t = useT();
  const { caseNo = '' } = useParams();
  const justFiled = useFiledNotice();
  const query = useCase(caseNo);
  const impl = useImplementationVersion(query.data?.implementation.versionId);

  if (query.isPending) return <PageLoading />;
  if (query.isError) return <ErrorResult error={query.error} onRetry={() => void query.refetch()} />;
  const c = query.data;
  const applicant = user.kind !== 'staff';
  const live = c.status === 'in_review' || c.status === 'awaiting_applicant';

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      {justFiled ? (
        <Alert
          type="success"
          showIcon
          data-testid="filed-notice"
          title={t('case.filed', { caseNo: c.caseNo })}
          description={t('case.filedHelp', { code: c.queryCode })}
        />
      ) : null}
      <Card>
        <Flex justify="space-between" align="start" wrap gap={16}>
          <div>
            <Typography.Title level={3} style={{ marginTop: 0 }}>
              {c.itemName}
            </Typography.Title>
            <Space wrap>
              <Typography.Text>
                {t('case.caseNo')}：<Typography.Text strong copyable data-testid="case-no">{c.caseNo}</Typography.Text>
              </Typography.Text>
              <StatusTag status={c.status} name={c.statusName} decision={c.decision} />
              <DecisionTag decision={c.decision} />
              {c.bounces >= 2 ? <Tag color="red">{t('case.bounced', { n: c.bounces })}</Tag> : null}
            </Space>
          </div>
          <Space orientation="vertical" align="end">
            {applicant ? <Withdraw c={c} /> : null}
            {c.lifeEventApplicationId ? <Link to={`/life-events/applications/${c.lifeEventApplicationId}`}>{t('case.lifeEventLink')}</Link> : null}
          </Space>
        </Flex>
        <Descriptions
          style={{ marginTop: 16 }}
          size="small"
          column={{ xs: 1, md: 3 }}
          items={[
            { key: 'dept', label: t('case.department'), children: c.department.name },
            { key: 'region', label: t('case.region'), children: <RegionName code={c.regionCode} /> },
            { key: 'applicant', label: t('case.applicant'), children: c.applicant.name },
            { key: 'channel', label: t('case.channel'), children: t(c.channel === 'window' ? 'case.channel.window' : 'case.channel.online') },
            { key: 'submitted', label: t('case.submittedAt'), children: formatTime(c.submittedAt) },
            { key: 'accepted', label: t('case.acceptedAt'), children: formatTime(c.acceptedAt) },
            c.status === 'submitted'
              ? { key: 'intake', label: t('case.intakeDeadline'), children: <Deadline date={c.intakeDeadline} light={c.light} /> }
              : { key: 'deadline', label: t('case.deadline'), children: <span data-testid="case-deadline"><Deadline date={c.deadline} light={live ? c.light : null} /></span> },
            ...(c.pausedSince ? [{ key: 'paused', label: t('case.pausedSince'), children: c.pausedSince }] : []),
            ...(applicant ? [{ key: 'code', label: t('case.queryCode'), children: <Typography.Text copyable>{c.queryCode}</Typography.Text> }] : []),
            { key: 'version', label: t('case.version'), children: `v${c.implementation.version}` },
          ]}
        />
      </Card>

      {c.status === 'concluded' || c.status === 'rejected' ? (
        <Card>
          <Decision c={c} />
        </Card>
      ) : null}

      {c.status === 'submitted' && isIntakeOfficer(user, c) ? <IntakeActions c={c} impl={impl.data} /> : null}
      {applicant ? <ApplicantActions c={c} impl={impl.data} /> : null}

      {c.steps.length ? (
        <Card title={t('case.steps')}>
          <StepsTable c={c} user={user} />
        </Card>
      ) : null}

      <Card
        title={t('case.materials')}
        extra={
          c.reuse.avoided > 0 ? (
            <Tag color="green" data-testid="reuse-avoided">
              {t('case.reuseAvoided', { n: c.reuse.avoided })}
            </Tag>
          ) : null
        }
      >
        <Materials c={c} impl={impl.data} />
      </Card>

      <Card title={t('case.form')}>
        <FormData c={c} impl={impl.data} />
      </Card>

      <Card title={t('case.timeline')}>
        <CaseTimeline c={c} materialNames={new Map((impl.data?.materials ?? []).map((m) => [m.id, m.name]))} />
      </Card>
    </Space>
  );
}

/** 办件详情: status, deadline, steps with their lights, materials, the whole record, and what the viewer may do. */
export function CasePage() {
  return <RequireAuth>{(user) => <CaseView user={user} />}</RequireAuth>;
}
