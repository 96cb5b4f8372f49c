import { Space, Tag, Timeline, Typography } from 'antd';
import { useT } from '../../components/locale';
import { hasMessage } from '../../i18n';
import type { Case, CaseEvent } from './api';
import { formatTime } from './tags';

const BLUE = '#1677ff'; // antd's 'blue' follows the theme's primary, which is red here

const COLORS: Record<string, string> = {
  submit: BLUE,
  accept: 'green',
  deemAccepted: 'green',
  acceptWithDeficiency: 'green',
  approve: 'green',
  conclude: 'green',
  approveByCommitment: 'green',
  reject: 'red',
  deny: 'red',
  expireDeficiency: 'red',
  requestCorrection: 'orange',
  return: 'orange',
  transfer: 'orange',
  escalate: 'red',
  withdraw: 'gray',
};

interface Details {
  reason?: string | null;
  basis?: string | null;
  note?: string | null;
  toName?: string;
  decision?: string;
  items?: { materialId?: string; field?: string; problem: string }[];
  owed?: { materialId: string; due: string }[];
  channel?: string;
}

function Who({ e, c }: { e: CaseEvent; c: Case }) {
  const t = useT();
  const kind = e.actor.kind;
  if (kind === 'person' || kind === 'business') return <>{t('timeline.applicant')}</>;
  if (kind === 'staff') {
    const dept = e.actor.department;
    const name = dept === c.department.id ? c.department.name : c.steps.find((s) => s.department.id === dept)?.department.name;
    return <>{name ?? t('timeline.staff')}</>;
  }
  if (kind === 'console' || kind === 'system') return <>{t('timeline.system')}</>;
  return <>{kind ?? '—'}</>;
}

function EventDetails({ d, names }: { d: Details; names: Map<string, string> }) {
  const t = useT();
  const material = (id: string | undefined) => (id ? (names.get(id) ?? id) : undefined);
  const lines: string[] = [];
  if (d.decision) lines.push(t(d.decision === 'approved' ? 'decision.approved' : 'decision.denied'));
  if (d.toName) lines.push(`${t('timeline.to')}：${d.toName}`);
  if (d.reason) lines.push(`${t('action.reason')}：${d.reason}`);
  if (d.basis) lines.push(`${t('action.basis')}：${d.basis}`);
  if (d.items?.length) lines.push(...d.items.map((i, n) => `${n + 1}. ${material(i.materialId) ?? i.field ?? ''}：${i.problem}`));
  if (d.owed?.length) lines.push(`${t('timeline.owed')}：${d.owed.map((o) => `${material(o.materialId)}（${o.due}）`).join('、')}`);
  if (d.note) lines.push(d.note);
  if (d.channel) lines.push(t(d.channel === 'window' ? 'case.channel.window' : 'case.channel.online'));
  if (lines.length === 0) return null;
  return (
    <div style={{ whiteSpace: 'pre-wrap' }}>
      <Typography.Text type="secondary">{lines.join('\n')}</Typography.Text>
    </div>
  );
}

/** The case's whole history (全过程记录), oldest first. */
export function CaseTimeline({ c, materialNames = new Map() }: { c: Case; materialNames?: Map<string, string> }) {
  const t = useT();
  const stepName = (key: string | null) => (key ? (c.steps.find((s) => s.key === key)?.name ?? key) : null);
  return (
    <Timeline
      data-testid="case-timeline"
      items={c.timeline.map((e, i) => {
        const key = `caseAction.${e.action}`;
        const step = stepName(e.step);
        return {
          key: i,
          color: COLORS[e.action] ?? BLUE,
          title: formatTime(e.at),
          content: (
            <>
              <Space size={4} wrap>
                <Typography.Text strong>{hasMessage(key) ? t(key) : (e.actionName ?? e.action)}</Typography.Text>
                {step ? <Tag bordered={false}>{step}</Tag> : null}
                <Typography.Text type="secondary">
                  <Who e={e} c={c} />
                </Typography.Text>
              </Space>
              <EventDetails d={(e.details ?? {}) as Details} names={materialNames} />
            </>
          ),
        };
      })}
    />
  );
}
