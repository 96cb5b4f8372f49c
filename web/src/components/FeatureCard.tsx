import type { ReactNode } from 'react';
import { Card, Flex, Tag, Typography } from 'antd';
import { useT } from './locale';

/** A module's entry on a home page; `ready` false shows 即将上线 until the module lands. */
export function FeatureCard({ icon, title, description, ready = false }: { icon: ReactNode; title: string; description: string; ready?: boolean }) {
  const t = useT();
  return (
    <Card hoverable={ready} style={{ height: '100%' }} data-testid="feature-card">
      <Card.Meta
        avatar={<span style={{ fontSize: 28, color: '#c8102e' }}>{icon}</span>}
        title={
          <Flex align="center" gap={8} wrap>
            <span>{title}</span>
            {ready ? null : <Tag>{t('home.comingSoon')}</Tag>}
          </Flex>
        }
        description={<Typography.Text type="secondary">{description}</Typography.Text>}
      />
    </Card>
  );
}
