import { Form, Input } from 'antd';
import { Phone } from '../../../../shared/contracts/identity.js';
import { idNumberProblem } from '../../../../shared/identity-numbers.js';
import { problemRule, zodRule } from '../../components/form-rules';
import { useT } from '../../components/locale';

export const upper = (v: unknown) => (typeof v === 'string' ? v.toUpperCase() : v);
const trimUpper = (v: string) => v.trim().toUpperCase();

export function PersonFields() {
  const t = useT();
  const required = { required: true, whitespace: true, message: t('register.required') };
  return (
    <>
      <Form.Item name="name" label={t('register.personName')} rules={[required, { max: 50 }]}>
        <Input autoComplete="name" />
      </Form.Item>
      <Form.Item name="idNumber" label={t('register.idNumber')} normalize={upper} rules={[required, problemRule(idNumberProblem, trimUpper)]}>
        <Input maxLength={18} autoComplete="off" spellCheck={false} />
      </Form.Item>
      <Form.Item name="phone" label={t('register.phone')} rules={[required, zodRule(Phone)]}>
        <Input maxLength={11} autoComplete="tel" inputMode="numeric" />
      </Form.Item>
    </>
  );
}
