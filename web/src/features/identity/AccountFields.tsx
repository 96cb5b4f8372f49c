import { Form, Input } from 'antd';
import { Password, Username } from '../../../../shared/contracts/identity.js';
import { zodRule } from '../../components/form-rules';
import { useT } from '../../components/locale';

/** Username, password and its confirmation: the part both registration forms share. */
export function AccountFields() {
  const t = useT();
  const required = { required: true, whitespace: true, message: t('register.required') };
  return (
    <>
      <Form.Item name="username" label={t('register.username')} extra={t('register.usernameHelp')} rules={[required, zodRule(Username)]}>
        <Input autoComplete="username" />
      </Form.Item>
      <Form.Item name="password" label={t('register.password')} extra={t('register.passwordHelp')} rules={[{ required: true, message: t('register.required') }, zodRule(Password)]}>
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('register.confirm')}
        dependencies={['password']}
        rules={[
          { required: true, message: t('register.required') },
          ({ getFieldValue }) => ({
            validator: async (_r, v: unknown) => {
              if (v && v !== getFieldValue('password')) throw new Error(t('register.confirmMismatch'));
            },
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
    </>
  );
}
