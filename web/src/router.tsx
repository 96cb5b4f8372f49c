import { createBrowserRouter } from 'react-router';
import {
  AlertOutlined,
  AppstoreOutlined,
  ClusterOutlined,
  DatabaseOutlined,
  DeploymentUnitOutlined,
  DesktopOutlined,
  EyeOutlined,
  FileSearchOutlined,
  HomeOutlined,
  SafetyCertificateOutlined,
  SafetyOutlined,
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
import { CertificatePage } from './features/certificates/CertificatePage';
import { SharedCertificatePage, VerifyRedirect } from './features/certificates/SharedCertificatePage';
import { VerifyPage } from './features/certificates/VerifyPage';
import { WalletPage } from './features/certificates/WalletPage';
import { CreateDelegationPage } from './features/delegation/CreateDelegationPage';
import { DelegationPage } from './features/delegation/DelegationPage';
import { DelegationsPage } from './features/delegation/DelegationsPage';
import { FloatingPage } from './features/delegation/FloatingPage';
import { PilotsPage } from './features/delegation/PilotsPage';
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
import { AccessRecordsPage } from './features/sharing/AccessRecordsPage';
import { DataSharingPage } from './features/sharing/DataSharingPage';

const has = (user: User | null | undefined, ...roles: string[]) => !!user && user.roles.some((r) => roles.includes(r));

/**
 * The menu for who is signed in: applicants find and follow their cases and keep their
 * certificates; staff work theirs — intake and review, data sharing, delegation — by role.
 * Anyone may verify a certificate.
 */
export function navFor(user: User | null | undefined): NavItem[] {
  const staff = user?.kind === 'staff';
  const applicant = !!user && !staff;
  const item = (to: string, label: NavItem['label'], icon: NavItem['icon']): NavItem => ({ to, label, icon });
  return [
    item('/', 'nav.home', <HomeOutlined />),
    ...(staff ? [] : [item('/services', 'nav.services', <AppstoreOutlined />)]),
    ...(applicant ? [item('/cases', 'nav.myCases', <SolutionOutlined />), item('/wallet', 'nav.wallet', <SafetyCertificateOutlined />), item('/access-records', 'nav.accessRecords', <EyeOutlined />)] : []),
    ...(has(user, 'window_clerk', 'reviewer', 'department_head') ? [item('/workbench', 'nav.workbench', <DesktopOutlined />)] : []),
    ...(has(user, 'efficiency_officer') ? [item('/efficiency', 'nav.efficiency', <AlertOutlined />)] : []),
    ...(has(user, 'catalogue_admin') ? [item('/catalogue/standardisation', 'nav.standardisation', <FileSearchOutlined />)] : []),
    ...(has(user, 'data_steward', 'department_head', 'reviewer', 'efficiency_officer') ? [item('/data', 'nav.data', <DatabaseOutlined />)] : []),
    ...(has(user, 'catalogue_admin', 'system_admin', 'department_head', 'efficiency_officer')
      ? [item('/delegations', 'nav.delegation', <DeploymentUnitOutlined />)]
      : []),
    ...(staff ? [item('/services', 'nav.services', <AppstoreOutlined />)] : [item('/progress', 'nav.progress', <SearchOutlined />)]),
    item('/verify', 'nav.verify', <SafetyOutlined />),
    item('/regions', 'nav.regions', <ClusterOutlined />),
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
      { path: '/wallet', element: <WalletPage /> },
      { path: '/wallet/:certNo', element: <CertificatePage /> },
      { path: '/verify', element: <VerifyPage /> },
      { path: '/certificates/shared/:token', element: <SharedCertificatePage /> },
      { path: '/certificates/:certNo/verify', element: <VerifyRedirect /> },
      { path: '/access-records', element: <AccessRecordsPage /> },
      { path: '/data', element: <DataSharingPage /> },
      { path: '/delegations', element: <DelegationsPage /> },
      { path: '/delegations/new', element: <CreateDelegationPage /> },
      { path: '/delegations/floating', element: <FloatingPage /> },
      { path: '/delegations/:id', element: <DelegationPage /> },
      { path: '/delegations/pilots', element: <PilotsPage /> },
      { path: '*', element: <NotFound /> },
    ],
  },
]);
