import { useState } from 'react';
import { Alert, Button, Form, Radio, Space, Typography, Upload } from 'antd';
import type { UploadFile } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { ApiError, isApiError } from '../../api/client';
import { useT } from '../../components/locale';
import { MaterialFormTag } from '../catalogue/labels';
import { SatisfiedByNote } from '../catalogue/GuidePage';
import type { Material } from '../../../../shared/contracts/catalogue.js';
import { uploadMaterial, type ReuseOption, type Upload as Uploaded } from './api';

/** What the server takes (by content, not by name) and how much. */
export const ACCEPT = '.pdf,.jpg,.jpeg,.png,.ofd,application/pdf,image/jpeg,image/png';
export const MAX_BYTES = 20 * 1024 * 1024;

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * One material's file: uploaded at once to POST /uploads with its progress; the field's value is
 * the upload id the case names the material by.
 */
export function MaterialUpload({ value, onChange, id }: { value?: string; onChange?: (uploadId: string | undefined) => void; id?: string }) {
  const t = useT();
  const [files, setFiles] = useState<UploadFile<Uploaded>[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const done = files.find((f) => f.status === 'done' && f.response?.id === value);

  return (
    <div id={id}>
      <Upload<Uploaded>
        accept={ACCEPT}
        maxCount={1}
        fileList={files}
        beforeUpload={(file) => {
          if (file.size > MAX_BYTES) {
            setProblem(t('upload.tooLarge', { size: formatSize(file.size) }));
            return Upload.LIST_IGNORE;
          }
          setProblem(null);
          return true;
        }}
        onChange={({ fileList }) => setFiles(fileList.slice(-1))}
        onRemove={() => {
          onChange?.(undefined);
          setProblem(null);
        }}
        customRequest={({ file, onProgress, onSuccess, onError }) => {
          const controller = new AbortController();
          uploadMaterial(file as Blob, { onProgress: (percent) => onProgress?.({ percent }), signal: controller.signal })
            .then((u) => {
              onSuccess?.(u);
              onChange?.(u.id);
            })
            .catch((e: unknown) => {
              const message = isApiError(e) ? e.message : t('upload.failed');
              setProblem(message);
              onChange?.(undefined);
              // antd shows a string body as the file's error text
              const fail = onError as ((err: Error, body?: unknown) => void) | undefined;
              fail?.(Object.assign(new Error(message), { status: isApiError(e) ? e.status : 0 }), message);
            });
          return { abort: () => controller.abort() };
        }}
      >
        {files.length === 0 || files[0]?.status === 'error' ? (
          <Button icon={<UploadOutlined />}>{t('upload.choose')}</Button>
        ) : null}
      </Upload>
      {done?.response ? (
        <Typography.Text type="success" style={{ fontSize: 12 }} data-testid="upload-done">
          {t('upload.done', { size: formatSize(done.response.size), type: done.response.mediaType })}
        </Typography.Text>
      ) : null}
      {problem ? (
        <Typography.Text type="danger" style={{ fontSize: 12, display: 'block' }} data-testid="upload-error">
          {problem}
        </Typography.Text>
      ) : null}
    </div>
  );
}

type GuideMaterial = Material;

/** 免提交 for one material: what government holds (source, provider, as-of date) and the choice to rely on it. */
function ReuseChoice({ materialId, source, name }: { materialId: string; source: NonNullable<ReuseOption['source']>; name: (string | number)[] }) {
  const t = useT();
  return (
    <Alert
      type="success"
      showIcon
      style={{ marginBottom: 8 }}
      data-testid={`reuse-${materialId}`}
      title={t('reuse.held')}
      description={
        <Space orientation="vertical" size={4}>
          <Typography.Text data-testid={`reuse-source-${materialId}`}>
            {[source.name, source.provider, source.asOf.slice(0, 10)].join(' · ')}
          </Typography.Text>
          <Form.Item name={name} initialValue={true} noStyle>
            <Radio.Group
              options={[
                { value: true, label: t('reuse.use') },
                { value: false, label: t('reuse.upload') },
              ]}
            />
          </Form.Item>
        </Space>
      }
    />
  );
}

/**
 * The materials of an application, one upload each, under `name` (→ {materialId: uploadId}).
 * A required material is required unless an e-certificate or shared data can stand in for it.
 * With `reuse` (the applicant's 免提交 preview), a material government holds offers to rely on it
 * instead (the choice under `reuse.name` → {materialId: boolean}, true by default): its upload is
 * then hidden.
 */
export function MaterialFields({
  materials,
  name,
  requireAll = true,
  reuse,
}: {
  materials: GuideMaterial[];
  name: string | (string | number)[];
  requireAll?: boolean;
  reuse?: { options: ReuseOption[]; name: string };
}) {
  const t = useT();
  const prefix = Array.isArray(name) ? name : [name];
  const form = Form.useFormInstance();
  const choices = Form.useWatch(reuse ? [reuse.name] : ['__noReuse'], form) as Record<string, boolean | undefined> | undefined;
  const options = new Map((reuse?.options ?? []).map((o) => [o.materialId, o]));
  return (
    <>
      {materials.map((m, i) => {
        const option = options.get(m.id);
        const source = reuse ? (option?.source ?? null) : null;
        const reusing = source !== null && choices?.[m.id] !== false;
        const required = requireAll && m.required && !m.satisfiedBy && !reusing;
        const unavailable = option?.unavailable && m.satisfiedBy ? t('reuse.unavailable', { reason: option.unavailable }) : null;
        const label = (
          <Space size={4} wrap>
            <span>
              {i + 1}. {m.name}
            </span>
            <MaterialFormTag form={m.form} />
            {m.count > 1 ? <Typography.Text type="secondary">×{m.count}</Typography.Text> : null}
            <SatisfiedByNote material={m} />
          </Space>
        );
        const upload = (
          <Form.Item
            key={m.id}
            name={[...prefix, m.id]}
            label={source ? undefined : label}
            noStyle={source !== null}
            required={required}
            rules={required ? [{ required: true, message: t('upload.required', { name: m.name }) }] : []}
            extra={source ? undefined : (unavailable ?? (m.satisfiedBy ? t('upload.reuseHint') : m.note))}
            data-testid={source ? undefined : `material-${m.id}`}
          >
            <MaterialUpload />
          </Form.Item>
        );
        if (!source || !reuse) return upload;
        return (
          <Form.Item key={m.id} label={label} extra={reusing ? undefined : m.note} data-testid={`material-${m.id}`}>
            <ReuseChoice materialId={m.id} source={source} name={[reuse.name, m.id]} />
            {reusing ? null : upload}
          </Form.Item>
        );
      })}
    </>
  );
}

/** The materials chosen to be relied on rather than uploaded (免提交), by id. */
export function reusedMaterials(options: ReuseOption[] | undefined, choices: Record<string, boolean | undefined> | undefined): Set<string> {
  return new Set((options ?? []).filter((o) => o.source !== null && choices?.[o.materialId] !== false).map((o) => o.materialId));
}

/** {m1: uploadId, m2: undefined} → [{materialId, uploadId}] of the uploaded ones. */
export function materialRefs(values: Record<string, string | undefined> | undefined): { materialId: string; uploadId: string }[] {
  return Object.entries(values ?? {}).flatMap(([materialId, uploadId]) => (uploadId ? [{ materialId, uploadId }] : []));
}

/**
 * The server names a material by its place in the request (`materials.2.uploadId`); the form
 * names it by its id (`materials.m3`). Also used for the life-event materials.
 */
export function remapMaterialIssues(error: unknown, refsByPrefix: Record<string, { materialId: string }[]>): unknown {
  if (!isApiError(error) || error.issues.length === 0) return error;
  const issues = error.issues.map((i) => {
    for (const [prefix, refs] of Object.entries(refsByPrefix)) {
      const m = new RegExp(`^${prefix.replaceAll('.', '\\.')}\\.(\\d+)(\\.|$)`).exec(i.path);
      const ref = m ? refs[Number(m[1])] : undefined;
      if (ref) return { path: `${prefix}.${ref.materialId}`, message: i.message };
    }
    return i;
  });
  return new ApiError(error.status, error.code, error.message, issues, error.requestId);
}
