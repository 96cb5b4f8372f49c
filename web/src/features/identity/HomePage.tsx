import type { ReactNode } from 'react';
import { Card, Col, Descriptions, Row, Typography } from 'antd';
import {
  AlertOutlined,
  AppstoreOutlined,
  AuditOutlined,
  BellOutlined,
  DatabaseOutlined,
  DeploymentUnitOutlined,
  DesktopOutlined,
  EyeOutlined,
  FileSearchOutlined,
  FireOutlined,
  PartitionOutlined,
  SafetyCertificateOutlined,
  SafetyOutlined,
  SearchOutlined,
  SolutionOutlined,
} from '@ant-design/icons';
import { FeatureCard } from '../../components/FeatureCard';
import { useT } from '../../components/locale';
import type { MessageKey } from '../../i18n';
import type { User } from './api';
import { RequireAuth } from './RequireAuth';
import { RoleTags } from './RoleTags';

interface Entry {
  icon: ReactNode;
  title: MessageKey;
  description: MessageKey;
  /** Where the card leads; none: 即将上线. */
  to?: string;
}

function Cards({ entries }: { entries: Entry[] }) {
  const t = useT();
  return (
    <Row gutter={[16, 16]}>
      {entries.map((e) => (
        <Col key={e.title} xs={24} sm={12} lg={8}>
          <FeatureCard icon={e.icon} title={t(e.title)} description={t(e.description)} to={e.to} />
        </Col>
      ))}
    </Row>
  );
}

const APPLICANT: Entry[] = [
  { icon: <AppstoreOutlined />, title: 'home.services', description: 'home.servicesDesc', to: '/services' },
  { icon: <SolutionOutlined />, title: 'home.myCases', description: 'home.myCasesDesc', to: '/cases' },
  { icon: <SafetyCertificateOutlined />, title: 'home.myCertificates', description: 'home.myCertificatesDesc', to: '/wallet' },
  { icon: <PartitionOutlined />, title: 'home.lifeEvents', description: 'home.lifeEventsDesc', to: '/life-events' },
  { icon: <SearchOutlined />, title: 'home.progress', description: 'home.progressDesc', to: '/progress' },
  { icon: <BellOutlined />, title: 'home.messages', description: 'home.messagesDesc', to: '/messages' },
  { icon: <EyeOutlined />, title: 'home.accessRecords', description: 'home.accessRecordsDesc', to: '/access-records' },
  { icon: <SafetyOutlined />, title: 'home.verify', description: 'home.verifyDesc', to: '/verify' },
];

function ApplicantHome({ user }: { user: User }) {
  const t = useT();
  return (
    <>
      <Card style={{ marginBottom: 16 }}>
        <Typography.Title level={3} style={{ marginTop: 0 }} data-testid="greeting">
          {t('home.hello', { name: user.name })}
        </Typography.Title>
        <Typography.Text type="secondary">{t('home.applicantIntro')}</Typography.Text>
      </Card>
      <Cards entries={APPLICANT} />
    </>
  );
}

/** What each role adds to the staff home; those who take in or review cases have the workbench. */
const WORKBENCH: Entry = { icon: <DesktopOutlined />, title: 'home.workbench', description: 'home.workbenchDesc', to: '/workbench' };
const DATA: Entry = { icon: <DatabaseOutlined />, title: 'home.data', description: 'home.dataDesc', to: '/data' };
const DATA_STEWARD: Entry = { icon: <DatabaseOutlined />, title: 'home.data', description: 'home.dataStewardDesc', to: '/data' };
const DELEGATION: Entry = { icon: <DeploymentUnitOutlined />, title: 'home.delegation', description: 'home.delegationDesc', to: '/delegations' };
const FLOATING: Entry = { icon: <FireOutlined />, title: 'home.floating', description: 'home.floatingDesc', to: '/delegations/floating' };
const ROLE_ENTRIES: Record<string, Entry[]> = {
  window_clerk: [WORKBENCH],
  reviewer: [WORKBENCH, DATA],
  department_head: [WORKBENCH, DELEGATION, DATA],
  data_steward: [DATA_STEWARD],
  catalogue_admin: [{ icon: <FileSearchOutlined />, title: 'home.catalogue', description: 'home.catalogueDesc', to: '/catalogue/standardisation' }, FLOATING, DELEGATION],
  inspector: [{ icon: <AuditOutlined />, title: 'home.supervision', description: 'home.supervisionDesc' }],
  efficiency_officer: [{ icon: <AlertOutlined />, title: 'home.efficiency', description: 'home.efficiencyDesc', to: '/efficiency' }, FLOATING, DATA],
  system_admin: [FLOATING, DELEGATION],
};

function StaffHome({ user }: { user: User }) {
  const t = useT();
  const entries: Entry[] = [
    // one card per place, however many roles lead there
    ...new Map(user.roles.flatMap((r) => ROLE_ENTRIES[r] ?? []).map((e) => [e.to ?? e.title, e])).values(),
    { icon: <AppstoreOutlined />, title: 'home.services', description: 'home.servicesStaffDesc', to: '/services' },
  ];
  return (
    <>
      <Card style={{ marginBottom: 16 }}>
        <Typography.Title level={3} style={{ marginTop: 0 }} data-testid="greeting">
          {t('home.hello', { name: user.name })}
        </Typography.Title>
        <Descriptions column={1} size="small">
          <Descriptions.Item label={t('home.department')}>
            <span data-testid="department">{user.department?.name ?? t('home.noDepartment')}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('home.roles')}>
            <RoleTags roles={user.roles} />
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Cards entries={entries} />
    </>
  );
}

export function HomePage() {
  return <RequireAuth>{(user) => (user.kind === 'staff' ? <StaffHome user={user} /> : <ApplicantHome user={user} />)}</RequireAuth>;
}
