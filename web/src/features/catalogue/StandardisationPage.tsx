import { useState } from 'react';
import { Alert, Card, Col, Progress, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { ErrorResult } from '../../components/ErrorResult';
import { useT } from '../../components/locale';
import { RequireAuth } from '../identity/RequireAuth';
import { RegionName } from '../regions/RegionName';
import { RegionSelect } from '../regions/RegionSelect';
import { useStandardisationReport, type StandardisationReport } from './api';

type Item = StandardisationReport['items'][number];
type Impl = Item['implementations'][number];
type RegionScore = StandardisationReport['regions'][number];

const PROVINCE = '130000';

function averageCompleteness(item: Item): number | null {
  if (item.implementations.length === 0) return null;
  return item.implementations.reduce((s, i) => s + i.completeness, 0) / item.implementations.length;
}

const range = (r: { min: number; max: number } | null) => (r ? (r.min === r.max ? String(r.min) : `${r.min}–${r.max}`) : '—');
const spread = (r: { min: number; max: number } | null) => (r ? r.max - r.min : -1);

function Drill({ item }: { item: Item }) {
  const t = useT();
  const columns: TableProps<Impl>['columns'] = [
    { title: t('standard.region'), dataIndex: 'regionCode', render: (c: string) => <RegionName code={c} /> },
    { title: t('case.department'), dataIndex: 'department' },
    { title: t('standard.version'), dataIndex: 'version', width: 70, render: (v: number) => `v${v}` },
    { title: t('guide.promisedDays'), dataIndex: 'promisedDays', width: 110, sorter: (a, b) => a.promisedDays - b.promisedDays },
    { title: t('standard.materials'), dataIndex: 'materialsCount', width: 100, sorter: (a, b) => a.materialsCount - b.materialsCount },
    {
      title: t('standard.completeness'),
      dataIndex: 'completeness',
      width: 170,
      sorter: (a, b) => a.completeness - b.completeness,
      render: (c: number) => <Progress percent={Math.round(c)} size="small" status={c < 100 ? 'exception' : 'success'} />,
    },
    {
      title: t('standard.problems'),
      dataIndex: 'problems',
      render: (p: string[]) => (p.length ? p.map((x) => <Tag key={x} color="orange" style={{ marginBottom: 4 }}>{x}</Tag>) : <Tag color="success">{t('standard.noProblems')}</Tag>),
    },
  ];
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {item.violations.length ? (
        <Alert
          type="error"
          showIcon
          title={t('standard.violations')}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {item.violations.map((v, i) => (
                <li key={i}>
                  {v.regionCode} · {v.element}：{t('standard.expected')}「{v.expected}」，{t('standard.actual')}「{v.actual}」
                </li>
              ))}
            </ul>
          }
        />
      ) : null}
      {item.findings.length ? <Alert type="warning" showIcon title={t('standard.findings')} description={item.findings.join('；')} /> : null}
      <Table<Impl> rowKey="implementationId" size="small" pagination={false} columns={columns} dataSource={item.implementations} />
    </Space>
  );
}

function Report() {
  const t = useT();
  const [region, setRegion] = useState(PROVINCE);
  const report = useStandardisationReport(region);
  const items = report.data?.items ?? [];

  const columns: TableProps<Item>['columns'] = [
    { title: t('services.col.code'), dataIndex: 'itemCode', width: 160, sorter: (a, b) => a.itemCode.localeCompare(b.itemCode), defaultSortOrder: 'ascend' },
    { title: t('services.col.name'), dataIndex: 'name', sorter: (a, b) => a.name.localeCompare(b.name, 'zh-CN') },
    { title: t('standard.implementations'), key: 'n', width: 100, sorter: (a, b) => a.implementations.length - b.implementations.length, render: (_, i) => i.implementations.length },
    { title: t('guide.promisedDays'), key: 'days', width: 110, sorter: (a, b) => spread(a.promisedDays) - spread(b.promisedDays), render: (_, i) => range(i.promisedDays) },
    { title: t('standard.materials'), key: 'materials', width: 100, sorter: (a, b) => spread(a.materialsCount) - spread(b.materialsCount), render: (_, i) => range(i.materialsCount) },
    {
      title: t('standard.violations'),
      key: 'violations',
      width: 100,
      sorter: (a, b) => a.violations.length - b.violations.length,
      render: (_, i) => (i.violations.length ? <Tag color="red">{i.violations.length}</Tag> : 0),
    },
    {
      title: t('standard.findings'),
      key: 'findings',
      width: 100,
      sorter: (a, b) => a.findings.length - b.findings.length,
      render: (_, i) => (i.findings.length ? <Tag color="orange">{i.findings.length}</Tag> : 0),
    },
    {
      title: t('standard.completeness'),
      key: 'completeness',
      width: 170,
      sorter: (a, b) => (averageCompleteness(a) ?? -1) - (averageCompleteness(b) ?? -1),
      render: (_, i) => {
        const c = averageCompleteness(i);
        return c === null ? '—' : <Progress percent={Math.round(c)} size="small" status={c < 100 ? 'normal' : 'success'} />;
      },
    },
  ];
  const regionColumns: TableProps<RegionScore>['columns'] = [
    { title: t('standard.region'), dataIndex: 'regionCode', render: (c: string) => <RegionName code={c} /> },
    { title: t('standard.implementations'), dataIndex: 'implementations', sorter: (a, b) => a.implementations - b.implementations },
    { title: t('standard.violations'), dataIndex: 'violations', sorter: (a, b) => a.violations - b.violations },
    { title: t('standard.score'), dataIndex: 'score', sorter: (a, b) => a.score - b.score, defaultSortOrder: 'ascend', render: (s: number) => s.toFixed(1) },
  ];

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {t('standard.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('standard.intro')}</Typography.Paragraph>
        <Space>
          <Typography.Text>{t('services.region')}</Typography.Text>
          <RegionSelect value={region} onChange={setRegion} />
        </Space>
      </Card>
      {report.isError ? (
        <ErrorResult error={report.error} onRetry={() => void report.refetch()} />
      ) : (
        <>
          <Row gutter={[16, 16]}>
            <Col xs={12} md={6}>
              <Card>
                <Statistic title={t('standard.score')} value={report.data ? report.data.score.toFixed(1) : '—'} />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card>
                <Statistic title={t('standard.items')} value={items.length} />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card>
                <Statistic title={t('standard.violations')} value={items.reduce((s, i) => s + i.violations.length, 0)} />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card>
                <Statistic title={t('standard.findings')} value={items.reduce((s, i) => s + i.findings.length, 0)} />
              </Card>
            </Col>
          </Row>
          <Card title={t('standard.byItem')}>
            <Table<Item>
              rowKey="itemCode"
              size="middle"
              loading={report.isPending}
              columns={columns}
              dataSource={items}
              expandable={{ expandedRowRender: (i) => <Drill item={i} />, rowExpandable: (i) => i.implementations.length > 0 }}
              pagination={{ pageSize: 20, showSizeChanger: false }}
              data-testid="standardisation-items"
            />
          </Card>
          <Card title={t('standard.byRegion')}>
            <Table<RegionScore> rowKey="regionCode" size="small" loading={report.isPending} columns={regionColumns} dataSource={report.data?.regions ?? []} pagination={{ pageSize: 20, hideOnSinglePage: true }} />
          </Card>
        </>
      )}
    </Space>
  );
}

/** 标准化: the same item compared across the regions below, sortable, each row opening its implementations. */
export function StandardisationPage() {
  return <RequireAuth>{() => <Report />}</RequireAuth>;
}
