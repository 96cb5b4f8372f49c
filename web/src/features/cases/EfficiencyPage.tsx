import { useId, useState } from 'react';
import { App, Button, Card, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { Link } from 'react-router';
import { applyFieldErrors } from '../../api/form-errors';
import { ErrorResult } from '../../components/ErrorResult';
import { SubmitError } from '../../components/SubmitError';
import { useT } from '../../components/locale';
import { hasMessage } from '../../i18n';
import type { User } from '../identity/api';
import { RequireAuth } from '../identity/RequireAuth';
import { RegionSelect } from '../regions/RegionSelect';
import { useAlerts, useDepartmentFigures, useEscalate, type Alert, type DepartmentFigures } from './api';
import { LightTag } from './tags';

const KINDS = ['case_overdue', 'case_due_soon', 'step_overdue', 'step_due_soon', 'bounced', 'stalled_at_intake'] as const;

function EscalateButton({ alert }: { alert: Alert }) {
  const t = useT();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ note: string }>();
  const escalate = useEscalate();
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const formName = `escalate${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  if (alert.escalated) return <Tag color="purple">{t('efficiency.escalated')}</Tag>;
  return (
    <>
      <Button
        size="small"
        danger
        data-testid={`escalate-${alert.caseNo}`}
        onClick={() => {
          escalate.reset();
          form.resetFields();
          setOpen(true);
        }}
      >
        {t('efficiency.escalate')}
      </Button>
      <Modal
        open={open}
        forceRender
        title={t('efficiency.escalateTitle', { caseNo: alert.caseNo })}
        okText={t('common.confirm')}
        cancelText={t('common.cancel')}
        confirmLoading={escalate.isPending}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
      >
        <Typography.Paragraph type="secondary">
          {alert.itemName} · {alert.department}
          {alert.step ? ` · ${alert.step}` : ''}
        </Typography.Paragraph>
        <SubmitError error={escalate.error} unplaced={unplaced} />
        <Form
          form={form}
          name={formName}
          layout="vertical"
          onFinish={(v) =>
            escalate.mutate(
              { caseNo: alert.caseNo, note: v.note.trim() },
              {
                onSuccess: () => {
                  setOpen(false);
                  void message.success(t('efficiency.escalatedOk'));
                },
                onError: (e) => setUnplaced(applyFieldErrors(form, e)),
              },
            )
          }
        >
          <Form.Item name="note" label={t('efficiency.note')} rules={[{ required: true, whitespace: true, message: t('efficiency.noteRequired') }]}>
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 6 }} maxLength={1000} showCount />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function Alerts({ region }: { region: string }) {
  const t = useT();
  const alerts = useAlerts(region);
  const [kind, setKind] = useState<string>('');
  const [light, setLight] = useState<string>('');
  if (alerts.isError) return <ErrorResult error={alerts.error} onRetry={() => void alerts.refetch()} />;
  const rows = (alerts.data?.alerts ?? []).filter((a) => (!kind || a.kind === kind) && (!light || a.light === light));
  const kindLabel = (k: string) => {
    const key = `alertKind.${k}`;
    return hasMessage(key) ? t(key) : k;
  };
  const columns: TableProps<Alert>['columns'] = [
    { title: t('efficiency.light'), dataIndex: 'light', width: 120, render: (l: Alert['light']) => <LightTag light={l} /> },
    { title: t('efficiency.kind'), dataIndex: 'kind', width: 150, render: (k: string) => kindLabel(k) },
    { title: t('case.caseNo'), dataIndex: 'caseNo', width: 230, render: (no: string) => <Link to={`/cases/${no}`}>{no}</Link> },
    { title: t('case.item'), dataIndex: 'itemName' },
    { title: t('case.department'), dataIndex: 'department' },
    { title: t('workbench.step'), dataIndex: 'step', render: (s: string | null) => s ?? '—' },
    { title: t('workbench.deadline'), dataIndex: 'deadline', width: 120, sorter: (a, b) => (a.deadline ?? '').localeCompare(b.deadline ?? ''), render: (d: string | null) => d ?? '—' },
    { title: t('efficiency.bounces'), dataIndex: 'bounces', width: 90, sorter: (a, b) => a.bounces - b.bounces, render: (n: number) => (n >= 2 ? <Tag color="red">{n}</Tag> : n) },
    { title: t('case.step.actions'), key: 'actions', width: 110, render: (_, a) => <EscalateButton alert={a} /> },
  ];
  return (
    <Card
      title={t('efficiency.alerts')}
      extra={
        <Space wrap>
          <Select
            style={{ width: 170 }}
            value={kind}
            onChange={setKind}
            aria-label={t('efficiency.kind')}
            options={[{ value: '', label: t('efficiency.allKinds') }, ...KINDS.map((k) => ({ value: k, label: kindLabel(k) }))]}
          />
          <Select
            style={{ width: 130 }}
            value={light}
            onChange={setLight}
            aria-label={t('efficiency.light')}
            options={[
              { value: '', label: t('efficiency.allLights') },
              { value: 'yellow', label: t('light.yellow') },
              { value: 'red', label: t('light.red') },
            ]}
          />
        </Space>
      }
    >
      <Table<Alert>
        rowKey={(a) => `${a.kind}:${a.caseNo}:${a.step ?? ''}`}
        size="middle"
        loading={alerts.isPending}
        columns={columns}
        dataSource={rows}
        data-testid="alerts"
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
      />
    </Card>
  );
}

function Departments({ region }: { region: string }) {
  const t = useT();
  const figures = useDepartmentFigures(region);
  if (figures.isError) return <ErrorResult error={figures.error} onRetry={() => void figures.refetch()} />;
  const num = (a: number | null, b: number | null) => (a ?? -1) - (b ?? -1);
  const columns: TableProps<DepartmentFigures>['columns'] = [
    { title: t('case.department'), dataIndex: 'department' },
    { title: t('efficiency.concluded'), dataIndex: 'concluded', sorter: (a, b) => a.concluded - b.concluded },
    {
      title: t('efficiency.onTimeRate'),
      dataIndex: 'onTimeRate',
      sorter: (a, b) => num(a.onTimeRate, b.onTimeRate),
      render: (r: number | null) => (r === null ? '—' : <Typography.Text type={r < 0.9 ? 'danger' : undefined}>{(r * 100).toFixed(1)}%</Typography.Text>),
    },
    { title: t('efficiency.averageDays'), dataIndex: 'averageWorkingDays', sorter: (a, b) => num(a.averageWorkingDays, b.averageWorkingDays), render: (d: number | null) => (d === null ? '—' : d.toFixed(1)) },
    { title: t('efficiency.bounces'), dataIndex: 'bounces', sorter: (a, b) => a.bounces - b.bounces },
    { title: t('efficiency.open'), dataIndex: 'open', sorter: (a, b) => a.open - b.open },
    { title: t('efficiency.overdue'), dataIndex: 'overdue', sorter: (a, b) => a.overdue - b.overdue, render: (n: number) => (n > 0 ? <Tag color="red">{n}</Tag> : 0) },
  ];
  return (
    <Card title={t('efficiency.departments')}>
      <Table<DepartmentFigures> rowKey="departmentId" size="middle" loading={figures.isPending} columns={columns} dataSource={figures.data?.departments ?? []} data-testid="department-figures" pagination={false} />
    </Card>
  );
}

function Efficiency({ user }: { user: User }) {
  const t = useT();
  const [region, setRegion] = useState(user.department?.regionCode ?? user.regionCode ?? '130000');
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {t('efficiency.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('efficiency.intro')}</Typography.Paragraph>
        <Space>
          <Typography.Text>{t('services.region')}</Typography.Text>
          <RegionSelect value={region} onChange={setRegion} />
        </Space>
      </Card>
      <Alerts region={region} />
      <Departments region={region} />
    </Space>
  );
}

/** 效能监察: yellow and red cards, bounced and stalled cases with escalation; each department's figures. */
export function EfficiencyPage() {
  return <RequireAuth>{(user) => <Efficiency user={user} />}</RequireAuth>;
}
