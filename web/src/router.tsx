import { createBrowserRouter } from 'react-router';
import { ClusterOutlined, HomeOutlined } from '@ant-design/icons';
import { AppLayout, type NavItem } from './components/AppLayout';
import { LocaleSwitch } from './components/LocaleSwitch';
import { NotFound } from './components/NotFound';
import { HomePage } from './features/identity/HomePage';
import { LoginPage } from './features/identity/LoginPage';
import { ProfilePage } from './features/identity/ProfilePage';
import { RegisterPage } from './features/identity/RegisterPage';
import { UserMenu } from './features/identity/UserMenu';
import { RegionsPage } from './features/regions/RegionsPage';

const NAV: NavItem[] = [
  { to: '/', label: 'nav.home', icon: <HomeOutlined /> },
  { to: '/regions', label: 'nav.regions', icon: <ClusterOutlined /> },
];

export const router = createBrowserRouter([
  {
    element: (
      <AppLayout
        nav={NAV}
        actions={
          <>
            <LocaleSwitch />
            <UserMenu />
          </>
        }
      />
    ),
    children: [
      { path: '/', element: <HomePage /> },
      { path: '/login', element: <LoginPage /> },
      { path: '/register', element: <RegisterPage /> },
      { path: '/profile', element: <ProfilePage /> },
      { path: '/regions', element: <RegionsPage /> },
      { path: '*', element: <NotFound /> },
    ],
  },
]);
