import type { ReactNode } from 'react';
import { Card, Descriptions, Result } from 'antd';
import type { DescriptionsProps } from 'antd';
import { useT } from '../../components/locale';
import type { CertificateStatus, VerificationResult } from './api';
import { CertStatusTag, chinaDate, useReasonLabel } from './labels';

const RESULT_STATUS: Record<CertificateStatus, 'success' | 'warning' | 'error'> = { valid: 'success', expired: 'warning', revoked: 'error', invalid: 'error' };

/** The big answer of a verification: 有效 in green, or why not. */
export function VerdictResult({ status, title, subTitle }: { status: CertificateStatus; title?: ReactNode; subTitle?: ReactNode }) {
  const t = useT();
  return (
    <Result
      status={RESULT_STATUS[status]}
      style={{ padding: '16px 0' }}
      title={<span data-testid="verdict">{title ?? t(`verify.verdict.${status}`)}</span>}
      subTitle={subTitle}
    />
  );
}

/** A masked holder: 石家庄市长安区通办餐饮有限公司（91130102MA0DXQ7K30）, 张*（1301**********1233）. */
export function maskedHolderText(h: { name: string; idMasked: string } | null): string {
  if (!h) return '—';
  return h.idMasked ? `${h.name}（${h.idMasked}）` : h.name;
}

/** What the registry or the signature check said about a certificate. */
export function VerificationView({ result }: { result: VerificationResult }) {
  const t = useT();
  const reason = useReasonLabel();
  const items: DescriptionsProps['items'] = [
    { key: 'status', label: t('cert.status'), children: <CertStatusTag status={result.status} /> },
    ...(result.reason ? [{ key: 'reason', label: t('verify.reason'), children: <span data-testid="verify-reason">{reason(result.reason)}</span> }] : []),
    { key: 'type', label: t('cert.type'), children: result.typeName ?? result.type ?? '—' },
    { key: 'no', label: t('cert.certNo'), children: result.certNo ?? '—' },
    { key: 'holder', label: t('cert.holderMasked'), children: <span data-testid="verify-holder">{maskedHolderText(result.holder)}</span> },
    { key: 'issuer', label: t('cert.issuer'), children: result.issuer?.name ?? '—' },
    { key: 'issued', label: t('cert.issuedAt'), children: chinaDate(result.issuedAt) },
    { key: 'valid', label: t('cert.validUntil'), children: result.certNo ? (result.validUntil ? chinaDate(result.validUntil) : t('cert.noExpiry')) : '—' },
    ...(result.revokedAt ? [{ key: 'revoked', label: t('cert.revokedAt'), children: chinaDate(result.revokedAt) }] : []),
    ...(result.issuer ? [{ key: 'key', label: t('cert.signingKey'), children: result.issuer.keyId }] : []),
  ];
  return (
    <Card data-testid="verification">
      <VerdictResult status={result.status} subTitle={<span data-testid="verify-message">{result.message}</span>} />
      <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} items={items} />
    </Card>
  );
}
