import type { ReactNode } from 'react';
import { Card, Flex, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useT } from './locale';

/** A module's entry on a home page: a link to it, or 即将上线 until the module lands (no `to`). */
export function FeatureCard({ icon, title, description, to }: { icon: ReactNode; title: string; description: string; to?: string | undefined }) {
  const t = useT();
  const card = (
    <Card hoverable={!!to} style={{ height: '100%' }} data-testid="feature-card">
      <Card.Meta
        avatar={<span style={{ fontSize: 28, color: '#c8102e' }}>{icon}</span>}
        title={
          <Flex align="center" gap={8} wrap>
            <span>{title}</span>
            {to ? null : <Tag>{t('home.comingSoon')}</Tag>}
          </Flex>
        }
        description={<Typography.Text type="secondary">{description}</Typography.Text>}
      />
    </Card>
  );
  return to ? (
    <Link to={to} style={{ display: 'block', height: '100%' }}>
      {card}
    </Link>
  ) : (
    card
  );
}
