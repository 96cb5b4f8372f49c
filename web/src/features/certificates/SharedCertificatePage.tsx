import { Alert, Card, Descriptions, Flex, Result, Space, Typography } from 'antd';
import { Link, Navigate, useParams } from 'react-router';
import { isApiError } from '../../api/client';
import { ErrorResult } from '../../components/ErrorResult';
import { PageLoading } from '../../components/PageLoading';
import { useT } from '../../components/locale';
import { formatTime } from '../cases/tags';
import { useSharedCertificate } from './api';
import { CertStatusTag, chinaDate, useFieldLabel } from './labels';
import { VerdictResult, maskedHolderText } from './VerificationView';

/**
 * 亮证 landing page (public): what the holder chose to show, checked against the registry and
 * its signature when opened, the holder masked. Dead once the link expires or is withdrawn.
 */
export function SharedCertificatePage() {
  const t = useT();
  const label = useFieldLabel();
  const { token = '' } = useParams();
  const shared = useSharedCertificate(token);

  if (shared.isPending) return <PageLoading />;
  if (shared.isError) {
    if (isApiError(shared.error) && (shared.error.status === 404 || shared.error.status === 400)) {
      return (
        <Result
          status="warning"
          title={<span data-testid="share-gone">{t('shared.gone')}</span>}
          subTitle={shared.error.message}
          extra={<Link to="/verify">{t('shared.toVerify')}</Link>}
        />
      );
    }
    return <ErrorResult error={shared.error} onRetry={() => void shared.refetch()} />;
  }
  const c = shared.data;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%', maxWidth: 820, margin: '0 auto', display: 'flex' }}>
      <Card data-testid="shared-certificate">
        <Flex justify="space-between" align="center" wrap gap={8}>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="shared-type">
            {c.typeName}
          </Typography.Title>
          <CertStatusTag status={c.status} />
        </Flex>
        <VerdictResult
          status={c.status}
          title={c.valid ? t('shared.verified') : undefined}
          subTitle={t('shared.checkedBy', { issuer: c.issuer.name })}
        />
        <Descriptions
          bordered
          size="small"
          column={1}
          items={[
            { key: 'no', label: t('cert.certNo'), children: <span data-testid="shared-cert-no">{c.certNo}</span> },
            { key: 'holder', label: t('cert.holderMasked'), children: <span data-testid="shared-holder">{maskedHolderText(c.holder)}</span> },
            ...Object.entries(c.fields).map(([k, v]) => ({ key: `f.${k}`, label: label(k), children: v === null || v === '' ? '—' : String(v) })),
            { key: 'issuer', label: t('cert.issuer'), children: c.issuer.name },
            { key: 'issued', label: t('cert.issuedAt'), children: chinaDate(c.issuedAt) },
            { key: 'valid', label: t('cert.validUntil'), children: c.validUntil ? chinaDate(c.validUntil) : t('cert.noExpiry') },
          ]}
        />
        <Alert
          style={{ marginTop: 16 }}
          type="info"
          showIcon
          title={t('shared.expires', { time: formatTime(c.shareExpiresAt) })}
          description={t('shared.note')}
        />
      </Card>
    </Space>
  );
}

/** The QR code of a printed certificate may lead here: the verify page for that number. */
export function VerifyRedirect() {
  const { certNo = '' } = useParams();
  return <Navigate to={`/verify?certNo=${encodeURIComponent(certNo)}`} replace />;
}
