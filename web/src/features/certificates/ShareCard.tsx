import { useState } from 'react';
import { Alert, App, Button, Card, Flex, Popconfirm, QRCode, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { QrcodeOutlined, RollbackOutlined } from '@ant-design/icons';
import { ErrorResult } from '../../components/ErrorResult';
import { useT } from '../../components/locale';
import { formatTime } from '../cases/tags';
import { sharePageUrl, useCreateShare, useShares, useWithdrawShare, type CreatedShare, type Share, type WalletCertificate } from './api';

const DURATIONS = [5, 30, 60, 240, 1440] as const;

type ShareState = 'active' | 'expired' | 'withdrawn';
const stateOf = (s: Share, now: number): ShareState => (s.withdrawnAt ? 'withdrawn' : new Date(s.expiresAt).getTime() <= now ? 'expired' : 'active');
const STATE_COLOR: Record<ShareState, string> = { active: 'success', expired: 'default', withdrawn: 'default' };

function WithdrawButton({ certNo, id, onDone, testId }: { certNo: string; id: string; onDone?: () => void; testId?: string }) {
  const t = useT();
  const { message } = App.useApp();
  const withdraw = useWithdrawShare(certNo);
  return (
    <Popconfirm
      title={t('share.withdrawConfirm')}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger: true }}
      onConfirm={() =>
        withdraw.mutateAsync(id).then(
          () => {
            onDone?.();
            void message.success(t('share.withdrawn'));
          },
          (e: unknown) => void message.error(e instanceof Error ? e.message : t('error.title')),
        )
      }
    >
      <Button danger size="small" icon={<RollbackOutlined />} loading={withdraw.isPending} data-testid={testId}>
        {t('share.withdraw')}
      </Button>
    </Popconfirm>
  );
}

function minutesLabel(t: ReturnType<typeof useT>, m: number): string {
  return m < 60 ? t('share.minutes', { n: m }) : t('share.hours', { n: m / 60 });
}

/** The link just made: its QR code and address, shown once (only the token's hash is kept). */
function NewShare({ share, certNo, onWithdrawn }: { share: CreatedShare; certNo: string; onWithdrawn: () => void }) {
  const t = useT();
  const url = sharePageUrl(share);
  return (
    <Card type="inner" style={{ marginBottom: 16 }} data-testid="new-share">
      <Flex gap={24} wrap align="center">
        <QRCode value={url} size={160} data-testid="share-qr" />
        <Space orientation="vertical" style={{ flex: 1, minWidth: 260 }}>
          <Typography.Text strong>{t('share.created')}</Typography.Text>
          <Typography.Paragraph copyable={{ text: url }} style={{ marginBottom: 0, wordBreak: 'break-all' }}>
            <a href={url} target="_blank" rel="noreferrer" data-testid="share-url">
              {url}
            </a>
          </Typography.Paragraph>
          <Typography.Text type="secondary" data-testid="share-expires">
            {t('share.expiresAt', { time: formatTime(share.expiresAt) })}
          </Typography.Text>
          <Typography.Text type="secondary">{t('share.onceNote')}</Typography.Text>
          <WithdrawButton certNo={certNo} id={share.id} onDone={onWithdrawn} testId="withdraw-new-share" />
        </Space>
      </Flex>
    </Card>
  );
}

/** 亮证: make a short-lived link and QR code that shows the certificate to anyone, holder masked; withdraw it any time. */
export function ShareCard({ cert }: { cert: WalletCertificate }) {
  const t = useT();
  const [minutes, setMinutes] = useState<number>(30);
  const [created, setCreated] = useState<CreatedShare | null>(null);
  const create = useCreateShare(cert.certNo);
  const shares = useShares(cert.certNo);
  const now = Date.now();

  const columns: TableProps<Share>['columns'] = [
    { title: t('share.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatTime(v) },
    { title: t('share.expires'), dataIndex: 'expiresAt', render: (v: string) => formatTime(v) },
    {
      title: t('share.state'),
      key: 'state',
      render: (_, s) => {
        const st = stateOf(s, now);
        return (
          <Tag color={STATE_COLOR[st]} data-testid="share-state">
            {t(`share.state.${st}`)}
          </Tag>
        );
      },
    },
    {
      title: t('case.step.actions'),
      key: 'actions',
      width: 110,
      render: (_, s) =>
        stateOf(s, now) === 'active' ? <WithdrawButton certNo={cert.certNo} id={s.id} onDone={() => setCreated((c) => (c?.id === s.id ? null : c))} /> : null,
    },
  ];

  return (
    <Card title={t('share.title')} data-testid="share-card">
      <Typography.Paragraph type="secondary">{t('share.intro')}</Typography.Paragraph>
      {cert.status !== 'valid' ? (
        <Alert type="warning" showIcon title={t('share.notValid')} style={{ marginBottom: 16 }} />
      ) : (
        <Space wrap style={{ marginBottom: 16 }}>
          <Typography.Text>{t('share.duration')}</Typography.Text>
          <Select<number>
            style={{ width: 120 }}
            value={minutes}
            onChange={setMinutes}
            aria-label={t('share.duration')}
            options={DURATIONS.map((m) => ({ value: m, label: minutesLabel(t, m) }))}
          />
          <Button
            type="primary"
            icon={<QrcodeOutlined />}
            loading={create.isPending}
            data-testid="create-share"
            onClick={() => create.mutate(minutes, { onSuccess: setCreated })}
          >
            {t('share.create')}
          </Button>
        </Space>
      )}
      {create.isError ? <Alert type="error" showIcon title={create.error.message} style={{ marginBottom: 16 }} /> : null}
      {created ? <NewShare share={created} certNo={cert.certNo} onWithdrawn={() => setCreated(null)} /> : null}
      {shares.isError ? (
        <ErrorResult error={shares.error} onRetry={() => void shares.refetch()} />
      ) : (shares.data?.shares.length ?? 0) > 0 ? (
        <>
          <Typography.Title level={5}>{t('share.history')}</Typography.Title>
          <Table<Share> rowKey="id" size="small" loading={shares.isPending} columns={columns} dataSource={shares.data?.shares ?? []} pagination={{ pageSize: 10, hideOnSinglePage: true }} data-testid="share-history" />
        </>
      ) : null}
    </Card>
  );
}
