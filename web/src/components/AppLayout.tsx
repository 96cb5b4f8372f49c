import type { ReactNode } from 'react';
import { Flex, Layout, Menu, Typography } from 'antd';
import { Link, Outlet, useLocation } from 'react-router';
import type { MessageKey } from '../i18n';
import { useT } from './locale';

export interface NavItem {
  to: string;
  label: MessageKey;
  icon?: ReactNode;
}

const HEADER_BG = '#9e0b22';

/** The page frame: brand, navigation, the actions slot (language, user menu), content, footer. */
export function AppLayout({ nav, actions }: { nav: NavItem[]; actions: ReactNode }) {
  const t = useT();
  const { pathname } = useLocation();
  const selected = nav.filter((n) => (n.to === '/' ? pathname === '/' : pathname.startsWith(n.to))).map((n) => n.to);
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 24, background: HEADER_BG, paddingInline: 24, color: '#fff' }}>
        <Link to="/" style={{ color: '#fff', whiteSpace: 'nowrap' }}>
          <Typography.Title level={4} style={{ color: '#fff', margin: 0 }} data-testid="brand">
            {t('app.title')}
          </Typography.Title>
        </Link>
        <Menu
          mode="horizontal"
          theme="dark"
          selectedKeys={selected}
          style={{ flex: 1, minWidth: 0, background: 'transparent', borderBottom: 'none' }}
          items={nav.map((n) => ({ key: n.to, icon: n.icon, label: <Link to={n.to}>{t(n.label)}</Link> }))}
        />
        <Flex align="center" gap={8} style={{ color: '#fff' }}>
          {actions}
        </Flex>
      </Layout.Header>
      <Layout.Content style={{ padding: 24, maxWidth: 1200, width: '100%', margin: '0 auto' }}>
        <Outlet />
      </Layout.Content>
      <Layout.Footer style={{ textAlign: 'center', color: 'rgba(0,0,0,0.45)' }}>{t('app.footer')}</Layout.Footer>
    </Layout>
  );
}
