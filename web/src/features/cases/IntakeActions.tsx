import { Button, Card, Checkbox, Form, Input, Popconfirm, Select, Space, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { App } from 'antd';
import { schemaFields } from '../../components/SchemaForm';
import { useT } from '../../components/locale';
import type { Implementation } from '../catalogue/api';
import { ActionButton, ReasonFields, opt } from './ActionModal';
import { useCaseAction, type Case } from './api';

/** Required materials the applicant did not provide: the first lines of a correction notice. */
export function missingMaterials(c: Case, impl: Implementation | undefined) {
  const given = new Set(c.materials.map((m) => m.materialId));
  return (impl?.materials ?? []).filter((m) => m.required && !given.has(m.id));
}

function AcceptButton({ caseNo }: { caseNo: string }) {
  const t = useT();
  const { message } = App.useApp();
  const action = useCaseAction(caseNo);
  return (
    <Popconfirm
      title={t('intake.acceptConfirm')}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      onConfirm={() =>
        action.mutateAsync({ action: 'accept' }).then(
          () => void message.success(t('intake.accepted')),
          (e: unknown) => void message.error(e instanceof Error ? e.message : t('error.title')),
        )
      }
    >
      <Button type="primary" loading={action.isPending} data-testid="action-accept">
        {t('intake.accept')}
      </Button>
    </Popconfirm>
  );
}

const commitmentRule = (message: string) => ({
  validator: async (_: unknown, v: unknown) => {
    if (v !== true) throw new Error(message);
  },
});

/**
 * The window's intake decision (行政许可法 art. 32): 受理, 不予受理 with reason and basis, one
 * notice listing every correction (一次性告知), 容缺受理 with owed materials and their dates, and
 * 告知承诺 on the applicant's signed commitment.
 */
export function IntakeActions({ c, impl }: { c: Case; impl: Implementation | undefined }) {
  const t = useT();
  const materials = impl?.materials ?? [];
  const materialOptions = materials.map((m) => ({ value: m.id, label: `${m.id} ${m.name}` }));
  const fieldOptions = schemaFields(impl?.formSchema).map(({ key, field }) => ({ value: key, label: field.title ?? key }));
  const missing = missingMaterials(c, impl);
  const today = new Date();
  const iso = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  const soon = iso(new Date(today.getTime() + 3 * 86_400_000));

  return (
    <Card title={t('intake.title')} data-testid="intake-actions">
      <Typography.Paragraph type="secondary">{t('intake.intro', { date: c.intakeDeadline })}</Typography.Paragraph>
      <Space wrap>
        <AcceptButton caseNo={c.caseNo} />

        <ActionButton
          caseNo={c.caseNo}
          label={t('intake.reject')}
          buttonProps={{ danger: true }}
          testId="action-reject"
          toBody={(v) => ({ action: 'reject', reason: opt(v.reason), basis: opt(v.basis) })}
        >
          <ReasonFields />
        </ActionButton>

        <ActionButton
          caseNo={c.caseNo}
          label={t('intake.correction')}
          testId="action-correction"
          width={720}
          initialValues={{ items: missing.length ? missing.map((m) => ({ materialId: m.id, problem: t('intake.missingProblem') })) : [{}] }}
          toBody={(v) => ({
            action: 'requestCorrection',
            items: ((v.items as { materialId?: string; field?: string; problem?: string }[] | undefined) ?? []).map((i) => ({
              ...(i.materialId ? { materialId: i.materialId } : {}),
              ...(i.field ? { field: i.field } : {}),
              problem: i.problem?.trim() ?? '',
            })),
            note: opt(v.note),
          })}
        >
          <Typography.Paragraph type="secondary">{t('intake.correctionIntro')}</Typography.Paragraph>
          <Form.List name="items">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} align="start" wrap style={{ display: 'flex' }}>
                    <Form.Item name={[f.name, 'materialId']} style={{ width: 200 }}>
                      <Select allowClear options={materialOptions} placeholder={t('intake.material')} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'field']} style={{ width: 140 }}>
                      <Select allowClear options={fieldOptions} placeholder={t('intake.field')} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'problem']} style={{ width: 240 }} rules={[{ required: true, whitespace: true, message: t('intake.problemRequired') }]}>
                      <Input placeholder={t('intake.problem')} maxLength={300} />
                    </Form.Item>
                    <MinusCircleOutlined style={{ marginTop: 8 }} onClick={() => remove(f.name)} aria-label={t('common.remove')} />
                  </Space>
                ))}
                <Button type="dashed" onClick={() => add({})} icon={<PlusOutlined />} block style={{ marginBottom: 16 }}>
                  {t('intake.addItem')}
                </Button>
              </>
            )}
          </Form.List>
          <Form.Item name="note" label={t('intake.note')}>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} maxLength={1000} />
          </Form.Item>
        </ActionButton>

        <ActionButton
          caseNo={c.caseNo}
          label={t('intake.deficiency')}
          testId="action-deficiency"
          width={640}
          initialValues={{ owed: missing.length ? missing.map((m) => ({ materialId: m.id, due: soon })) : [{ due: soon }] }}
          toBody={(v) => ({
            action: 'acceptWithDeficiency',
            owed: ((v.owed as { materialId?: string; due?: string }[] | undefined) ?? []).map((o) => ({ materialId: o.materialId ?? '', due: o.due ?? '' })),
            commitmentSigned: true,
          })}
        >
          <Typography.Paragraph type="secondary">{t('intake.deficiencyIntro')}</Typography.Paragraph>
          <Form.List name="owed">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} align="start" wrap style={{ display: 'flex' }}>
                    <Form.Item name={[f.name, 'materialId']} style={{ width: 300 }} rules={[{ required: true, message: t('intake.materialRequired') }]}>
                      <Select options={materialOptions} placeholder={t('intake.material')} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'due']} rules={[{ required: true, message: t('intake.dueRequired') }]}>
                      <Input type="date" aria-label={t('intake.due')} />
                    </Form.Item>
                    <MinusCircleOutlined style={{ marginTop: 8 }} onClick={() => remove(f.name)} aria-label={t('common.remove')} />
                  </Space>
                ))}
                <Button type="dashed" onClick={() => add({ due: soon })} icon={<PlusOutlined />} block style={{ marginBottom: 16 }}>
                  {t('intake.addOwed')}
                </Button>
              </>
            )}
          </Form.List>
          <Form.Item name="commitmentSigned" valuePropName="checked" rules={[commitmentRule(t('intake.commitmentRequired'))]}>
            <Checkbox>{t('intake.commitmentDeficiency')}</Checkbox>
          </Form.Item>
        </ActionButton>

        <ActionButton
          caseNo={c.caseNo}
          label={t('intake.commitment')}
          testId="action-commitment"
          toBody={(v) => ({ action: 'approveByCommitment', commitmentSigned: true, basis: opt(v.basis) })}
        >
          <Typography.Paragraph type="secondary">{t('intake.commitmentIntro')}</Typography.Paragraph>
          <Form.Item name="basis" label={t('action.basis')}>
            <Input maxLength={500} placeholder="国办发〔2020〕42号" />
          </Form.Item>
          <Form.Item name="commitmentSigned" valuePropName="checked" rules={[commitmentRule(t('intake.commitmentRequired'))]}>
            <Checkbox>{t('intake.commitmentSigned')}</Checkbox>
          </Form.Item>
        </ActionButton>
      </Space>
    </Card>
  );
}
