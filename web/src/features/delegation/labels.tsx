import { Flex, Segmented, Tag, Typography } from 'antd';
import { useLocation, useNavigate } from 'react-router';
import { useT } from '../../components/locale';
import { hasMessage, type MessageKey } from '../../i18n';
import type { User } from '../identity/api';
import type { DelegationDetail, FloatingRow, RegionLevel } from './api';

type Mode = DelegationDetail['mode'];
const MODE_COLORS: Record<Mode, string> = { cancel: 'red', delegate: 'blue', entrust: 'cyan', authorise: 'purple' };

/** 取消 / 直接下放 / 委托 / 授权. */
export function ModeTag({ mode }: { mode: Mode }) {
  const t = useT();
  return <Tag color={MODE_COLORS[mode]}>{t(`delegationMode.${mode}`)}</Tag>;
}

const LEVEL_COLORS: Record<RegionLevel, string> = { province: 'red', city: 'orange', county: 'gold' };

/** 省级 / 市级 / 县级. */
export function LevelTag({ level }: { level: RegionLevel }) {
  const t = useT();
  return <Tag color={LEVEL_COLORS[level]} bordered={false}>{t(`level.${level}`)}</Tag>;
}

/** 逾期未交接, 逾期未承接, 关联事项下放层级不一致 …: the UI language's name, the server's for a kind we do not know. */
export function useFloatingKindLabel(): (kind: string, fallback?: string) => string {
  const t = useT();
  return (kind, fallback) => {
    const key = `floatingKind.${kind}`;
    return hasMessage(key) ? t(key) : (fallback ?? kind);
  };
}

const KIND_COLORS: Record<FloatingRow['kind'], string> = {
  handover_overdue: 'volcano',
  listing_overdue: 'red',
  no_implementation: 'orange',
  split_link: 'purple',
  no_supervision: 'magenta',
};

export function FloatingKindTag({ row }: { row: Pick<FloatingRow, 'kind' | 'kindName'> }) {
  const label = useFloatingKindLabel();
  return (
    <Tag color={KIND_COLORS[row.kind] ?? 'default'} data-testid="floating-kind">
      {label(row.kind, row.kindName)}
    </Tag>
  );
}

/** Who may see what of delegation: orders and pilots any staff; floating the catalogue, efficiency and system admins. */
export const canSeeFloating = (user: User | null | undefined) => !!user && user.roles.some((r) => ['catalogue_admin', 'efficiency_officer', 'system_admin'].includes(r));
export const canOrder = (user: User | null | undefined) => !!user && user.roles.some((r) => ['catalogue_admin', 'system_admin'].includes(r));

const SECTIONS: { to: string; label: MessageKey; floating?: boolean }[] = [
  { to: '/delegations', label: 'delegation.orders' },
  { to: '/delegations/floating', label: 'delegation.floating', floating: true },
  { to: '/delegations/pilots', label: 'delegation.pilots' },
];

/** 下放文件 · 权力悬浮 · 先行先试: the delegation pages, one click apart. */
export function DelegationSections({ user }: { user: User }) {
  const t = useT();
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const sections = SECTIONS.filter((s) => !s.floating || canSeeFloating(user));
  const current = SECTIONS.find((s) => s.to !== '/delegations' && pathname.startsWith(s.to))?.to ?? '/delegations';
  return (
    <Segmented
      value={current}
      onChange={(to) => void navigate(to)}
      options={sections.map((s) => ({ value: s.to, label: <span data-testid={`section-${s.to.split('/').pop()}`}>{t(s.label)}</span> }))}
    />
  );
}

/** The heading of a delegation list page: title and intro, with the section switcher beside them. */
export function DelegationHeading({ user, title, intro }: { user: User; title: MessageKey; intro: MessageKey }) {
  const t = useT();
  return (
    <Flex justify="space-between" align="start" wrap gap={16}>
      <div>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {t(title)}
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ maxWidth: 760 }}>
          {t(intro)}
        </Typography.Paragraph>
      </div>
      <DelegationSections user={user} />
    </Flex>
  );
}
