import { Alert, Button, Card, Col, Descriptions, Empty, Flex, Row, Space, Statistic, Steps, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { Link, useParams, useSearchParams } from 'react-router';
import { ErrorResult } from '../../components/ErrorResult';
import { PageLoading } from '../../components/PageLoading';
import { useT } from '../../components/locale';
import { useMe } from '../identity/api';
import { RegionName } from '../regions/RegionName';
import { RegionSelect } from '../regions/RegionSelect';
import { DEFAULT_REGION, useGuide, type Guide } from './api';
import { ApplicantKindTags, ItemTypeTag, MaterialFormTag } from './labels';

type GuideMaterial = Guide['materials'][number];

/** What stands in for an upload (免提交): an e-certificate or shared data. */
export function SatisfiedByNote({ material }: { material: Pick<GuideMaterial, 'satisfiedBy'> }) {
  const t = useT();
  if (!material.satisfiedBy) return null;
  return (
    <Tag color="green" bordered={false}>
      {material.satisfiedBy.certificateType ? t('guide.byCertificate') : t('guide.byData')}
    </Tag>
  );
}

export function MaterialsTable({ materials }: { materials: GuideMaterial[] }) {
  const t = useT();
  const columns: TableProps<GuideMaterial>['columns'] = [
    { title: t('guide.material.no'), key: 'no', width: 56, render: (_, __, i) => i + 1 },
    {
      title: t('guide.material.name'),
      dataIndex: 'name',
      render: (name: string, m) => (
        <>
          <div>{name}</div>
          {m.note ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{m.note}</Typography.Text> : null}
        </>
      ),
    },
    { title: t('guide.material.form'), dataIndex: 'form', width: 110, render: (f: string) => <MaterialFormTag form={f} /> },
    { title: t('guide.material.count'), dataIndex: 'count', width: 70 },
    {
      title: t('guide.material.required'),
      dataIndex: 'required',
      width: 90,
      render: (r: boolean) => (r ? <Tag color="red">{t('guide.required')}</Tag> : <Tag>{t('guide.optional')}</Tag>),
    },
    { title: t('guide.material.reuse'), key: 'reuse', width: 140, render: (_, m) => <SatisfiedByNote material={m} /> },
  ];
  return <Table<GuideMaterial> rowKey="id" size="small" pagination={false} columns={columns} dataSource={materials} data-testid="guide-materials" />;
}

function Procedure({ guide }: { guide: Guide }) {
  const t = useT();
  return (
    <Steps
      orientation="vertical"
      size="small"
      current={-1}
      items={guide.procedure.map((p) => ({
        title: (
          <Space>
            <span>{p.name}</span>
            {p.parallel.length > 1 ? <Tag color="blue">{t('guide.parallel')}</Tag> : null}
          </Space>
        ),
        content: (
          <Space orientation="vertical" size={0}>
            {p.parallel.map((s, i) => (
              <Typography.Text key={i} type="secondary">
                {s.name} · {s.department}
                {s.days ? ` · ${t('guide.workingDays', { n: s.days })}` : ''}
              </Typography.Text>
            ))}
          </Space>
        ),
      }))}
    />
  );
}

/** The 办事指南 (十公开) of an item in a region. */
export function GuidePage() {
  const t = useT();
  const { itemCode = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const me = useMe();
  const region = params.get('region') ?? me.data?.regionCode ?? DEFAULT_REGION;
  const guide = useGuide(itemCode, region);

  if (guide.isPending) return <PageLoading />;
  if (guide.isError) return <ErrorResult error={guide.error} onRetry={() => void guide.refetch()} />;
  const g = guide.data;
  const applyTo = `/services/${encodeURIComponent(g.itemCode)}/apply?region=${region}`;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <Flex justify="space-between" align="start" wrap gap={16}>
          <div>
            <Typography.Title level={3} style={{ marginTop: 0 }} data-testid="guide-title">
              {g.name}
            </Typography.Title>
            <Space wrap>
              <ItemTypeTag type={g.itemType} />
              <ApplicantKindTags kinds={g.applicantKinds} />
              <Typography.Text type="secondary">
                {t('guide.itemCode')}：{g.itemCode}
              </Typography.Text>
            </Space>
            <div style={{ marginTop: 8 }}>
              <Typography.Text>
                {t('guide.department')}：<span data-testid="guide-department">{g.department.name}</span>
              </Typography.Text>
            </div>
          </div>
          <Space orientation="vertical" align="end">
            <Space>
              <Typography.Text type="secondary">{t('services.region')}</Typography.Text>
              <RegionSelect value={region} onChange={(v) => setParams({ region: v }, { replace: true })} />
            </Space>
            <Link to={applyTo}>
              <Button type="primary" size="large" icon={<EditOutlined />} data-testid="apply-button">
                {t('guide.apply')}
              </Button>
            </Link>
          </Space>
        </Flex>
        {g.requestedRegion !== g.regionCode ? (
          <Alert
            style={{ marginTop: 16 }}
            type="info"
            showIcon
            title={
              <>
                {t('guide.higherLevel')} <RegionName code={g.regionCode} />
              </>
            }
          />
        ) : null}
      </Card>

      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Card>
            <Statistic title={t('guide.promisedDays')} value={g.promisedDays} suffix={t('guide.days')} styles={{ content: { color: '#c8102e' } }} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card>
            <Statistic title={t('guide.statutoryDays')} value={g.statutoryDays ?? '—'} suffix={g.statutoryDays !== null ? t('guide.days') : undefined} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card>
            <Statistic title={t('guide.visits')} value={g.visitsRequired} suffix={t('guide.times')} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card>
            <Statistic title={t('guide.onlineDepth')} value={t(`guide.depth.${Math.min(4, Math.max(1, g.onlineDepth)) as 1 | 2 | 3 | 4}`)} />
          </Card>
        </Col>
      </Row>

      <Card title={t('guide.basics')}>
        <Descriptions
          column={1}
          bordered
          size="small"
          styles={{ label: { width: 160 } }}
          items={[
            { key: 'basis', label: t('guide.legalBasis'), children: g.legalBasis },
            { key: 'conditions', label: t('guide.conditions'), children: <span style={{ whiteSpace: 'pre-wrap' }}>{g.conditions}</span> },
            { key: 'quantity', label: t('guide.quantity'), children: g.quantityLimit },
            { key: 'caseType', label: t('guide.caseType'), children: t(g.caseType === 'instant' ? 'guide.instant' : 'guide.promised') },
            { key: 'result', label: t('guide.result'), children: g.resultType?.name ?? '—' },
          ]}
        />
      </Card>

      <Card title={t('guide.materials')}>
        <MaterialsTable materials={g.materials} />
      </Card>

      <Card title={t('guide.procedure')}>
        <Procedure guide={g} />
      </Card>

      <Card title={t('guide.fees')}>
        {g.fees.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('guide.free')} />
        ) : (
          <Table
            rowKey="name"
            size="small"
            pagination={false}
            dataSource={g.fees}
            columns={[
              { title: t('guide.fee.name'), dataIndex: 'name' },
              { title: t('guide.fee.amount'), dataIndex: 'amount', width: 140, render: (a: string) => `¥${a}` },
              { title: t('guide.fee.basis'), dataIndex: 'basis' },
            ]}
          />
        )}
      </Card>

      <Card title={t('guide.contact')}>
        <Descriptions
          column={{ xs: 1, md: 2 }}
          size="small"
          items={[
            { key: 'hall', label: t('guide.serviceHall'), children: g.serviceHall },
            { key: 'hours', label: t('guide.officeHours'), children: g.officeHours },
            { key: 'consult', label: t('guide.consultPhone'), children: g.consultPhone },
            { key: 'complaint', label: t('guide.complaintPhone'), children: g.complaintPhone },
          ]}
        />
      </Card>

      <Flex justify="center">
        <Link to={applyTo}>
          <Button type="primary" size="large" icon={<EditOutlined />}>
            {t('guide.apply')}
          </Button>
        </Link>
      </Flex>
    </Space>
  );
}
