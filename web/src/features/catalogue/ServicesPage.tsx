import { useState } from 'react';
import { Button, Card, Flex, Form, Input, Segmented, Select, Space, Table, Typography } from 'antd';
import type { TableProps } from 'antd';
import { AppstoreAddOutlined } from '@ant-design/icons';
import { Link, useSearchParams } from 'react-router';
import { ErrorResult } from '../../components/ErrorResult';
import { useT } from '../../components/locale';
import { useMe } from '../identity/api';
import { RegionName } from '../regions/RegionName';
import { RegionSelect } from '../regions/RegionSelect';
import { DEFAULT_REGION, useItemSearch, type ApplicantKind, type ItemSearchResult, type ItemType } from './api';
import { ITEM_TYPE_KEYS, ItemTypeTag } from './labels';

type Hit = ItemSearchResult['items'][number];
const PAGE_SIZE = 20;

/** 办事服务: ranked search of the catalogue, filtered by applicant kind, type and region. */
export function ServicesPage() {
  const t = useT();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const kind = (params.get('kind') ?? '') as ApplicantKind | '';
  const type = (params.get('type') ?? '') as ItemType | '';
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const region = params.get('region') ?? me.data?.regionCode ?? DEFAULT_REGION;
  const [text, setText] = useState(q);

  const update = (patch: Record<string, string>) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(patch)) {
          if (v) next.set(k, v);
          else next.delete(k);
        }
        if (!('page' in patch)) next.delete('page');
        return next;
      },
      { replace: true },
    );

  const search = useItemSearch({ q, region, kind: kind || undefined, type: type || undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });

  const columns: TableProps<Hit>['columns'] = [
    {
      title: t('services.col.name'),
      dataIndex: 'name',
      render: (name: string, hit) => (
        <Link to={`/services/${encodeURIComponent(hit.itemCode)}?region=${region}`} data-testid="item-link">
          {name}
        </Link>
      ),
    },
    { title: t('services.col.code'), dataIndex: 'itemCode', width: 170, render: (c: string) => <Typography.Text type="secondary">{c}</Typography.Text> },
    { title: t('services.col.type'), dataIndex: 'itemType', width: 120, render: (v: ItemType) => <ItemTypeTag type={v} /> },
    { title: t('services.col.department'), dataIndex: 'department', width: 220 },
    {
      title: t('services.col.actions'),
      key: 'actions',
      width: 170,
      render: (_, hit) => (
        <Space size={4}>
          <Link to={`/services/${encodeURIComponent(hit.itemCode)}?region=${region}`}>{t('services.guide')}</Link>
          <Typography.Text type="secondary">|</Typography.Text>
          <Link to={`/services/${encodeURIComponent(hit.itemCode)}/apply?region=${region}`}>{t('services.apply')}</Link>
        </Space>
      ),
    },
  ];

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {t('services.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('services.intro')}</Typography.Paragraph>
        <Input.Search
          size="large"
          enterButton={t('services.search')}
          placeholder={t('services.placeholder')}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onSearch={(v) => update({ q: v.trim() })}
          allowClear
          aria-label={t('services.searchLabel')}
          data-testid="service-search"
        />
        <Form layout="inline" style={{ marginTop: 16, rowGap: 8 }}>
          <Form.Item label={t('services.kind')}>
            <Segmented<ApplicantKind | ''>
              value={kind}
              onChange={(v) => update({ kind: v })}
              options={[
                { value: '', label: t('services.kind.all') },
                { value: 'person', label: t('kind.person') },
                { value: 'business', label: t('kind.business') },
              ]}
            />
          </Form.Item>
          <Form.Item label={t('services.region')}>
            <RegionSelect value={region} onChange={(v) => update({ region: v })} />
          </Form.Item>
          <Form.Item label={t('services.type')}>
            <Select<ItemType | ''>
              style={{ width: 160 }}
              value={type}
              onChange={(v) => update({ type: v })}
              options={[{ value: '', label: t('services.type.all') }, ...ITEM_TYPE_KEYS.map(([value, key]) => ({ value, label: t(key) }))]}
            />
          </Form.Item>
        </Form>
      </Card>

      <Card
        title={
          q ? t('services.resultsFor', { q, n: search.data?.total ?? 0 }) : t('services.all', { n: search.data?.total ?? 0 })
        }
        extra={
          <Link to="/life-events">
            <Button icon={<AppstoreAddOutlined />}>{t('lifeEvents.title')}</Button>
          </Link>
        }
      >
        {search.isError ? (
          <ErrorResult error={search.error} onRetry={() => void search.refetch()} />
        ) : (
          <Table<Hit>
            rowKey="itemCode"
            size="middle"
            loading={search.isFetching}
            columns={columns}
            dataSource={search.data?.items ?? []}
            data-testid="service-results"
            pagination={{
              current: page,
              pageSize: PAGE_SIZE,
              total: search.data?.total ?? 0,
              showSizeChanger: false,
              onChange: (p) => update({ page: String(p) }),
            }}
          />
        )}
        <Flex justify="end">
          <Typography.Text type="secondary">
            {t('services.regionNote')} <RegionName code={region} />
          </Typography.Text>
        </Flex>
      </Card>
    </Space>
  );
}
