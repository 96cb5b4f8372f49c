import { useCallback, useEffect, useState } from 'react';
import { Card, Tag, Tree, Typography } from 'antd';
import type { TreeDataNode } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { ErrorResult } from '../../components/ErrorResult';
import { PageLoading } from '../../components/PageLoading';
import { useT } from '../../components/locale';
import { fetchRegions, regionChildrenKey, type Region } from './api';

const PROVINCE = '130000';

interface RegionNode extends TreeDataNode {
  key: string;
  region: Region;
  children?: RegionNode[];
}

function toNode(r: Region): RegionNode {
  return { key: r.code, region: r, isLeaf: r.level === 'county' };
}

function replaceChildren(nodes: RegionNode[], key: string, children: RegionNode[]): RegionNode[] {
  return nodes.map((n) =>
    n.key === key ? { ...n, children } : n.children ? { ...n, children: replaceChildren(n.children, key, children) } : n,
  );
}

/** The Hebei region tree (GB/T 2260), each level loaded when it is opened. */
export function RegionsPage() {
  const t = useT();
  const qc = useQueryClient();
  const [tree, setTree] = useState<RegionNode[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(
    (parent?: string) => qc.fetchQuery({ queryKey: regionChildrenKey(parent), queryFn: ({ signal }) => fetchRegions(parent, signal), staleTime: Infinity }),
    [qc],
  );

  const start = useCallback(() => {
    setError(null);
    Promise.all([load(), load(PROVINCE)])
      .then(([top, cities]) => {
        const province = top.find((r) => r.code === PROVINCE) ?? top[0];
        setTree(province ? [{ ...toNode(province), children: cities.map(toNode) }] : cities.map(toNode));
      })
      .catch(setError);
  }, [load]);

  useEffect(start, [start]);

  const onLoadData = async (node: RegionNode) => {
    if (node.children) return;
    const children = (await load(node.key)).map(toNode);
    setTree((prev) => (prev ? replaceChildren(prev, node.key, children) : prev));
  };

  return (
    <Card title={t('regions.title')}>
      <Typography.Paragraph type="secondary">{t('regions.intro')}</Typography.Paragraph>
      {error ? (
        <ErrorResult error={error} onRetry={start} />
      ) : tree ? (
        <Tree<RegionNode>
          showLine
          treeData={tree}
          loadData={onLoadData}
          defaultExpandedKeys={[PROVINCE]}
          titleRender={({ region: r }) => (
            <span data-testid={`region-${r.code}`}>
              {r.name} <Typography.Text type="secondary">{r.code}</Typography.Text>{' '}
              <Tag bordered={false}>{t(`regions.level.${r.level}`)}</Tag>
              {r.inGb2260 ? null : <Tag color="gold">{t('regions.notGb')}</Tag>}
            </span>
          )}
        />
      ) : (
        <PageLoading />
      )}
    </Card>
  );
}
