import { Card, Col, Descriptions, Empty, Flex, Row, Typography } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { ErrorResult } from '../../components/ErrorResult';
import { PageLoading } from '../../components/PageLoading';
import { useT } from '../../components/locale';
import { RequireAuth } from '../identity/RequireAuth';
import { useWallet, type WalletCertificate } from './api';
import { CertStatusTag, chinaDate } from './labels';

function CertificateCard({ c }: { c: WalletCertificate }) {
  const t = useT();
  return (
    <Link to={`/wallet/${encodeURIComponent(c.certNo)}`} style={{ display: 'block', height: '100%' }} data-testid="wallet-card">
      <Card
        hoverable
        style={{ height: '100%', borderTop: `3px solid ${c.status === 'valid' ? '#c8102e' : '#bfbfbf'}` }}
        title={
          <Flex align="center" gap={8}>
            <SafetyCertificateOutlined style={{ color: '#c8102e' }} />
            <span data-testid="wallet-type">{c.typeName}</span>
          </Flex>
        }
        extra={<CertStatusTag status={c.status} />}
      >
        <Descriptions
          size="small"
          column={1}
          items={[
            { key: 'no', label: t('cert.certNo'), children: <span data-testid="wallet-cert-no">{c.certNo}</span> },
            { key: 'issuer', label: t('cert.issuer'), children: c.issuer.name },
            { key: 'issued', label: t('cert.issuedAt'), children: chinaDate(c.issuedAt) },
            { key: 'valid', label: t('cert.validUntil'), children: c.validUntil ? chinaDate(c.validUntil) : t('cert.noExpiry') },
          ]}
        />
      </Card>
    </Link>
  );
}

function Wallet() {
  const t = useT();
  const wallet = useWallet();
  if (wallet.isPending) return <PageLoading />;
  if (wallet.isError) return <ErrorResult error={wallet.error} onRetry={() => void wallet.refetch()} />;
  const list = wallet.data.certificates;
  return (
    <Card title={t('wallet.title')} extra={<Link to="/verify">{t('wallet.toVerify')}</Link>}>
      <Typography.Paragraph type="secondary">{t('wallet.intro')}</Typography.Paragraph>
      {list.length === 0 ? (
        <Empty description={t('wallet.empty')} />
      ) : (
        <Row gutter={[16, 16]}>
          {list.map((c) => (
            <Col key={c.certNo} xs={24} md={12} xl={8}>
              <CertificateCard c={c} />
            </Col>
          ))}
        </Row>
      )}
    </Card>
  );
}

/** 我的证照 (证照夹): the holder's e-certificates, each opening its fields, PDF, signed file and 亮证. */
export function WalletPage() {
  return <RequireAuth>{() => <Wallet />}</RequireAuth>;
}
