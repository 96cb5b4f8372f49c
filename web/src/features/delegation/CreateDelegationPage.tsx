import { useState } from 'react';
import { App, Button, Card, Form, Input, Radio, Select, Space, Typography } from 'antd';
import { Link, useNavigate } from 'react-router';
import { DELEGATION_MODES, documentNoProblem, type DelegationMode } from '../../../../shared/contracts/delegation.js';
import { ApiError, isApiError } from '../../api/client';
import { applyFieldErrors } from '../../api/form-errors';
import { problemRule } from '../../components/form-rules';
import { SubmitError } from '../../components/SubmitError';
import { useT } from '../../components/locale';
import { ItemSelect } from '../catalogue/ItemSelect';
import type { User } from '../identity/api';
import { RequireAuth } from '../identity/RequireAuth';
import { RegionSelect, RegionsSelect } from '../regions/RegionSelect';
import { useCreateDelegation } from './api';
import { DelegationSections } from './labels';

interface Values {
  documentNo: string;
  title: string;
  mode: DelegationMode;
  fromRegion: string;
  receivingRegions?: string[];
  items?: string[];
  powers?: string[];
  effectiveDate: string;
}

const MODES = Object.keys(DELEGATION_MODES) as DelegationMode[];

/** `receivingRegions.1`, `items.0` → the list's own field, which is what the form shows. */
function onListFields(e: unknown): unknown {
  if (!isApiError(e)) return e;
  return new ApiError(e.status, e.code, e.message, e.issues.map((i) => ({ ...i, path: i.path.replace(/^(items|powers|receivingRegions)\.\d+$/, '$1') })), e.requestId);
}

function CreateDelegation({ user }: { user: User }) {
  const t = useT();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const create = useCreateDelegation();
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const mode = Form.useWatch('mode', form);
  const required = (key: Parameters<typeof t>[0]) => ({ required: true, whitespace: true, message: t(key) });

  const submit = (v: Values) => {
    setUnplaced([]);
    create.mutate(
      {
        documentNo: v.documentNo.trim(),
        title: v.title.trim(),
        mode: v.mode,
        fromRegion: v.fromRegion,
        receivingRegions: v.mode === 'cancel' ? [] : (v.receivingRegions ?? []),
        items: v.items ?? [],
        powers: (v.powers ?? []).map((p) => p.trim()).filter(Boolean),
        effectiveDate: v.effectiveDate,
      },
      {
        onSuccess: (d) => {
          void message.success(t('delegation.created', { n: d.tasks.length }));
          void navigate(`/delegations/${d.id}`);
        },
        onError: (e) => setUnplaced(applyFieldErrors(form, onListFields(e))),
      },
    );
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('delegation.createTitle')}
          </Typography.Title>
          <DelegationSections user={user} />
        </Space>
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
          {t('delegation.createIntro')}
        </Typography.Paragraph>
      </Card>
      <Card>
        <SubmitError error={create.error} unplaced={unplaced} />
        <Form<Values>
          form={form}
          layout="vertical"
          style={{ maxWidth: 760 }}
          onFinish={submit}
          initialValues={{ mode: 'delegate', fromRegion: user.department?.regionCode ?? user.regionCode ?? '130000', receivingRegions: [], items: [], powers: [] }}
        >
          <Form.Item name="documentNo" label={t('delegation.documentNo')} extra={t('delegation.documentNoHelp')} rules={[required('delegation.documentNoRequired'), problemRule(documentNoProblem, (s) => s.trim())]}>
            <Input maxLength={40} placeholder="冀政办发〔2020〕7号" style={{ maxWidth: 320 }} />
          </Form.Item>
          <Form.Item name="title" label={t('delegation.title')} rules={[required('delegation.titleRequired')]}>
            <Input maxLength={200} showCount />
          </Form.Item>
          <Form.Item name="mode" label={t('delegation.mode')}>
            <Radio.Group optionType="button" options={MODES.map((m) => ({ value: m, label: t(`delegationMode.${m}`) }))} />
          </Form.Item>
          <Form.Item name="fromRegion" label={t('delegation.from')} rules={[{ required: true, message: t('delegation.fromRequired') }]}>
            <RegionSelect style={{ maxWidth: 320 }} />
          </Form.Item>
          {mode === 'cancel' ? (
            <Typography.Paragraph type="secondary">{t('delegation.cancelNote')}</Typography.Paragraph>
          ) : (
            <Form.Item name="receivingRegions" label={t('delegation.receiving')} extra={t('delegation.receivingHelp')} rules={[{ required: true, type: 'array', min: 1, message: t('delegation.receivingRequired') }]}>
              <RegionsSelect />
            </Form.Item>
          )}
          <Form.Item name="items" label={t('delegation.items')} extra={t('delegation.itemsHelp')}>
            <ItemSelect />
          </Form.Item>
          <Form.Item name="powers" label={t('delegation.powers')} extra={t('delegation.powersHelp')}>
            <Select mode="tags" open={false} placeholder={t('schemaForm.tagsPlaceholder')} />
          </Form.Item>
          <Form.Item name="effectiveDate" label={t('delegation.effectiveDate')} rules={[{ required: true, message: t('delegation.effectiveDateRequired') }]}>
            <Input type="date" style={{ maxWidth: 240 }} />
          </Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" loading={create.isPending} data-testid="submit-delegation">
              {t('delegation.submit')}
            </Button>
            <Link to="/delegations">
              <Button>{t('common.cancel')}</Button>
            </Link>
          </Space>
        </Form>
      </Card>
    </Space>
  );
}

/** 新建下放文件: the order's 文号, items or powers, mode, receiving regions and effective date; each receiving unit gets its takeOver task. */
export function CreateDelegationPage() {
  return <RequireAuth>{(user) => <CreateDelegation user={user} />}</RequireAuth>;
}
