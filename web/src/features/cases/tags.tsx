import { Badge, Space, Tag, Tooltip } from 'antd';
import { useT } from '../../components/locale';
import { hasMessage } from '../../i18n';
import type { Light } from './api';

const STATUS_COLORS: Record<string, string> = {
  submitted: 'processing',
  awaiting_correction: 'orange',
  in_review: 'blue',
  awaiting_applicant: 'orange',
  concluded: 'success',
  rejected: 'error',
  terminated: 'default',
  withdrawn: 'default',
};

/** 待受理, 审查中, 已办结 …: the code's name in the UI language, the server's name for a code we do not know. */
export function StatusTag({ status, name, decision }: { status: string; name?: string; decision?: 'approved' | 'denied' | null }) {
  const t = useT();
  const key = `caseStatus.${status}`;
  const color = status === 'concluded' && decision === 'denied' ? 'error' : (STATUS_COLORS[status] ?? 'default');
  return (
    <Tag color={color} data-testid="case-status">
      {hasMessage(key) ? t(key) : (name ?? status)}
    </Tag>
  );
}

export function DecisionTag({ decision }: { decision: 'approved' | 'denied' | null | undefined }) {
  const t = useT();
  if (!decision) return null;
  return (
    <Tag color={decision === 'approved' ? 'success' : 'error'} data-testid="case-decision">
      {t(decision === 'approved' ? 'decision.approved' : 'decision.denied')}
    </Tag>
  );
}

const LIGHT_COLOR: Record<Light, string> = { green: 'success', yellow: 'warning', red: 'error' };

/** The time-limit light: 正常 (green), 黄牌 one working day or less left, 红牌 overdue. */
export function LightTag({ light }: { light: Light | null | undefined }) {
  const t = useT();
  if (!light) return null;
  return (
    <Tooltip title={t(`light.${light}.help`)}>
      <Tag color={LIGHT_COLOR[light]} data-testid={`light-${light}`}>
        <Badge status={LIGHT_COLOR[light] as 'success' | 'warning' | 'error'} text={t(`light.${light}`)} />
      </Tag>
    </Tooltip>
  );
}

/** A deadline with its light beside it. */
export function Deadline({ date, light }: { date: string | null | undefined; light?: Light | null }) {
  if (!date) return <>—</>;
  return (
    <Space size={4}>
      <span>{date}</span>
      <LightTag light={light} />
    </Space>
  );
}

const STEP_COLORS: Record<string, string> = {
  waiting: 'default',
  active: 'processing',
  claimed: 'blue',
  approved: 'success',
  denied: 'error',
  returned: 'orange',
  cancelled: 'default',
};

export function StepStatusTag({ status }: { status: string }) {
  const t = useT();
  const key = `stepStatus.${status}`;
  return (
    <Tag color={STEP_COLORS[status] ?? 'default'} data-testid="step-status">
      {hasMessage(key) ? t(key) : status}
    </Tag>
  );
}

/** 2026-03-05T02:15:00Z → 2026-03-05 10:15 in the user's clock. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
