import { App, Button, Form, Select, Space, Typography } from 'antd';
import { useT } from '../../components/locale';
import { useDepartments } from '../regions/api';
import { ActionButton, ReasonFields, opt } from './ActionModal';
import { useCaseAction, type Case, type CaseStep } from './api';

function ClaimButton({ caseNo, step }: { caseNo: string; step: string }) {
  const t = useT();
  const { message } = App.useApp();
  const action = useCaseAction(caseNo);
  return (
    <Button
      type="primary"
      size="small"
      loading={action.isPending}
      data-testid={`claim-${step}`}
      onClick={() =>
        action.mutate(
          { action: 'claim', step },
          {
            onSuccess: () => void message.success(t('review.claimed')),
            onError: (e) => void message.error(e.message),
          },
        )
      }
    >
      {t('review.claim')}
    </Button>
  );
}

function TransferButton({ c, step }: { c: Case; step: CaseStep }) {
  const t = useT();
  const departments = useDepartments(c.regionCode);
  const options = (departments.data?.departments ?? []).filter((d) => d.id !== step.department.id).map((d) => ({ value: d.id, label: d.name }));
  return (
    <ActionButton
      caseNo={c.caseNo}
      label={t('review.transfer')}
      buttonProps={{ size: 'small' }}
      testId={`transfer-${step.key}`}
      toBody={(v) => ({ action: 'transfer', step: step.key, toDepartmentId: String(v.toDepartmentId ?? ''), reason: opt(v.reason), basis: opt(v.basis) })}
    >
      <Typography.Paragraph type="warning">{t('review.transferWarning')}</Typography.Paragraph>
      <Form.Item name="toDepartmentId" label={t('review.toDepartment')} rules={[{ required: true, message: t('review.toDepartmentRequired') }]}>
        <Select showSearch={{ optionFilterProp: 'label' }} options={options} loading={departments.isPending} placeholder={t('review.toDepartmentPlaceholder')} />
      </Form.Item>
      <ReasonFields />
    </ActionButton>
  );
}

/**
 * A reviewer's actions on one step of their department: 认领 and 转办 while it waits; once they
 * have claimed it, 同意, 不同意 (reason and basis), 退回 (reason) and 转办.
 */
export function StepActions({ c, step, mine }: { c: Case; step: CaseStep; mine: boolean }) {
  const t = useT();
  if (c.status !== 'in_review') return null;
  if (step.status === 'active') {
    return (
      <Space size={4} wrap>
        <ClaimButton caseNo={c.caseNo} step={step.key} />
        <TransferButton c={c} step={step} />
      </Space>
    );
  }
  if (step.status !== 'claimed' || !mine) return null;
  return (
    <Space size={4} wrap>
      <ActionButton
        caseNo={c.caseNo}
        label={t('review.approve')}
        title={t('review.approveTitle', { step: step.name })}
        buttonProps={{ type: 'primary', size: 'small' }}
        testId={`approve-${step.key}`}
        toBody={(v) => ({ action: 'approve', step: step.key, reason: opt(v.reason), basis: opt(v.basis) })}
      >
        <ReasonFields reasonRequired={false} basisRequired={false} />
      </ActionButton>
      <ActionButton
        caseNo={c.caseNo}
        label={t('review.deny')}
        title={t('review.denyTitle', { step: step.name })}
        buttonProps={{ danger: true, size: 'small' }}
        testId={`deny-${step.key}`}
        toBody={(v) => ({ action: 'deny', step: step.key, reason: opt(v.reason), basis: opt(v.basis) })}
      >
        <ReasonFields />
      </ActionButton>
      <ActionButton
        caseNo={c.caseNo}
        label={t('review.return')}
        title={t('review.returnTitle', { step: step.name })}
        buttonProps={{ size: 'small' }}
        testId={`return-${step.key}`}
        toBody={(v) => ({ action: 'return', step: step.key, reason: opt(v.reason) })}
      >
        <ReasonFields basis={false} />
      </ActionButton>
      <TransferButton c={c} step={step} />
    </Space>
  );
}
