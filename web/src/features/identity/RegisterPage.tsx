import { useState } from 'react';
import { Alert, Button, Form, Segmented, Typography } from 'antd';
import { BankOutlined, UserOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router';
import type { RegisterRequest } from '../../../../shared/contracts/identity.js';
import { isApiError } from '../../api/client';
import { applyFieldErrors } from '../../api/form-errors';
import { CenteredCard } from '../../components/CenteredCard';
import { useT } from '../../components/locale';
import { useRegister } from './api';
import { AccountFields } from './AccountFields';
import { BusinessFields } from './BusinessFields';
import { PersonFields } from './PersonFields';

type Kind = RegisterRequest['kind'];
type FormValues = Record<string, unknown> & { confirm?: string };

/** Form values → the wire body: drop the confirmation and empty optional fields. */
function toRequest(kind: Kind, values: FormValues): RegisterRequest {
  const { confirm: _confirm, ...rest } = values;
  const body: Record<string, unknown> = { kind };
  for (const [k, v] of Object.entries(rest)) {
    const value = typeof v === 'string' ? v.trim() : v;
    if (value !== undefined && value !== '') body[k] = value;
  }
  return body as RegisterRequest;
}

export function RegisterPage() {
  const t = useT();
  const [kind, setKind] = useState<Kind>('person');
  const [form] = Form.useForm<FormValues>();
  const register = useRegister();
  const navigate = useNavigate();
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const error = register.error;
  // field issues sit on their fields; the banner then only says to fix them (and lists the rest)
  const allOnFields = isApiError(error) && error.issues.length > 0 && unplaced.length === 0;

  const onFinish = (values: FormValues) => {
    setUnplaced([]);
    const body = toRequest(kind, values);
    register.mutate(body, {
      onSuccess: () => void navigate('/login', { state: { registered: body.username } }),
      onError: (e) => setUnplaced(applyFieldErrors(form, e)),
    });
  };

  const switchKind = (k: Kind) => {
    setKind(k);
    register.reset();
    setUnplaced([]);
    form.resetFields();
  };

  return (
    <CenteredCard title={t('register.title')} width={520}>
      <Segmented<Kind>
        block
        value={kind}
        onChange={switchKind}
        style={{ marginBottom: 24 }}
        options={[
          { value: 'person', label: t('register.person'), icon: <UserOutlined /> },
          { value: 'business', label: t('register.business'), icon: <BankOutlined /> },
        ]}
      />
      {error ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="register-error"
          title={allOnFields ? t('form.fixFields') : isApiError(error) ? error.message : t('error.title')}
          description={unplaced.length ? unplaced.join('；') : undefined}
        />
      ) : null}
      <Form form={form} layout="vertical" onFinish={onFinish} scrollToFirstError>
        <AccountFields />
        {kind === 'person' ? <PersonFields /> : <BusinessFields />}
        <Form.Item>
          <Button type="primary" htmlType="submit" block loading={register.isPending}>
            {t('register.submit')}
          </Button>
        </Form.Item>
      </Form>
      <Typography.Text type="secondary">
        {t('register.haveAccount')} <Link to="/login">{t('register.toLogin')}</Link>
      </Typography.Text>
    </CenteredCard>
  );
}
