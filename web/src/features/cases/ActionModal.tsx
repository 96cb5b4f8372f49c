import { useId, useState, type ReactNode } from 'react';
import { App, Button, Form, Input, Modal } from 'antd';
import type { ButtonProps } from 'antd';
import { applyFieldErrors } from '../../api/form-errors';
import { SubmitError } from '../../components/SubmitError';
import { useT } from '../../components/locale';
import { useCaseAction, type CaseActionRequest } from './api';

type Values = Record<string, unknown>;

/**
 * A button that opens a form for one case action (不予受理, 不同意, 转办 …), sends it, puts the
 * server's field issues on the fields and closes on success. Without `children` it asks for
 * nothing but a confirmation.
 */
export function ActionButton({
  caseNo,
  label,
  title,
  toBody,
  children,
  initialValues,
  buttonProps,
  okText,
  testId,
  width,
  successText,
}: {
  caseNo: string;
  label: ReactNode;
  title?: ReactNode;
  toBody: (values: Values) => CaseActionRequest;
  children?: ReactNode;
  initialValues?: Values;
  buttonProps?: ButtonProps;
  okText?: ReactNode;
  testId?: string;
  width?: number;
  successText?: string;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Values>();
  const action = useCaseAction(caseNo);
  const [unplaced, setUnplaced] = useState<string[]>([]);
  // several of these forms sit on one page: the name keeps their field ids (and labels) apart
  const formName = `action${useId().replace(/[^a-zA-Z0-9]/g, '')}`;

  const submit = (values: Values) => {
    setUnplaced([]);
    action.mutate(toBody(values), {
      onSuccess: () => {
        setOpen(false);
        form.resetFields();
        void message.success(successText ?? t('action.done'));
      },
      onError: (e) => setUnplaced(applyFieldErrors(form, e)),
    });
  };

  return (
    <>
      <Button
        {...buttonProps}
        data-testid={testId}
        onClick={() => {
          action.reset();
          setUnplaced([]);
          form.resetFields();
          // a closed modal does not re-render its form, so values known only now are set here
          if (initialValues) form.setFieldsValue(initialValues);
          setOpen(true);
        }}
      >
        {label}
      </Button>
      <Modal
        open={open}
        title={title ?? label}
        width={width ?? 560}
        okText={okText ?? t('common.confirm')}
        cancelText={t('common.cancel')}
        confirmLoading={action.isPending}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        forceRender
        data-testid={testId ? `${testId}-modal` : undefined}
      >
        <SubmitError error={action.error} unplaced={unplaced} />
        <Form<Values> form={form} name={formName} layout="vertical" onFinish={submit} initialValues={initialValues}>
          {children ?? <p>{t('action.confirm')}</p>}
        </Form>
      </Modal>
    </>
  );
}

/** 理由 and 依据, both required: what the law asks of a refusal or a transfer (行政许可法 art. 38). */
export function ReasonFields({ basis = true, reasonRequired = true, basisRequired = true }: { basis?: boolean; reasonRequired?: boolean; basisRequired?: boolean }) {
  const t = useT();
  return (
    <>
      <Form.Item name="reason" label={t('action.reason')} rules={reasonRequired ? [{ required: true, whitespace: true, message: t('action.reasonRequired') }] : []}>
        <Input.TextArea autoSize={{ minRows: 3, maxRows: 6 }} maxLength={1000} showCount />
      </Form.Item>
      {basis ? (
        <Form.Item name="basis" label={t('action.basis')} rules={basisRequired ? [{ required: true, whitespace: true, message: t('action.basisRequired') }] : []}>
          <Input maxLength={500} placeholder={t('action.basisPlaceholder')} />
        </Form.Item>
      ) : null}
    </>
  );
}

/** '' → undefined, trimmed otherwise: optional text fields are left out of the body. */
export function opt(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}
