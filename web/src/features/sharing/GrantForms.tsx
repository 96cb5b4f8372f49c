import { useId, useState } from 'react';
import { Alert, App, Button, Checkbox, Form, Input, Modal, Popconfirm, Radio, Select, Space, Typography } from 'antd';
import { RollbackOutlined } from '@ant-design/icons';
import { applyFieldErrors } from '../../api/form-errors';
import { SubmitError } from '../../components/SubmitError';
import { useT } from '../../components/locale';
import { endOfChinaDay, useDecideGrant, useRequestGrant, useWithdrawGrant, type DataResource, type SharingGrant } from './api';
import { SharingTypeTag } from './labels';

interface RequestValues {
  resource: string;
  fields: string[];
  purpose: string;
  legalBasis?: string;
  validUntil?: string;
}

/** 共享申请: a department asks for fields of another's resource, for one purpose, on a legal basis. */
export function RequestGrantButton({ resources, departmentId, initialResource, buttonProps }: { resources: DataResource[]; departmentId: string | undefined; initialResource?: string; buttonProps?: { size?: 'small'; type?: 'primary' | 'default' | 'link' } }) {
  const t = useT();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<RequestValues>();
  const request = useRequestGrant();
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const formName = `grant${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  const code = Form.useWatch('resource', form);
  const resource = resources.find((r) => r.code === code);
  const choosable = resources.filter((r) => r.provider.departmentId !== departmentId);

  const submit = (v: RequestValues) => {
    setUnplaced([]);
    const legalBasis = v.legalBasis?.trim();
    const validUntil = endOfChinaDay(v.validUntil);
    request.mutate(
      { resource: v.resource, fields: v.fields, purpose: v.purpose.trim(), ...(legalBasis ? { legalBasis } : {}), ...(validUntil ? { validUntil } : {}) },
      {
        onSuccess: (g) => {
          setOpen(false);
          if (g.status === 'granted') void message.success(t('grants.requestedGranted'));
          else if (g.status === 'refused') void message.warning(`${t('grants.requestedRefused')}${g.decisionReason ? `：${g.decisionReason}` : ''}`);
          else void message.success(t('grants.requestedPending', { date: g.deadline ?? '—' }));
        },
        onError: (e) => setUnplaced(applyFieldErrors(form, e)),
      },
    );
  };

  return (
    <>
      <Button
        type={buttonProps?.type ?? 'primary'}
        size={buttonProps?.size}
        data-testid={initialResource ? `request-${initialResource}` : 'request-grant'}
        onClick={() => {
          request.reset();
          setUnplaced([]);
          form.resetFields();
          if (initialResource) form.setFieldsValue({ resource: initialResource });
          setOpen(true);
        }}
      >
        {t('grants.request')}
      </Button>
      <Modal
        open={open}
        forceRender
        width={640}
        title={t('grants.requestTitle')}
        okText={t('grants.submit')}
        cancelText={t('common.cancel')}
        confirmLoading={request.isPending}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        data-testid="request-grant-modal"
      >
        <Typography.Paragraph type="secondary">{t('grants.requestIntro')}</Typography.Paragraph>
        <SubmitError error={request.error} unplaced={unplaced} />
        <Form<RequestValues> form={form} name={formName} layout="vertical" onFinish={submit} onValuesChange={(changed) => 'resource' in changed && form.setFieldsValue({ fields: [] })}>
          <Form.Item name="resource" label={t('grants.resource')} rules={[{ required: true, message: t('grants.resourceRequired') }]}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('schemaForm.choosePlaceholder')}
              options={choosable.map((r) => ({ value: r.code, label: `${r.name}（${r.provider.name}）` }))}
            />
          </Form.Item>
          {resource ? (
            <Space style={{ marginBottom: 12 }} wrap>
              <SharingTypeTag type={resource.sharingType} />
              {resource.conditions ? <Typography.Text type="secondary">{resource.conditions}</Typography.Text> : null}
            </Space>
          ) : null}
          {resource?.sharingType === 'closed' ? (
            <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('grants.closedWarning')} description={resource.legalBasis ?? undefined} />
          ) : null}
          <Form.Item name="fields" label={t('grants.fields')} rules={[{ required: true, type: 'array', min: 1, message: t('grants.fieldsRequired') }]}>
            <Checkbox.Group options={(resource?.fields ?? []).map((f) => ({ value: f.name, label: f.personal ? `${f.label} *` : f.label }))} />
          </Form.Item>
          {resource?.fields.some((f) => f.personal) ? (
            <Typography.Paragraph type="secondary" style={{ marginTop: -12 }}>
              {t('grants.personalNote')}
            </Typography.Paragraph>
          ) : null}
          <Form.Item name="purpose" label={t('grants.purpose')} extra={t('grants.purposeHelp')} rules={[{ required: true, whitespace: true, message: t('grants.purposeRequired') }]}>
            <Input maxLength={200} showCount />
          </Form.Item>
          <Form.Item
            name="legalBasis"
            label={t('grants.legalBasis')}
            extra={resource?.sharingType === 'conditional' ? t('grants.legalBasisConditional') : undefined}
            rules={resource?.sharingType === 'conditional' ? [{ required: true, whitespace: true, message: t('grants.legalBasisRequired') }] : []}
          >
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} maxLength={500} showCount />
          </Form.Item>
          <Form.Item name="validUntil" label={t('grants.validUntilOptional')}>
            <Input type="date" style={{ maxWidth: 240 }} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

interface DecisionValues {
  decision: 'approve' | 'refuse';
  reason?: string;
  validUntil?: string;
}

/** The provider's steward answers a conditional request: approve (optionally until a date) or refuse with reasons. */
export function DecideButton({ grant }: { grant: SharingGrant }) {
  const t = useT();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<DecisionValues>();
  const decide = useDecideGrant();
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const formName = `decide${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  const decision = Form.useWatch('decision', form);
  return (
    <>
      <Button
        size="small"
        type="primary"
        data-testid={`decide-${grant.id}`}
        onClick={() => {
          decide.reset();
          setUnplaced([]);
          form.resetFields();
          setOpen(true);
        }}
      >
        {t('grants.decide')}
      </Button>
      <Modal
        open={open}
        forceRender
        title={t('grants.decideTitle', { resource: grant.resource.name })}
        okText={t('common.confirm')}
        cancelText={t('common.cancel')}
        confirmLoading={decide.isPending}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
      >
        <Typography.Paragraph>
          {grant.requester.name}：{grant.purpose}
        </Typography.Paragraph>
        {grant.legalBasis ? (
          <Typography.Paragraph type="secondary">
            {t('grants.legalBasis')}：{grant.legalBasis}
          </Typography.Paragraph>
        ) : null}
        <SubmitError error={decide.error} unplaced={unplaced} />
        <Form<DecisionValues>
          form={form}
          name={formName}
          layout="vertical"
          initialValues={{ decision: 'approve' }}
          onFinish={(v) => {
            setUnplaced([]);
            const reason = v.reason?.trim();
            const validUntil = v.decision === 'approve' ? endOfChinaDay(v.validUntil) : undefined;
            decide.mutate(
              { id: grant.id, decision: v.decision, ...(reason ? { reason } : {}), ...(validUntil ? { validUntil } : {}) },
              {
                onSuccess: (g) => {
                  setOpen(false);
                  void message.success(t(g.status === 'granted' ? 'grants.approved' : 'grants.refused'));
                },
                onError: (e) => setUnplaced(applyFieldErrors(form, e)),
              },
            );
          }}
        >
          <Form.Item name="decision" label={t('grants.decision')}>
            <Radio.Group
              options={[
                { value: 'approve', label: t('grants.approve') },
                { value: 'refuse', label: t('grants.refuse') },
              ]}
            />
          </Form.Item>
          <Form.Item
            name="reason"
            label={t(decision === 'refuse' ? 'grants.refuseReason' : 'grants.noteOptional')}
            rules={decision === 'refuse' ? [{ required: true, whitespace: true, message: t('grants.refuseReasonRequired') }] : []}
          >
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={500} showCount />
          </Form.Item>
          {decision !== 'refuse' ? (
            <Form.Item name="validUntil" label={t('grants.validUntilOptional')}>
              <Input type="date" style={{ maxWidth: 240 }} />
            </Form.Item>
          ) : null}
        </Form>
      </Modal>
    </>
  );
}

/** The provider's steward withdraws a grant in force, with the reason; the next read under it is refused. */
export function WithdrawGrantButton({ grant }: { grant: SharingGrant }) {
  const t = useT();
  const { message } = App.useApp();
  const withdraw = useWithdrawGrant();
  const [reason, setReason] = useState('');
  return (
    <Popconfirm
      title={t('grants.withdrawConfirm')}
      description={<Input placeholder={t('grants.withdrawReason')} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger: true, disabled: !reason.trim() }}
      onConfirm={() =>
        withdraw.mutateAsync({ id: grant.id, reason: reason.trim() }).then(
          () => void message.success(t('grants.withdrawn')),
          (e: unknown) => void message.error(e instanceof Error ? e.message : t('error.title')),
        )
      }
    >
      <Button size="small" danger icon={<RollbackOutlined />} loading={withdraw.isPending}>
        {t('grants.withdraw')}
      </Button>
    </Popconfirm>
  );
}
