import { Form, Input } from 'antd';
import { Phone } from '../../../../shared/contracts/identity.js';
import { creditCodeProblem, idNumberProblem } from '../../../../shared/identity-numbers.js';
import { problemRule, zodRule } from '../../components/form-rules';
import { useT } from '../../components/locale';
import { upper } from './PersonFields';

const trimUpper = (v: string) => v.trim().toUpperCase();

export function BusinessFields() {
  const t = useT();
  const required = { required: true, whitespace: true, message: t('register.required') };
  return (
    <>
      <Form.Item name="name" label={t('register.businessName')} rules={[required, { max: 100 }]}>
        <Input autoComplete="organization" />
      </Form.Item>
      <Form.Item name="creditCode" label={t('register.creditCode')} normalize={upper} rules={[required, problemRule(creditCodeProblem, trimUpper)]}>
        <Input maxLength={18} autoComplete="off" spellCheck={false} />
      </Form.Item>
      <Form.Item name={['legalRepresentative', 'name']} label={t('register.legalRepName')} rules={[required, { max: 50 }]}>
        <Input />
      </Form.Item>
      <Form.Item
        name={['legalRepresentative', 'idNumber']}
        label={t('register.legalRepId')}
        normalize={upper}
        rules={[required, problemRule(idNumberProblem, trimUpper)]}
      >
        <Input maxLength={18} autoComplete="off" spellCheck={false} />
      </Form.Item>
      <Form.Item name="phone" label={t('register.phoneOptional')} rules={[zodRule(Phone)]}>
        <Input maxLength={11} autoComplete="tel" inputMode="numeric" />
      </Form.Item>
    </>
  );
}
