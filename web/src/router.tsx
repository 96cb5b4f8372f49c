import { createBrowserRouter } from 'react-router';
import {
  AlertOutlined,
  AppstoreOutlined,
  ClusterOutlined,
  DesktopOutlined,
  FileSearchOutlined,
  HomeOutlined,
  SearchOutlined,
  SolutionOutlined,
} from '@ant-design/icons';
import { AppLayout, type NavItem } from './components/AppLayout';
import { LocaleSwitch } from './components/LocaleSwitch';
import { NotFound } from './components/NotFound';
import { ApplyPage } from './features/cases/ApplyPage';
import { CasePage } from './features/cases/CasePage';
import { EfficiencyPage } from './features/cases/EfficiencyPage';
import { LifeEventApplicationPage } from './features/cases/LifeEventApplicationPage';
import { LifeEventApplyPage } from './features/cases/LifeEventApplyPage';
import { MyCasesPage } from './features/cases/MyCasesPage';
import { ProgressPage } from './features/cases/ProgressPage';
import { WorkbenchPage } from './features/cases/WorkbenchPage';
import { GuidePage } from './features/catalogue/GuidePage';
import { LifeEventsPage } from './features/catalogue/LifeEventsPage';
import { ServicesPage } from './features/catalogue/ServicesPage';
import { StandardisationPage } from './features/catalogue/StandardisationPage';
import { useMe, type User } from './features/identity/api';
import { HomePage } from './features/identity/HomePage';
import { LoginPage } from './features/identity/LoginPage';
import { ProfilePage } from './features/identity/ProfilePage';
import { RegisterPage } from './features/identity/RegisterPage';
import { UserMenu } from './features/identity/UserMenu';
import { MessagesPage } from './features/notifications/MessagesPage';
import { RegionsPage } from './features/regions/RegionsPage';

const has = (user: User | null | undefined, ...roles: string[]) => !!user && user.roles.some((r) => roles.includes(r));

/** The menu for who is signed in: applicants find and follow their cases, staff work theirs. */
export function navFor(user: User | null | undefined): NavItem[] {
  const staff = user?.kind === 'staff';
  return [
    { to: '/', label: 'nav.home', icon: <HomeOutlined /> },
    ...(staff ? [] : [{ to: '/services', label: 'nav.services', icon: <AppstoreOutlined /> } as NavItem]),
    ...(user && !staff ? [{ to: '/cases', label: 'nav.myCases', icon: <SolutionOutlined /> } as NavItem] : []),
    ...(has(user, 'window_clerk', 'reviewer', 'department_head') ? [{ to: '/workbench', label: 'nav.workbench', icon: <DesktopOutlined /> } as NavItem] : []),
    ...(has(user, 'efficiency_officer') ? [{ to: '/efficiency', label: 'nav.efficiency', icon: <AlertOutlined /> } as NavItem] : []),
    ...(has(user, 'catalogue_admin') ? [{ to: '/catalogue/standardisation', label: 'nav.standardisation', icon: <FileSearchOutlined /> } as NavItem] : []),
    ...(staff ? [{ to: '/services', label: 'nav.services', icon: <AppstoreOutlined /> } as NavItem] : [{ to: '/progress', label: 'nav.progress', icon: <SearchOutlined /> } as NavItem]),
    { to: '/regions', label: 'nav.regions', icon: <ClusterOutlined /> },
  ];
}

function Shell() {
  const me = useMe();
  return (
    <AppLayout
      nav={navFor(me.data)}
      actions={
        <>
          <LocaleSwitch />
          <UserMenu />
        </>
      }
    />
  );
}

export const router = createBrowserRouter([
  {
    element: <Shell />,
    children: [
      { path: '/', element: <HomePage /> },
      { path: '/login', element: <LoginPage /> },
      { path: '/register', element: <RegisterPage /> },
      { path: '/profile', element: <ProfilePage /> },
      { path: '/regions', element: <RegionsPage /> },
      { path: '/services', element: <ServicesPage /> },
      { path: '/services/:itemCode', element: <GuidePage /> },
      { path: '/services/:itemCode/apply', element: <ApplyPage /> },
      { path: '/life-events', element: <LifeEventsPage /> },
      { path: '/life-events/:code/apply', element: <LifeEventApplyPage /> },
      { path: '/life-events/applications/:id', element: <LifeEventApplicationPage /> },
      { path: '/cases', element: <MyCasesPage /> },
      { path: '/cases/:caseNo', element: <CasePage /> },
      { path: '/workbench', element: <WorkbenchPage /> },
      { path: '/progress', element: <ProgressPage /> },
      { path: '/messages', element: <MessagesPage /> },
      { path: '/efficiency', element: <EfficiencyPage /> },
      { path: '/catalogue/standardisation', element: <StandardisationPage /> },
      { path: '*', element: <NotFound /> },
    ],
  },
]);
