import { lazy, Suspense, useMemo, useState } from 'react';
import { Card, Col, Empty, Flex, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { ErrorResult } from '../../components/ErrorResult';
import { PageLoading } from '../../components/PageLoading';
import { useT } from '../../components/locale';
import type { User } from '../identity/api';
import { RequireAuth } from '../identity/RequireAuth';
import { fetchRegions, regionChildrenKey } from '../regions/api';
import { RegionSelect } from '../regions/RegionSelect';
import { useFloating, useHeatmap, type FloatingRow, type Heatmap } from './api';
import type { HeatCell } from './FloatingHeatmap';
import { DelegationHeading, FloatingKindTag, LevelTag } from './labels';

const FloatingHeatmap = lazy(() => import('./FloatingHeatmap'));

const PROVINCE = '130000';

/** The heat-map row of a region (see FloatingHeatmap's rowOf), from the cells that know its parent. */
function rowCodeOf(regionCode: string, heatmap: Heatmap | undefined): string {
  const cell = heatmap?.cells.find((c) => c.regionCode === regionCode);
  if (!cell || !heatmap) return regionCode;
  return cell.regionCode === heatmap.region || cell.parentCode === heatmap.region || !cell.parentCode ? cell.regionCode : cell.parentCode;
}

function Levels({ heatmap }: { heatmap: Heatmap }) {
  const t = useT();
  return (
    <Row gutter={[16, 16]}>
      {heatmap.levels.map((l) => (
        <Col key={l.level} xs={24} md={8}>
          <Card size="small" data-testid={`level-${l.level}`}>
            <Flex justify="space-between" align="center">
              <Statistic title={`${t(`level.${l.level}`)} · ${t('floating.floatingCount')}`} value={l.floating} styles={{ content: { color: l.floating ? '#cf1322' : undefined } }} />
              <Statistic title={t('floating.taskCount')} value={l.tasks} />
            </Flex>
          </Card>
        </Col>
      ))}
    </Row>
  );
}

function Floating({ user }: { user: User }) {
  const t = useT();
  const [region, setRegion] = useState(user.department?.regionCode ?? user.regionCode ?? PROVINCE);
  const [selected, setSelected] = useState<HeatCell | null>(null);
  const heatmap = useHeatmap(region);
  const floating = useFloating(region);
  const children = useQuery({ queryKey: regionChildrenKey(region), queryFn: ({ signal }) => fetchRegions(region, signal), staleTime: Infinity });
  const names = useMemo(() => new Map((children.data ?? []).map((r) => [r.code, r.name])), [children.data]);

  const rows = (floating.data?.rows ?? []).filter((r) => !selected || (r.level === selected.level && rowCodeOf(r.regionCode, heatmap.data) === selected.rowCode));
  const columns: TableProps<FloatingRow>['columns'] = [
    { title: t('floating.kind'), key: 'kind', width: 170, render: (_, r) => <FloatingKindTag row={r} /> },
    {
      title: t('takeover.item'),
      key: 'item',
      render: (_, r) => (
        <Space orientation="vertical" size={0}>
          <span>{r.itemName}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.itemCode}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('takeover.region'),
      key: 'region',
      width: 150,
      render: (_, r) => (
        <Space size={4}>
          <span data-testid="floating-region">{r.regionName}</span>
          <LevelTag level={r.level} />
        </Space>
      ),
    },
    { title: t('takeover.department'), key: 'department', width: 170, render: (_, r) => r.department.name ?? r.department.kind },
    {
      title: t('delegation.documentNo'),
      key: 'order',
      width: 170,
      render: (_, r) => (
        <Link to={`/delegations/${r.delegationId}`} title={r.title}>
          {r.documentNo}
        </Link>
      ),
    },
    { title: t('floating.deadline'), dataIndex: 'deadline', width: 110 },
    {
      title: t('floating.daysOverdue'),
      dataIndex: 'daysOverdue',
      width: 100,
      defaultSortOrder: 'descend',
      sorter: (a, b) => a.daysOverdue - b.daysOverdue,
      render: (n: number) => (n > 0 ? <Tag color={n > 10 ? 'error' : 'warning'}>{t('floating.days', { n })}</Tag> : 0),
    },
  ];

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <DelegationHeading user={user} title="floating.title" intro="floating.intro" />
        <Space wrap>
          <Typography.Text>{t('delegation.regionFilter')}</Typography.Text>
          <RegionSelect
            value={region}
            onChange={(v) => {
              setRegion(v);
              setSelected(null);
            }}
          />
          {heatmap.data ? <Typography.Text type="secondary">{t('floating.asOf', { date: heatmap.data.asOf })}</Typography.Text> : null}
        </Space>
      </Card>
      {heatmap.isError ? (
        <ErrorResult error={heatmap.error} onRetry={() => void heatmap.refetch()} />
      ) : heatmap.isPending ? (
        <PageLoading />
      ) : (
        <>
          <Levels heatmap={heatmap.data} />
          <Card title={t('floating.heatmap')} extra={<Typography.Text type="secondary">{t('floating.heatmapHelp')}</Typography.Text>}>
            {heatmap.data.cells.length === 0 ? (
              <Empty description={t('floating.noTasks')} />
            ) : (
              <div data-testid="floating-heatmap">
                <Suspense fallback={<PageLoading />}>
                  <FloatingHeatmap heatmap={heatmap.data} names={names} onSelect={setSelected} />
                </Suspense>
              </div>
            )}
          </Card>
        </>
      )}
      <Card
        title={t('floating.list')}
        extra={
          selected ? (
            <Tag closable onClose={() => setSelected(null)} color="red" data-testid="floating-filter">
              {names.get(selected.rowCode) ?? heatmap.data?.cells.find((c) => c.regionCode === selected.rowCode)?.regionName ?? selected.rowCode} · {t(`level.${selected.level}`)}
            </Tag>
          ) : null
        }
      >
        {floating.isError ? (
          <ErrorResult error={floating.error} onRetry={() => void floating.refetch()} />
        ) : (
          <Table<FloatingRow>
            rowKey={(r) => `${r.kind}:${r.delegationId}:${r.taskId ?? ''}:${r.regionCode}:${r.itemCode}`}
            size="middle"
            loading={floating.isPending}
            columns={columns}
            dataSource={rows}
            data-testid="floating-rows"
            expandable={{ expandedRowRender: (r) => <Typography.Paragraph style={{ margin: 0 }}>{r.message}</Typography.Paragraph>, rowExpandable: () => true }}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('floating.none')} /> }}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
          />
        )}
      </Card>
    </Space>
  );
}

/** 权力悬浮: what was delegated but not taken over in time, taken over without a published implementation, or split from its prerequisite; by level and region. */
export function FloatingPage() {
  return <RequireAuth>{(user) => <Floating user={user} />}</RequireAuth>;
}
