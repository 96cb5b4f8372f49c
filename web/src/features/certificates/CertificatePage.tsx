import { Alert, Button, Card, Descriptions, Flex, Result, Space, Typography } from 'antd';
import { DownloadOutlined, FilePdfOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router';
import { ErrorResult } from '../../components/ErrorResult';
import { PageLoading } from '../../components/PageLoading';
import { useT } from '../../components/locale';
import { RequireAuth } from '../identity/RequireAuth';
import { downloadDocument, pdfUrl, useWallet, type WalletCertificate } from './api';
import { CertStatusTag, chinaDate, holderLine, useFieldLabel } from './labels';
import { ShareCard } from './ShareCard';

function fieldText(v: unknown): string {
  return v === null || v === undefined || v === '' ? '—' : String(v);
}

function CertificateView({ c }: { c: WalletCertificate }) {
  const t = useT();
  const label = useFieldLabel();
  const p = c.document.certificate;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <Flex justify="space-between" align="start" wrap gap={16}>
          <div>
            <Typography.Title level={3} style={{ marginTop: 0 }} data-testid="cert-title">
              <SafetyCertificateOutlined style={{ color: '#c8102e', marginInlineEnd: 8 }} />
              {c.typeName}
            </Typography.Title>
            <Space wrap>
              <Typography.Text>
                {t('cert.certNo')}：
                <Typography.Text strong copyable data-testid="cert-no">
                  {c.certNo}
                </Typography.Text>
              </Typography.Text>
              <CertStatusTag status={c.status} />
            </Space>
          </div>
          <Space wrap>
            <Button href={pdfUrl(c.certNo)} target="_blank" rel="noreferrer" icon={<FilePdfOutlined />} data-testid="download-pdf">
              {t('cert.pdf')}
            </Button>
            <Button icon={<DownloadOutlined />} onClick={() => downloadDocument(c.certNo, c.document)} data-testid="download-document">
              {t('cert.document')}
            </Button>
            <Link to={`/verify?certNo=${encodeURIComponent(c.certNo)}`}>
              <Button>{t('cert.verifyIt')}</Button>
            </Link>
          </Space>
        </Flex>
        {c.status === 'revoked' ? (
          <Alert
            style={{ marginTop: 16 }}
            type="error"
            showIcon
            title={t('cert.revokedOn', { date: chinaDate(c.revokedAt) })}
            description={c.revocationReason ? `${t('action.reason')}：${c.revocationReason}` : undefined}
          />
        ) : null}
        <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0 }}>
          {t('cert.documentNote')}
        </Typography.Paragraph>
      </Card>

      <Card title={t('cert.contents')}>
        <Descriptions
          bordered
          size="small"
          column={{ xs: 1, md: 2 }}
          data-testid="cert-fields"
          items={[
            { key: 'holder', label: t('cert.holder'), children: holderLine(p.holder), span: 2 },
            ...Object.entries(p.fields).map(([k, v]) => ({ key: `f.${k}`, label: label(k), children: fieldText(v) })),
            { key: 'issuer', label: t('cert.issuer'), children: c.issuer.name },
            { key: 'issued', label: t('cert.issuedAt'), children: chinaDate(c.issuedAt) },
            { key: 'valid', label: t('cert.validUntil'), children: c.validUntil ? chinaDate(c.validUntil) : t('cert.noExpiry') },
            ...(p.caseNo ? [{ key: 'case', label: t('case.caseNo'), children: <Link to={`/cases/${p.caseNo}`}>{p.caseNo}</Link> }] : []),
            ...(p.originalNo ? [{ key: 'original', label: t('cert.originalNo'), children: p.originalNo }] : []),
            { key: 'key', label: t('cert.signature'), children: <Typography.Text type="secondary">{`${c.document.algorithm.toUpperCase()} · ${c.document.keyId}`}</Typography.Text> },
          ]}
        />
      </Card>

      <ShareCard cert={c} />
    </Space>
  );
}

function Certificate() {
  const t = useT();
  const { certNo = '' } = useParams();
  const wallet = useWallet();
  if (wallet.isPending) return <PageLoading />;
  if (wallet.isError) return <ErrorResult error={wallet.error} onRetry={() => void wallet.refetch()} />;
  const c = wallet.data.certificates.find((x) => x.certNo === certNo.toUpperCase());
  if (!c) {
    return (
      <Result
        status="404"
        title={t('cert.notInWallet')}
        extra={
          <Link to="/wallet">
            <Button type="primary">{t('wallet.back')}</Button>
          </Link>
        }
      />
    );
  }
  return <CertificateView c={c} />;
}

/** One certificate of the wallet: its fields, the PDF, the signed file to keep, and 亮证. */
export function CertificatePage() {
  return <RequireAuth>{() => <Certificate />}</RequireAuth>;
}
