import { useState } from 'react';
import { Button, Card, Descriptions, Form, Input, Space, Steps, Typography } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { useSearchParams } from 'react-router';
import { ErrorResult } from '../../components/ErrorResult';
import { useT } from '../../components/locale';
import { useProgress } from './api';
import { DecisionTag, StatusTag, StepStatusTag, formatTime } from './tags';

interface Values {
  caseNo: string;
  queryCode: string;
}

/** 办件进度查询: by case number and query code, without signing in and without personal data. */
export function ProgressPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const initial = params.get('caseNo') && params.get('queryCode') ? { caseNo: params.get('caseNo')!, queryCode: params.get('queryCode')! } : null;
  const [query, setQuery] = useState<Values | null>(initial);
  const progress = useProgress(query);

  const onFinish = (v: Values) => {
    const q = { caseNo: v.caseNo.trim(), queryCode: v.queryCode.trim().toUpperCase() };
    setQuery(q);
    setParams(q, { replace: true });
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card title={t('progress.title')}>
        <Typography.Paragraph type="secondary">{t('progress.intro')}</Typography.Paragraph>
        <Form<Values> layout="inline" onFinish={onFinish} initialValues={initial ?? undefined} style={{ rowGap: 8 }}>
          <Form.Item name="caseNo" label={t('case.caseNo')} rules={[{ required: true, pattern: /^\s*\d{14,30}\s*$/, message: t('progress.caseNoInvalid') }]}>
            <Input style={{ width: 260 }} inputMode="numeric" />
          </Form.Item>
          <Form.Item name="queryCode" label={t('case.queryCode')} rules={[{ required: true, whitespace: true, message: t('progress.codeRequired') }]}>
            <Input style={{ width: 160 }} maxLength={16} />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />} loading={progress.isFetching}>
              {t('progress.submit')}
            </Button>
          </Form.Item>
        </Form>
      </Card>
      {progress.isError ? <ErrorResult error={progress.error} /> : null}
      {progress.data ? (
        <Card title={progress.data.itemName} data-testid="progress-result">
          <Descriptions
            size="small"
            column={{ xs: 1, md: 2 }}
            items={[
              { key: 'no', label: t('case.caseNo'), children: progress.data.caseNo },
              {
                key: 'status',
                label: t('case.status'),
                children: (
                  <>
                    <StatusTag status={progress.data.status} name={progress.data.statusName} decision={progress.data.decision} />
                    <DecisionTag decision={progress.data.decision} />
                  </>
                ),
              },
              { key: 'submitted', label: t('case.submittedAt'), children: formatTime(progress.data.submittedAt) },
              { key: 'deadline', label: t('case.deadline'), children: progress.data.deadline ?? '—' },
              { key: 'concluded', label: t('case.concludedAt'), children: formatTime(progress.data.concludedAt) },
            ]}
          />
          {progress.data.steps.length ? (
            <Steps
              style={{ marginTop: 16 }}
              orientation="vertical"
              size="small"
              current={-1}
              items={progress.data.steps.map((s) => ({
                title: s.name,
                content: (
                  <Space>
                    <Typography.Text type="secondary">{s.department}</Typography.Text>
                    <StepStatusTag status={s.status} />
                  </Space>
                ),
                status: s.status === 'approved' ? 'finish' : s.status === 'denied' ? 'error' : s.status === 'active' || s.status === 'claimed' ? 'process' : 'wait',
              }))}
            />
          ) : null}
        </Card>
      ) : null}
    </Space>
  );
}
