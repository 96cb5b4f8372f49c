import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Space, Tabs, Typography, Upload } from 'antd';
import { FileSearchOutlined, SafetyCertificateOutlined, UploadOutlined } from '@ant-design/icons';
import { useSearchParams } from 'react-router';
import { CertNo } from '../../../../shared/contracts/certificates.js';
import { isApiError } from '../../api/client';
import { zodRule } from '../../components/form-rules';
import { useT } from '../../components/locale';
import { useVerifyCertNo, useVerifyDocument } from './api';
import { VerificationView } from './VerificationView';

const upper = (v: unknown) => (typeof v === 'string' ? v.toUpperCase() : v);

function errorText(e: unknown, fallback: string): string {
  return isApiError(e) ? e.message : fallback;
}

function ByNumber() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const initial = params.get('certNo')?.trim().toUpperCase() || null;
  const [certNo, setCertNo] = useState<string | null>(initial);
  const verify = useVerifyCertNo(certNo);
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Form<{ certNo: string }>
        layout="inline"
        initialValues={{ certNo: initial ?? '' }}
        style={{ rowGap: 8 }}
        onFinish={(v) => {
          const no = v.certNo.trim().toUpperCase();
          setCertNo(no);
          setParams({ certNo: no }, { replace: true });
          if (no === certNo) void verify.refetch();
        }}
      >
        <Form.Item name="certNo" label={t('cert.certNo')} normalize={upper} rules={[{ required: true, whitespace: true, message: t('verify.certNoRequired') }, zodRule(CertNo)]}>
          <Input style={{ width: 300 }} placeholder="SPJY-130102-2026-0000001H" allowClear />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" icon={<SafetyCertificateOutlined />} loading={verify.isFetching} data-testid="verify-number">
            {t('verify.submit')}
          </Button>
        </Form.Item>
      </Form>
      {verify.isError ? <Alert type="error" showIcon title={errorText(verify.error, t('error.title'))} data-testid="verify-error" /> : null}
      {verify.data && !verify.isFetching ? <VerificationView result={verify.data} /> : null}
    </Space>
  );
}

function ByDocument() {
  const t = useT();
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const verify = useVerifyDocument();

  const submit = () => {
    setProblem(null);
    verify.reset();
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      setProblem(t('verify.notJson'));
      return;
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
      setProblem(t('verify.notDocument'));
      return;
    }
    verify.mutate(doc);
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Text type="secondary">{t('verify.documentIntro')}</Typography.Text>
      <Upload
        accept=".json,application/json"
        maxCount={1}
        showUploadList={false}
        beforeUpload={(file) => {
          void file.text().then((s) => {
            setText(s);
            setProblem(null);
            verify.reset();
          });
          return Upload.LIST_IGNORE;
        }}
      >
        <Button icon={<UploadOutlined />} data-testid="verify-file">
          {t('verify.chooseFile')}
        </Button>
      </Upload>
      <Input.TextArea
        value={text}
        onChange={(e) => setText(e.target.value)}
        autoSize={{ minRows: 6, maxRows: 16 }}
        placeholder={t('verify.pastePlaceholder')}
        aria-label={t('verify.document')}
        style={{ fontFamily: 'monospace', fontSize: 12 }}
        data-testid="verify-document"
      />
      <Button type="primary" icon={<FileSearchOutlined />} disabled={!text.trim()} loading={verify.isPending} onClick={submit} data-testid="verify-document-submit">
        {t('verify.submit')}
      </Button>
      {problem ? <Alert type="error" showIcon title={problem} data-testid="verify-error" /> : null}
      {verify.isError ? <Alert type="error" showIcon title={errorText(verify.error, t('error.title'))} data-testid="verify-error" /> : null}
      {verify.data ? <VerificationView result={verify.data} /> : null}
    </Space>
  );
}

/** 证照核验 (public, no sign-in): by certificate number against the registry, or a presented signed file. */
export function VerifyPage() {
  const t = useT();
  const [params] = useSearchParams();
  const [tab, setTab] = useState(params.get('tab') === 'document' ? 'document' : 'number');
  return (
    <Card title={t('verify.title')}>
      <Typography.Paragraph type="secondary">{t('verify.intro')}</Typography.Paragraph>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'number', label: t('verify.byNumber'), children: <ByNumber /> },
          { key: 'document', label: t('verify.byDocument'), children: <ByDocument /> },
        ]}
      />
    </Card>
  );
}
