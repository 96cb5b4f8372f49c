import { useId, useState } from 'react';
import { App, Button, Card, Empty, Form, Input, Modal, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableProps } from 'antd';
import { Link } from 'react-router';
import { applyFieldErrors } from '../../api/form-errors';
import { ErrorResult } from '../../components/ErrorResult';
import { SubmitError } from '../../components/SubmitError';
import { useT } from '../../components/locale';
import { formatTime } from '../cases/tags';
import { RequireAuth } from '../identity/RequireAuth';
import { useMyAccessRecords, useRaiseObjection, type AccessRecord } from './api';
import { useDataFieldLabel } from './labels';

function ObjectButton({ record }: { record: AccessRecord }) {
  const t = useT();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const raise = useRaiseObjection();
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const formName = `objection${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  return (
    <>
      <Button
        size="small"
        data-testid="raise-objection"
        onClick={() => {
          raise.reset();
          setUnplaced([]);
          form.resetFields();
          setOpen(true);
        }}
      >
        {t('access.object')}
      </Button>
      <Modal
        open={open}
        forceRender
        title={t('access.objectTitle')}
        okText={t('common.confirm')}
        cancelText={t('common.cancel')}
        confirmLoading={raise.isPending}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
      >
        <Typography.Paragraph type="secondary">
          {formatTime(record.at)} · {record.reader.name} · {record.purpose}
        </Typography.Paragraph>
        <Typography.Paragraph type="secondary">{t('access.objectIntro')}</Typography.Paragraph>
        <SubmitError error={raise.error} unplaced={unplaced} />
        <Form
          form={form}
          name={formName}
          layout="vertical"
          onFinish={(v) =>
            raise.mutate(
              { id: record.id, reason: v.reason.trim() },
              {
                onSuccess: () => {
                  setOpen(false);
                  void message.success(t('access.objected'));
                },
                onError: (e) => setUnplaced(applyFieldErrors(form, e)),
              },
            )
          }
        >
          <Form.Item name="reason" label={t('access.objectReason')} rules={[{ required: true, whitespace: true, message: t('access.objectReasonRequired') }]}>
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 6 }} maxLength={1000} showCount />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function Records() {
  const t = useT();
  const query = useMyAccessRecords();
  const fieldLabel = useDataFieldLabel();
  if (query.isError) return <ErrorResult error={query.error} onRetry={() => void query.refetch()} />;
  const records = query.data?.records ?? [];

  const columns: TableProps<AccessRecord>['columns'] = [
    { title: t('access.at'), dataIndex: 'at', width: 140, render: (v: string) => formatTime(v), sorter: (a, b) => a.at.localeCompare(b.at), defaultSortOrder: 'descend' },
    {
      title: t('access.reader'),
      key: 'reader',
      width: 200,
      render: (_, r) => (
        <Space orientation="vertical" size={2}>
          <span data-testid="access-reader">{r.reader.name}</span>
          <Tooltip title={r.reader.id ? `${t(r.reader.kind === 'system' ? 'access.systemId' : 'access.officerId')}：${r.reader.id}` : undefined}>
            <Tag color={r.reader.kind === 'system' ? 'purple' : 'blue'}>{t(r.reader.kind === 'system' ? 'access.system' : 'access.officer')}</Tag>
          </Tooltip>
        </Space>
      ),
    },
    {
      title: t('access.what'),
      key: 'what',
      render: (_, r) => (
        <Space orientation="vertical" size={4}>
          <span>
            {r.resource?.name ?? t('access.caseData')}
            {r.provider && r.channel === 'exchange' ? <Typography.Text type="secondary">（{r.provider.name}）</Typography.Text> : null}
            {r.found ? null : <Tag style={{ marginInlineStart: 4 }}>{t('access.notFound')}</Tag>}
          </span>
          <Space size={[4, 4]} wrap>
            {r.fields.map((f) => (
              <Tag key={f} bordered={false}>
                {fieldLabel(f)}
              </Tag>
            ))}
          </Space>
        </Space>
      ),
    },
    { title: t('access.purpose'), dataIndex: 'purpose', width: 180, render: (p: string) => <span data-testid="access-purpose">{p}</span> },
    { title: t('access.channel'), dataIndex: 'channel', width: 90, render: (c: AccessRecord['channel']) => t(c === 'exchange' ? 'access.channel.exchange' : 'access.channel.case_view') },
    { title: t('case.caseNo'), dataIndex: 'caseNo', width: 200, render: (no: string | null) => (no ? <Link to={`/cases/${no}`}>{no}</Link> : '—') },
    {
      title: t('access.objection'),
      key: 'objection',
      width: 160,
      render: (_, r) =>
        r.objection ? (
          <Space orientation="vertical" size={2}>
            <Tag color={r.objection.status === 'open' ? 'orange' : 'green'} data-testid="objection-status">
              {t(r.objection.status === 'open' ? 'objection.open' : 'objection.answered')}
            </Tag>
            {r.objection.answer ? <Typography.Text type="secondary">{r.objection.answer}</Typography.Text> : null}
          </Space>
        ) : (
          <ObjectButton record={r} />
        ),
    },
  ];

  return (
    <Card title={t('access.title')}>
      <Typography.Paragraph type="secondary">{t('access.intro')}</Typography.Paragraph>
      {!query.isPending && records.length === 0 ? (
        <Empty description={<span data-testid="access-empty">{t('access.empty')}</span>} />
      ) : (
        <Table<AccessRecord>
          rowKey="id"
          size="middle"
          loading={query.isPending}
          columns={columns}
          dataSource={records}
          data-testid="access-records"
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
        />
      )}
    </Card>
  );
}

/** 谁查看了我的数据: every read of the applicant's data by a department or its system, with an objection for each. */
export function AccessRecordsPage() {
  return <RequireAuth>{() => <Records />}</RequireAuth>;
}
