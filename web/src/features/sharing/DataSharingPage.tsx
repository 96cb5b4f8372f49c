import { useId, useState } from 'react';
import { App, Badge, Button, Card, Form, Input, Modal, Segmented, Space, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import type { TableProps } from 'antd';
import { Link, useSearchParams } from 'react-router';
import { applyFieldErrors } from '../../api/form-errors';
import { ErrorResult } from '../../components/ErrorResult';
import { SubmitError } from '../../components/SubmitError';
import { useT } from '../../components/locale';
import { hasMessage } from '../../i18n';
import { formatTime } from '../cases/tags';
import type { User } from '../identity/api';
import { RequireAuth } from '../identity/RequireAuth';
import { useAnswerObjection, useDataCatalogue, useGrants, useObjections, type DataResource, type Objection, type SharingGrant } from './api';
import { DecideButton, RequestGrantButton, WithdrawGrantButton } from './GrantForms';
import { GrantStatusTag, SharingTypeTag, useDataFieldLabel } from './labels';

const has = (user: User, ...roles: string[]) => user.roles.some((r) => roles.includes(r));
const canRequest = (user: User) => has(user, 'department_head', 'data_steward', 'reviewer');
const canAnswer = (user: User) => has(user, 'data_steward', 'department_head');
const isSteward = (user: User, providerDepartmentId: string) => has(user, 'data_steward') && user.department?.id === providerDepartmentId;

type GrantFilter = 'all' | 'toDecide' | 'mine' | 'overdue';

function Grants({ user, resources }: { user: User; resources: DataResource[] }) {
  const t = useT();
  const grants = useGrants();
  const fieldLabel = useDataFieldLabel();
  const mineDept = user.department?.id;
  const [filter, setFilter] = useState<GrantFilter | null>(null);
  if (grants.isError) return <ErrorResult error={grants.error} onRetry={() => void grants.refetch()} />;
  const all = grants.data?.grants ?? [];
  const toDecide = all.filter((g) => g.status === 'pending' && g.provider.departmentId === mineDept);
  const mine = all.filter((g) => g.requester.departmentId === mineDept);
  const overdue = all.filter((g) => g.overdue);
  const active = filter ?? (toDecide.length ? 'toDecide' : 'all');
  const shown = active === 'toDecide' ? toDecide : active === 'mine' ? mine : active === 'overdue' ? overdue : all;
  const labelsOf = new Map(resources.map((r) => [r.code, new Map(r.fields.map((f) => [f.name, f.label]))]));

  const columns: TableProps<SharingGrant>['columns'] = [
    {
      title: t('grants.resource'),
      key: 'resource',
      render: (_, g) => (
        <Space orientation="vertical" size={2}>
          <span>{g.resource.name}</span>
          <Space size={4}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {g.resource.code}
            </Typography.Text>
            <SharingTypeTag type={g.resource.sharingType} />
          </Space>
        </Space>
      ),
    },
    {
      title: t('grants.parties'),
      key: 'parties',
      render: (_, g) => (
        <Space orientation="vertical" size={0}>
          <span>{g.requester.name}</span>
          <Typography.Text type="secondary">→ {g.provider.name}</Typography.Text>
        </Space>
      ),
    },
    {
      title: t('grants.fields'),
      dataIndex: 'fields',
      render: (fields: string[], g) => (
        <Space size={[4, 4]} wrap>
          {fields.map((f) => (
            <Tag key={f} bordered={false}>
              {fieldLabel(f, labelsOf.get(g.resource.code))}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('grants.purpose'),
      key: 'purpose',
      render: (_, g) => (
        <Space orientation="vertical" size={0}>
          <span>{g.purpose}</span>
          {g.legalBasis ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('grants.legalBasis')}：{g.legalBasis}
            </Typography.Text>
          ) : null}
        </Space>
      ),
    },
    {
      title: t('grants.status'),
      key: 'status',
      width: 150,
      render: (_, g) => (
        <Space orientation="vertical" size={2}>
          <GrantStatusTag status={g.status} />
          {g.decisionReason ? (
            <Tooltip title={g.decisionReason}>
              <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis>
                {g.decisionReason}
              </Typography.Text>
            </Tooltip>
          ) : null}
          {g.validUntil && g.status === 'granted' ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('grants.until', { date: formatTime(g.validUntil) })}
            </Typography.Text>
          ) : null}
        </Space>
      ),
    },
    { title: t('grants.requestedAt'), dataIndex: 'requestedAt', width: 140, render: (v: string) => formatTime(v), sorter: (a, b) => a.requestedAt.localeCompare(b.requestedAt) },
    {
      title: t('grants.deadline'),
      key: 'deadline',
      width: 150,
      sorter: (a, b) => (a.deadline ?? '9999').localeCompare(b.deadline ?? '9999'),
      render: (_, g) =>
        g.deadline && g.status === 'pending' ? (
          <Space size={4}>
            <span>{g.deadline}</span>
            {g.overdue ? (
              <Tag color="error" data-testid="grant-overdue">
                {t('grants.overdue')}
              </Tag>
            ) : null}
          </Space>
        ) : (
          (g.deadline ?? '—')
        ),
    },
    {
      title: t('case.step.actions'),
      key: 'actions',
      width: 100,
      render: (_, g) =>
        isSteward(user, g.provider.departmentId) ? (
          g.status === 'pending' ? (
            <DecideButton grant={g} />
          ) : g.status === 'granted' ? (
            <WithdrawGrantButton grant={g} />
          ) : null
        ) : null,
    },
  ];

  const badge = (n: number, color = '#1677ff') => <Badge count={n} showZero color={color} />;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Segmented<GrantFilter>
          value={active}
          onChange={setFilter}
          options={[
            { value: 'all', label: <span>{t('grants.filter.all')} {badge(all.length)}</span> },
            { value: 'toDecide', label: <span data-testid="filter-to-decide">{t('grants.filter.toDecide')} {badge(toDecide.length, toDecide.some((g) => g.overdue) ? '#ff4d4f' : '#faad14')}</span> },
            { value: 'mine', label: <span>{t('grants.filter.mine')} {badge(mine.length)}</span> },
            { value: 'overdue', label: <span>{t('grants.filter.overdue')} {badge(overdue.length, '#ff4d4f')}</span> },
          ]}
        />
        {canRequest(user) ? <RequestGrantButton resources={resources} departmentId={user.department?.id} /> : null}
      </Space>
      <Typography.Text type="secondary">{t('grants.intro')}</Typography.Text>
      <Table<SharingGrant>
        rowKey="id"
        size="middle"
        loading={grants.isPending}
        columns={columns}
        dataSource={shown}
        data-testid="grants"
        rowClassName={(g) => (g.overdue ? 'tb-row-red' : '')}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
      />
    </Space>
  );
}

