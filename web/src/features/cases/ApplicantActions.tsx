import { useState } from 'react';
import { Alert, App, Button, Card, Collapse, Form, Input, Popconfirm, Typography } from 'antd';
import { RollbackOutlined, SendOutlined } from '@ant-design/icons';
import { applyFieldErrors } from '../../api/form-errors';
import { SchemaForm, cleanSchemaValues } from '../../components/SchemaForm';
import { SubmitError } from '../../components/SubmitError';
import { useT } from '../../components/locale';
import type { Implementation } from '../catalogue/api';
import { useCaseAction, type Case } from './api';
import { MaterialFields, materialRefs, remapMaterialIssues } from './MaterialUpload';

const OPEN: Case['status'][] = ['submitted', 'awaiting_correction', 'in_review', 'awaiting_applicant'];

/** The last notice that asked the applicant for something: a correction list or a reviewer's return. */
function lastRequest(c: Case) {
  for (let i = c.timeline.length - 1; i >= 0; i--) {
    const e = c.timeline[i]!;
    if (e.action === 'requestCorrection' || e.action === 'return') return e;
  }
  return null;
}

interface CorrectionDetails {
  items?: { materialId?: string; field?: string; problem: string }[];
  note?: string | null;
  reason?: string | null;
}

function Notice({ c, impl }: { c: Case; impl: Implementation | undefined }) {
  const t = useT();
  const e = lastRequest(c);
  if (!e) return null;
  const d = (e.details ?? {}) as CorrectionDetails;
  const names = new Map((impl?.materials ?? []).map((m) => [m.id, m.name]));
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginBottom: 16 }}
      data-testid="correction-notice"
      title={e.action === 'return' ? t('applicant.returned') : t('applicant.correction')}
      description={
        <>
          {d.items?.length ? (
            <ol style={{ margin: 0, paddingInlineStart: 20 }}>
              {d.items.map((i, n) => (
                <li key={n}>
                  {i.materialId ? `${names.get(i.materialId) ?? i.materialId}：` : i.field ? `${i.field}：` : ''}
                  {i.problem}
                </li>
              ))}
            </ol>
          ) : null}
          {d.reason ? <div>{d.reason}</div> : null}
          {d.note ? <div>{d.note}</div> : null}
        </>
      }
    />
  );
}

function Resubmit({ c, impl }: { c: Case; impl: Implementation | undefined }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ materials?: Record<string, string | undefined>; form?: Record<string, unknown> }>();
  const action = useCaseAction(c.caseNo);
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const [editForm, setEditForm] = useState(false);

  const onFinish = (values: { materials?: Record<string, string | undefined>; form?: Record<string, unknown> }) => {
    setUnplaced([]);
    const materials = materialRefs(values.materials);
    action.mutate(
      { action: 'resubmit', materials, ...(editForm && impl ? { form: cleanSchemaValues(impl.formSchema, values.form) } : {}) },
      {
        onSuccess: () => void message.success(t('applicant.resubmitted')),
        onError: (e) => setUnplaced(applyFieldErrors(form, remapMaterialIssues(e, { materials }))),
      },
    );
  };

  return (
    <Card title={t('applicant.resubmitTitle')} data-testid="resubmit">
      <Notice c={c} impl={impl} />
      <Form form={form} layout="vertical" onFinish={onFinish} initialValues={{ form: c.form }}>
        <MaterialFields materials={impl?.materials ?? []} name="materials" requireAll={false} />
        {impl ? (
          <Collapse
            style={{ marginBottom: 16 }}
            onChange={(keys) => setEditForm(keys.length > 0)}
            items={[{ key: 'form', label: t('applicant.editForm'), children: <SchemaForm schema={impl.formSchema} name="form" />, forceRender: true }]}
          />
        ) : null}
        <SubmitError error={action.error} unplaced={unplaced} />
        <Button type="primary" htmlType="submit" icon={<SendOutlined />} loading={action.isPending} data-testid="action-resubmit">
          {t('applicant.resubmit')}
        </Button>
      </Form>
    </Card>
  );
}

function DeliverOwed({ c, impl }: { c: Case; impl: Implementation | undefined }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ materials?: Record<string, string | undefined> }>();
  const action = useCaseAction(c.caseNo);
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const owedIds = new Set(c.owed.map((o) => o.materialId));
  const owed = (impl?.materials ?? []).filter((m) => owedIds.has(m.id));
  return (
    <Card title={t('applicant.owedTitle')} data-testid="deliver-owed">
      <Typography.Paragraph type="secondary">
        {t('applicant.owedIntro')} {c.owed.map((o) => `${owed.find((m) => m.id === o.materialId)?.name ?? o.materialId}（${o.due}）`).join('、')}
      </Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => {
          setUnplaced([]);
          const materials = materialRefs(v.materials);
          action.mutate(
            { action: 'deliverOwed', materials },
            { onSuccess: () => void message.success(t('applicant.delivered')), onError: (e) => setUnplaced(applyFieldErrors(form, remapMaterialIssues(e, { materials }))) },
          );
        }}
      >
        <MaterialFields materials={owed.map((m) => ({ ...m, satisfiedBy: undefined }))} name="materials" />
        <SubmitError error={action.error} unplaced={unplaced} />
        <Button type="primary" htmlType="submit" loading={action.isPending}>
          {t('applicant.deliver')}
        </Button>
      </Form>
    </Card>
  );
}

/** 撤回申请, while the case is still open. */
export function Withdraw({ c }: { c: Case }) {
  if (!OPEN.includes(c.status)) return null;
  return <WithdrawButton c={c} />;
}

function WithdrawButton({ c }: { c: Case }) {
  const t = useT();
  const { message } = App.useApp();
  const action = useCaseAction(c.caseNo);
  const [reason, setReason] = useState('');
  return (
    <Popconfirm
      title={t('applicant.withdrawConfirm')}
      description={<Input placeholder={t('applicant.withdrawReason')} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger: true }}
      onConfirm={() =>
        action.mutateAsync({ action: 'withdraw', ...(reason.trim() ? { reason: reason.trim() } : {}) }).then(
          () => void message.success(t('applicant.withdrawn')),
          (e: unknown) => void message.error(e instanceof Error ? e.message : t('error.title')),
        )
      }
    >
      <Button danger icon={<RollbackOutlined />} loading={action.isPending} data-testid="action-withdraw">
        {t('applicant.withdraw')}
      </Button>
    </Popconfirm>
  );
}

/** What the applicant owes on their case: an answer to a correction or a return, or owed materials. */
export function ApplicantActions({ c, impl }: { c: Case; impl: Implementation | undefined }) {
  if (c.status === 'awaiting_correction' || c.status === 'awaiting_applicant') return <Resubmit c={c} impl={impl} />;
  if (c.status === 'in_review' && c.owed.length > 0) return <DeliverOwed c={c} impl={impl} />;
  return null;
}
