import { Alert, Button, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Link, useLocation, useNavigate } from 'react-router';
import type { LoginRequest } from '../../../../shared/contracts/identity.js';
import { isApiError } from '../../api/client';
import { applyFieldErrors } from '../../api/form-errors';
import { CenteredCard } from '../../components/CenteredCard';
import { useT } from '../../components/locale';
import { useLogin } from './api';

interface LoginState {
  from?: string;
  registered?: string;
}

export function LoginPage() {
  const t = useT();
  const [form] = Form.useForm<LoginRequest>();
  const login = useLogin();
  const navigate = useNavigate();
  const state = (useLocation().state ?? {}) as LoginState;

  const onFinish = (values: LoginRequest) =>
    login.mutate(values, {
      onSuccess: () => void navigate(state.from && state.from.startsWith('/') ? state.from : '/', { replace: true }),
      onError: (e) => applyFieldErrors(form, e),
    });

  return (
    <CenteredCard title={t('login.title')}>
      {state.registered && !login.error ? (
        <Alert type="success" showIcon title={t('login.registered')} style={{ marginBottom: 16 }} data-testid="registered-notice" />
      ) : null}
      {login.error ? (
        <Alert
          type="error"
          showIcon
          title={isApiError(login.error) ? login.error.message : t('error.title')}
          style={{ marginBottom: 16 }}
          data-testid="login-error"
        />
      ) : null}
      <Form form={form} layout="vertical" onFinish={onFinish} initialValues={{ username: state.registered ?? '' }} requiredMark={false}>
        <Form.Item name="username" label={t('login.username')} rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}>
          <Input prefix={<UserOutlined />} autoComplete="username" autoFocus={!state.registered} />
        </Form.Item>
        <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" autoFocus={!!state.registered} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" block loading={login.isPending}>
            {t('login.submit')}
          </Button>
        </Form.Item>
      </Form>
      <Typography.Text type="secondary">
        {t('login.noAccount')} <Link to="/register">{t('login.toRegister')}</Link>
      </Typography.Text>
    </CenteredCard>
  );
}
