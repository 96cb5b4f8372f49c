import { useState } from 'react';
import { Button, Form, Space, Typography, Upload } from 'antd';
import type { UploadFile } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { ApiError, isApiError } from '../../api/client';
import { useT } from '../../components/locale';
import { MaterialFormTag } from '../catalogue/labels';
import { SatisfiedByNote } from '../catalogue/GuidePage';
import type { Material } from '../../../../shared/contracts/catalogue.js';
import { uploadMaterial, type Upload as Uploaded } from './api';

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

/**
 * The materials of an application, one upload each, under `name` (→ {materialId: uploadId}).
 * A required material is required unless an e-certificate or shared data can stand in for it.
 */
export function MaterialFields({ materials, name, requireAll = true }: { materials: GuideMaterial[]; name: string | (string | number)[]; requireAll?: boolean }) {
  const t = useT();
  const prefix = Array.isArray(name) ? name : [name];
  return (
    <>
      {materials.map((m, i) => {
        const required = requireAll && m.required && !m.satisfiedBy;
        return (
          <Form.Item
            key={m.id}
            name={[...prefix, m.id]}
            label={
              <Space size={4} wrap>
                <span>
                  {i + 1}. {m.name}
                </span>
                <MaterialFormTag form={m.form} />
                {m.count > 1 ? <Typography.Text type="secondary">×{m.count}</Typography.Text> : null}
                <SatisfiedByNote material={m} />
              </Space>
            }
            required={required}
            rules={required ? [{ required: true, message: t('upload.required', { name: m.name }) }] : []}
            extra={m.satisfiedBy ? t('upload.reuseHint') : m.note}
            data-testid={`material-${m.id}`}
          >
            <MaterialUpload />
          </Form.Item>
        );
      })}
    </>
  );
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
