import { useRef, useState } from 'react';
import { Alert, Button, Card, Flex, Form, Input, Segmented, Space, Typography } from 'antd';
import { SendOutlined } from '@ant-design/icons';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import type { FileCase } from '../../../../shared/contracts/cases.js';
import { applyFieldErrors } from '../../api/form-errors';
import { ErrorResult } from '../../components/ErrorResult';
import { PageLoading } from '../../components/PageLoading';
import { SubmitError } from '../../components/SubmitError';
import { SchemaForm, cleanSchemaValues } from '../../components/SchemaForm';
import { useT } from '../../components/locale';
import { DEFAULT_REGION, useGuide } from '../catalogue/api';
import type { User } from '../identity/api';
import { RequireAuth } from '../identity/RequireAuth';
import { RegionName } from '../regions/RegionName';
import { idempotencyKeyFor, useFileCase, useReusePreview } from './api';
import { MaterialFields, materialRefs, remapMaterialIssues, reusedMaterials } from './MaterialUpload';

interface Values {
  form?: Record<string, unknown>;
  materials?: Record<string, string | undefined>;
  /** 免提交: per material held by government, whether to rely on it (true) or upload. */
  reuse?: Record<string, boolean | undefined>;
  applicantKind?: 'idNumber' | 'creditCode';
  applicant?: string;
}

function ApplyForm({ user }: { user: User }) {
  const t = useT();
  const { itemCode = '' } = useParams();
  const [params] = useSearchParams();
  const region = params.get('region') ?? user.regionCode ?? DEFAULT_REGION;
  const guide = useGuide(itemCode, region);
  const [form] = Form.useForm<Values>();
  const fileCase = useFileCase();
  const navigate = useNavigate();
  const lastKey = useRef<{ body: string; key: string } | null>(null);
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const walkIn = user.kind === 'staff';
  const applicantKind = Form.useWatch('applicantKind', form) ?? 'idNumber';
  const applicantSelf = user.kind === 'person' || user.kind === 'business';
  const preview = useReusePreview(itemCode, region, applicantSelf);

  // the preview only adds to the page: without it (an error) the applicant uploads as before
  if (guide.isPending || (applicantSelf && preview.isPending)) return <PageLoading />;
  if (guide.isError) return <ErrorResult error={guide.error} onRetry={() => void guide.refetch()} />;
  const g = guide.data;
  const kindMismatch = user.kind !== 'staff' && !g.applicantKinds.includes(user.kind);
  const reuse = applicantSelf && preview.data ? preview.data : undefined;

  const onFinish = (values: Values) => {
    setUnplaced([]);
    const reused = reusedMaterials(reuse?.materials, values.reuse);
    const uploaded = new Map(materialRefs(values.materials).map((r) => [r.materialId, r]));
    // in the guide's order: a reused material by reference, otherwise its upload (if any)
    const materials = g.materials.flatMap((m): FileCase['materials'] => {
      if (reused.has(m.id)) return [{ materialId: m.id, reuse: true as const }];
      const ref = uploaded.get(m.id);
      return ref ? [ref] : [];
    });
    const body: FileCase = {
      itemCode: g.itemCode,
      regionCode: region,
      form: cleanSchemaValues(g.formSchema, values.form),
      materials,
      ...(walkIn && values.applicant
        ? { applicant: applicantKind === 'creditCode' ? { creditCode: values.applicant.trim().toUpperCase() } : { idNumber: values.applicant.trim().toUpperCase() } }
        : {}),
    };
    // the same body keeps its key, so a retry after a lost answer cannot file twice
    const key = idempotencyKeyFor(lastKey, body);
    fileCase.mutate(
      { body, key },
      {
        onSuccess: (c) => void navigate(`/cases/${c.caseNo}`, { state: { filed: true } }),
        onError: (e) => setUnplaced(applyFieldErrors(form, remapMaterialIssues(e, { materials }))),
      },
    );
  };

  return (
    <Form<Values> form={form} layout="vertical" onFinish={onFinish} scrollToFirstError initialValues={{ applicantKind: 'idNumber' }}>
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <Card>
          <Typography.Title level={3} style={{ marginTop: 0 }} data-testid="apply-title">
            {t('apply.title', { name: g.name })}
          </Typography.Title>
          <Space wrap split={<Typography.Text type="secondary">·</Typography.Text>}>
            <Typography.Text>{g.department.name}</Typography.Text>
            <Typography.Text>
              <RegionName code={region} />
            </Typography.Text>
            <Typography.Text>{t('apply.promised', { n: g.promisedDays })}</Typography.Text>
            <Link to={`/services/${encodeURIComponent(g.itemCode)}?region=${region}`}>{t('apply.readGuide')}</Link>
          </Space>
          {kindMismatch ? <Alert style={{ marginTop: 16 }} type="warning" showIcon title={t('apply.kindMismatch')} /> : null}
        </Card>

        {walkIn ? (
          <Card title={t('apply.walkIn')}>
            <Typography.Paragraph type="secondary">{t('apply.walkInIntro')}</Typography.Paragraph>
            <Form.Item name="applicantKind">
              <Segmented
                options={[
                  { value: 'idNumber', label: t('apply.walkIn.person') },
                  { value: 'creditCode', label: t('apply.walkIn.business') },
                ]}
              />
            </Form.Item>
            <Form.Item
              name="applicant"
              label={applicantKind === 'creditCode' ? t('register.creditCode') : t('register.idNumber')}
              rules={[{ required: true, whitespace: true, message: t('register.required') }]}
            >
              <Input maxLength={18} style={{ maxWidth: 320 }} />
            </Form.Item>
          </Card>
        ) : null}

        <Card title={t('apply.form')}>
          <SchemaForm schema={g.formSchema} name="form" locked={reuse?.locked} prefill={reuse?.prefill} lockedNote={t('reuse.verified')} />
        </Card>

        <Card title={t('apply.materials')}>
          <Typography.Paragraph type="secondary">{t('apply.materialsIntro')}</Typography.Paragraph>
          <MaterialFields materials={g.materials} name="materials" {...(reuse ? { reuse: { options: reuse.materials, name: 'reuse' } } : {})} />
        </Card>

        <Card>
          <SubmitError error={fileCase.error} unplaced={unplaced} />
          <Flex justify="space-between" align="center" wrap gap={8}>
            <Typography.Text type="secondary">{t('apply.declaration')}</Typography.Text>
            <Button type="primary" size="large" htmlType="submit" icon={<SendOutlined />} loading={fileCase.isPending} data-testid="submit-application">
              {t('apply.submit')}
            </Button>
          </Flex>
        </Card>
      </Space>
    </Form>
  );
}

/** 在线申请: the item's form rendered from its JSON Schema, one upload per material, one submission. */
export function ApplyPage() {
  return <RequireAuth>{(user) => <ApplyForm user={user} />}</RequireAuth>;
}