function Catalogue({ user, resources, loading }: { user: User; resources: DataResource[]; loading: boolean }) {
  const t = useT();
  const columns: TableProps<DataResource>['columns'] = [
    {
      title: t('dataCatalogue.resource'),
      key: 'name',
      width: 250,
      render: (_, r) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong>{r.name}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.code}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.summary}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t('dataCatalogue.provider'), key: 'provider', width: 140, render: (_, r) => r.provider.name },
    { title: t('dataCatalogue.subject'), dataIndex: 'subjectKind', width: 90, render: (k: string) => t(k === 'business' ? 'kind.business' : 'kind.person') },
    { title: t('dataCatalogue.sharingType'), dataIndex: 'sharingType', width: 120, render: (s: DataResource['sharingType']) => <SharingTypeTag type={s} /> },
    {
      title: t('dataCatalogue.fields'),
      key: 'fields',
      render: (_, r) => (
        <Space size={[4, 4]} wrap>
          {r.fields.map((f) => (
            <Tag key={f.name} color={f.personal ? 'orange' : undefined} bordered={false} title={f.name}>
              {f.label}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('dataCatalogue.basis'),
      key: 'basis',
      width: 260,
      render: (_, r) => (
        <Space orientation="vertical" size={0}>
          {r.conditions ? <span>{r.conditions}</span> : null}
          {r.legalBasis ? <Typography.Text type="secondary">{r.legalBasis}</Typography.Text> : null}
          {!r.conditions && !r.legalBasis ? '—' : null}
        </Space>
      ),
    },
    { title: t('dataCatalogue.updateCycle'), dataIndex: 'updateCycle', width: 90, render: (c: string) => {
        const key = `updateCycle.${c}`;
        return hasMessage(key) ? t(key) : c;
      },
    },
    ...(canRequest(user)
      ? [
          {
            title: t('case.step.actions'),
            key: 'actions',
            width: 110,
            render: (_: unknown, r: DataResource) =>
              r.provider.departmentId === user.department?.id ? (
                <Tag>{t('dataCatalogue.own')}</Tag>
              ) : r.sharingType === 'closed' ? null : (
                <RequestGrantButton resources={resources} departmentId={user.department?.id} initialResource={r.code} buttonProps={{ size: 'small', type: 'link' }} />
              ),
          },
        ]
      : []),
  ];
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Typography.Text type="secondary">{t('dataCatalogue.intro')}</Typography.Text>
      <Table<DataResource> rowKey="code" size="middle" loading={loading} columns={columns} dataSource={resources} pagination={false} data-testid="data-catalogue" />
    </Space>
  );
}

function AnswerButton({ objection }: { objection: Objection }) {
  const t = useT();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ answer: string }>();
  const answer = useAnswerObjection();
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const formName = `answer${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  return (
    <>
      <Button
        size="small"
        type="primary"
        data-testid={`answer-${objection.id}`}
        onClick={() => {
          answer.reset();
          setUnplaced([]);
          form.resetFields();
          setOpen(true);
        }}
      >
        {t('objection.answer')}
      </Button>
      <Modal
        open={open}
        forceRender
        title={t('objection.answerTitle')}
        okText={t('common.confirm')}
        cancelText={t('common.cancel')}
        confirmLoading={answer.isPending}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
      >
        <Typography.Paragraph>
          {objection.subjectMasked}：{objection.reason}
        </Typography.Paragraph>
        <SubmitError error={answer.error} unplaced={unplaced} />
        <Form
          form={form}
          name={formName}
          layout="vertical"
          onFinish={(v) =>
            answer.mutate(
              { id: objection.id, answer: v.answer.trim() },
              {
                onSuccess: () => {
                  setOpen(false);
                  void message.success(t('objection.answered'));
                },
                onError: (e) => setUnplaced(applyFieldErrors(form, e)),
              },
            )
          }
        >
          <Form.Item name="answer" label={t('objection.answerLabel')} rules={[{ required: true, whitespace: true, message: t('objection.answerRequired') }]}>
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 6 }} maxLength={1000} showCount />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function Objections() {
  const t = useT();
  const objections = useObjections();
  const fieldLabel = useDataFieldLabel();
  if (objections.isError) return <ErrorResult error={objections.error} onRetry={() => void objections.refetch()} />;
  const columns: TableProps<Objection>['columns'] = [
    { title: t('objection.raisedAt'), dataIndex: 'raisedAt', width: 140, render: (v: string) => formatTime(v) },
    { title: t('objection.subject'), dataIndex: 'subjectMasked', width: 170 },
    {
      title: t('objection.record'),
      key: 'record',
      render: (_, o) => (
        <Space orientation="vertical" size={2}>
          <span>
            {formatTime(o.accessRecord.at)} · {o.accessRecord.readerDepartment}
          </span>
          <Typography.Text type="secondary">
            {o.accessRecord.resource ?? t('access.caseData')} · {o.accessRecord.purpose}
            {o.accessRecord.caseNo ? ` · ${o.accessRecord.caseNo}` : ''}
          </Typography.Text>
          <Space size={[4, 4]} wrap>
            {o.accessRecord.fields.map((f) => (
              <Tag key={f} bordered={false}>
                {fieldLabel(f)}
              </Tag>
            ))}
          </Space>
        </Space>
      ),
    },
    { title: t('objection.reason'), dataIndex: 'reason' },
    {
      title: t('objection.status'),
      key: 'status',
      width: 200,
      render: (_, o) =>
        o.status === 'open' ? (
          <Space>
            <Tag color="orange">{t('objection.open')}</Tag>
            <AnswerButton objection={o} />
          </Space>
        ) : (
          <Space orientation="vertical" size={2}>
            <Tag color="green">{t('objection.answered')}</Tag>
            <Typography.Text type="secondary">{o.answer}</Typography.Text>
          </Space>
        ),
    },
  ];
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Typography.Text type="secondary">{t('objection.intro')}</Typography.Text>
      <Table<Objection> rowKey="id" size="middle" loading={objections.isPending} columns={columns} dataSource={objections.data?.objections ?? []} pagination={{ pageSize: 20, hideOnSinglePage: true }} data-testid="objections" />
    </Space>
  );
}

function DataSharing({ user }: { user: User }) {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const catalogue = useDataCatalogue();
  const resources = catalogue.data?.resources ?? [];
  const tab = params.get('tab') ?? 'grants';
  return (
    <Card
      title={t('sharing.title')}
      extra={
        <Space>
          <Typography.Text type="secondary">{user.department?.name}</Typography.Text>
          <Link to="/verify">{t('nav.verify')}</Link>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('sharing.intro')}</Typography.Paragraph>
      {catalogue.isError ? <ErrorResult error={catalogue.error} onRetry={() => void catalogue.refetch()} /> : null}
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams({ tab: k }, { replace: true })}
        items={[
          { key: 'grants', label: t('sharing.grants'), children: <Grants user={user} resources={resources} /> },
          { key: 'catalogue', label: t('sharing.catalogue'), children: <Catalogue user={user} resources={resources} loading={catalogue.isPending} /> },
          ...(canAnswer(user) ? [{ key: 'objections', label: t('sharing.objections'), children: <Objections /> }] : []),
        ]}
      />
    </Card>
  );
}

/** 数据共享 for staff: the data catalogue, sharing grants to request or decide (overdue marked), and objections to answer. */
export function DataSharingPage() {
  return <RequireAuth>{(user) => <DataSharing user={user} />}</RequireAuth>;
}
