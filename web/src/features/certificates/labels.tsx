import type { ReactNode } from 'react';
import { Tag } from 'antd';
import { CheckCircleOutlined, CloseCircleOutlined, ExclamationCircleOutlined, StopOutlined } from '@ant-design/icons';
import { maskIdNumber } from '../../../../shared/identity-numbers.js';
import { useT } from '../../components/locale';
import { hasMessage } from '../../i18n';
import type { CertificateStatus } from './api';

const STATUS: Record<CertificateStatus, { color: string; icon: ReactNode }> = {
  valid: { color: 'success', icon: <CheckCircleOutlined /> },
  expired: { color: 'warning', icon: <ExclamationCircleOutlined /> },
  revoked: { color: 'error', icon: <StopOutlined /> },
  invalid: { color: 'error', icon: <CloseCircleOutlined /> },
};

/** 有效 / 已过期 / 已注销 / 无效. */
export function CertStatusTag({ status }: { status: CertificateStatus }) {
  const t = useT();
  const s = STATUS[status] ?? STATUS.invalid;
  return (
    <Tag color={s.color} icon={s.icon} data-testid="cert-status">
      {t(`certStatus.${status}`)}
    </Tag>
  );
}

/** A certificate field's printed label (法定代表人, 经营场所 …); a field we do not know shows its own name. */
export function useFieldLabel(): (name: string) => string {
  const t = useT();
  return (name) => {
    const key = `certField.${name}`;
    return hasMessage(key) ? t(key) : name;
  };
}

/** Why a presented document is not valid, in the UI language; the server's message says the rest. */
export function useReasonLabel(): (reason: string | null) => string | null {
  const t = useT();
  return (reason) => {
    if (!reason) return null;
    const key = `verifyReason.${reason}`;
    return hasMessage(key) ? t(key) : reason;
  };
}

/**
 * The holder as the holder's own screens show it: a business's name and credit code (public by
 * 企业信息公示暂行条例), a person's name with the ID number masked.
 */
export function holderLine(holder: { kind: 'person' | 'business'; name: string; idNumber?: string | undefined; creditCode?: string | undefined }): string {
  const id = holder.kind === 'person' ? maskIdNumber(holder.idNumber ?? '') : (holder.creditCode ?? '');
  return id ? `${holder.name}（${id}）` : holder.name;
}

/** 2029-06-17T16:00:00Z → 2029-06-18: the date in China, as the certificate and its PDF print it. */
export function chinaDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}
