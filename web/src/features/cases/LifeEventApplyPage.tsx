import { useRef, useState } from 'react';
import { Alert, Button, Card, Flex, Form, Space, Tag, Typography } from 'antd';
import { SendOutlined } from '@ant-design/icons';
import { useQueries } from '@tanstack/react-query';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiError, api, isApiError } from '../../api/client';
import { applyFieldErrors } from '../../api/form-errors';
import { ErrorResult } from '../../components/ErrorResult';
import { PageLoading } from '../../components/PageLoading';
import { SchemaForm, cleanSchemaValues } from '../../components/SchemaForm';
import { SubmitError } from '../../components/SubmitError';
import { useT } from '../../components/locale';
import { DEFAULT_REGION, guideKey, useLifeEvent, type Guide, type LifeEvent } from '../catalogue/api';
import type { User } from '../identity/api';
import { RequireAuth } from '../identity/RequireAuth';
import { RegionName } from '../regions/RegionName';
import { RegionSelect } from '../regions/RegionSelect';
import { idempotencyKeyFor, useApplyLifeEvent, type LifeEventApplicationRequest } from './api';
import { MaterialFields, materialRefs } from './MaterialUpload';

interface Values {
  form?: Record<string, unknown>;
  materials?: Record<string, Record<string, string | undefined>>;
}

/**
 * The server names problems per item (`HB-01-AMR-001.form.floorArea`,
 * `HB-01-AMR-001.materials.0.uploadId`); the one form names them by its shared field and by
 * material (`form.floorArea`, `materials.HB-01-AMR-001.m1`).
 */
function remapIssues(error: unknown, event: LifeEvent, materials: LifeEventApplicationRequest['materials']): unknown {
  if (!isApiError(error) || error.issues.length === 0) return error;
  const issues = error.issues.map((i) => {
    for (const item of event.items) {
      const prefix = `${item.itemCode}.`;
      if (!i.path.startsWith(prefix)) continue;
      const rest = i.path.slice(prefix.length);
      const m = /^materials\.(\d+)/.exec(rest);
      const ref = m ? materials[item.itemCode]?.[Number(m[1])] : undefined;
      if (ref) return { path: `materials.${item.itemCode}.${ref.materialId}`, message: i.message };
      const f = /^form\.([^.]+)/.exec(rest);
      if (f) {
        const shared = Object.entries(event.fieldMap).find(([, targets]) => targets.some((x) => x.itemCode === item.itemCode && x.field === f[1]));
        return shared ? { path: `form.${shared[0]}`, message: i.message } : { path: '', message: `${item.name}：${f[1]} ${i.message}` };
      }
    }
    return i;
  });
  return new ApiError(error.status, error.code, error.message, issues, error.requestId);
}

function Apply({ user }: { user: User }) {
  const t = useT();
  const { code = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const region = params.get('region') ?? user.regionCode ?? DEFAULT_REGION;
  const event = useLifeEvent(code);
  const guides = useQueries({
    queries: (event.data?.items ?? []).map((i) => ({
      queryKey: guideKey(i.itemCode, region),
      queryFn: ({ signal }: { signal: AbortSignal }) => api.get<Guide>(`/items/${encodeURIComponent(i.itemCode)}/guide`, { query: { region }, signal }),
      staleTime: 60_000,
    })),
  });
  const [form] = Form.useForm<Values>();
  const apply = useApplyLifeEvent(code);
  const navigate = useNavigate();
  const lastKey = useRef<{ body: string; key: string } | null>(null);
  const [unplaced, setUnplaced] = useState<string[]>([]);

  if (event.isPending) return <PageLoading />;
  if (event.isError) return <ErrorResult error={event.error} onRetry={() => void event.refetch()} />;
  const e = event.data;
  const failed = guides.find((g) => g.isError);

  const onFinish = (values: Values) => {
    setUnplaced([]);
    const materials: LifeEventApplicationRequest['materials'] = {};
    for (const item of e.items) {
      const refs = materialRefs(values.materials?.[item.itemCode]);
      if (refs.length) materials[item.itemCode] = refs;
    }
    const body: LifeEventApplicationRequest = { regionCode: region, form: cleanSchemaValues(e.formSchema, values.form), materials };
    const key = idempotencyKeyFor(lastKey, body);
    apply.mutate(
      { body, key },
      {
        onSuccess: (a) => void navigate(`/life-events/applications/${a.id}`, { state: { filed: true } }),
        onError: (err) => setUnplaced(applyFieldErrors(form, remapIssues(err, e, materials))),
      },
    );
  };

  return (
    <Form<Values> form={form} layout="vertical" onFinish={onFinish} scrollToFirstError>
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <Card>
          <Flex justify="space-between" wrap gap={16}>
            <div>
              <Typography.Title level={3} style={{ marginTop: 0 }} data-testid="life-event-title">
                {t('lifeEvents.applyTitle', { name: e.name })}
              </Typography.Title>
              <Typography.Paragraph type="secondary" style={{ maxWidth: 760 }}>
                {e.description}
              </Typography.Paragraph>
              <Space wrap>
                {e.items.map((i) => (
                  <Tag key={i.itemCode} color="blue">
                    {i.name} · {i.department}
                  </Tag>
                ))}
              </Space>
            </div>
            <Space orientation="vertical" align="end">
              <Typography.Text type="secondary">{t('services.region')}</Typography.Text>
              <RegionSelect value={region} onChange={(v) => setParams({ region: v }, { replace: true })} />
              <Typography.Text type="secondary">
                <RegionName code={region} />
              </Typography.Text>
            </Space>
          </Flex>
          <Alert style={{ marginTop: 8 }} type="info" showIcon title={t('lifeEvents.oneForm')} />
        </Card>

        <Card title={t('lifeEvents.form')}>
          <SchemaForm schema={e.formSchema} name="form" />
        </Card>

        {failed ? <ErrorResult error={failed.error} /> : null}
        {e.items.map((item, n) => {
          const g = guides[n]?.data;
          return (
            <Card key={item.itemCode} title={t('lifeEvents.materialsOf', { name: item.name })} extra={g?.department.name} data-testid={`materials-${item.itemCode}`}>
              {g ? <MaterialFields materials={g.materials} name={['materials', item.itemCode]} /> : <PageLoading />}
            </Card>
          );
        })}

        <Card>
          <SubmitError error={apply.error} unplaced={unplaced} />
          <Flex justify="space-between" align="center" wrap gap={8}>
            <Typography.Text type="secondary">{t('apply.declaration')}</Typography.Text>
            <Button type="primary" size="large" htmlType="submit" icon={<SendOutlined />} loading={apply.isPending} data-testid="submit-life-event">
              {t('lifeEvents.submit')}
            </Button>
          </Flex>
        </Card>
      </Space>
    </Form>
  );
}

/** 一件事一次办: one form, each item's materials, one submission → N linked cases. */
export function LifeEventApplyPage() {
  return <RequireAuth>{(user) => <Apply user={user} />}</RequireAuth>;
}
