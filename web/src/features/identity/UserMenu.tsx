import { Avatar, Button, Dropdown, Space } from 'antd';
import type { MenuProps } from 'antd';
import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router';
import { useT } from '../../components/locale';
import { useMe } from './api';
import { useSignOut } from './useSignOut';

/** The header's account corner: the user's name with 个人中心 / 退出登录, or sign-in links. */
export function UserMenu() {
  const t = useT();
  const me = useMe();
  const navigate = useNavigate();
  const { signOut } = useSignOut();
  const user = me.data;

  if (!user) {
    if (me.isPending) return null;
    return (
      <Space>
        <Link to="/login">
          <Button type="text" style={{ color: '#fff' }}>
            {t('nav.login')}
          </Button>
        </Link>
        <Link to="/register">
          <Button ghost>{t('nav.register')}</Button>
        </Link>
      </Space>
    );
  }

  const items: MenuProps['items'] = [
    { key: 'profile', icon: <UserOutlined />, label: t('nav.profile') },
    { type: 'divider' },
    { key: 'logout', icon: <LogoutOutlined />, label: t('nav.logout'), danger: true },
  ];
  const onClick: MenuProps['onClick'] = ({ key }) => {
    if (key === 'profile') void navigate('/profile');
    if (key === 'logout') signOut();
  };
  return (
    <Dropdown menu={{ items, onClick }} placement="bottomRight" trigger={['click']}>
      <Button type="text" style={{ color: '#fff' }} data-testid="user-menu">
        <Space>
          <Avatar size="small" icon={<UserOutlined />} style={{ background: '#fff', color: '#9e0b22' }} />
          {user.name}
        </Space>
      </Button>
    </Dropdown>
  );
}
