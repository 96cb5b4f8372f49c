import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, type ErrorCode, type FieldIssue } from '../../shared/errors.js';
import { fromSqlState } from '../db/db-errors.js';

interface FastifyishError {
  statusCode?: number;
  code?: string;
  message?: string;
  validation?: unknown;
  validationContext?: string;
}

/**
 * Every thrown thing becomes an AppError: AppError as is; request-schema failures → 400 with
 * every field; SQLSTATE → db-errors.ts; Fastify's own 4xx (bad JSON, too large, rate limit) →
 * their codes; anything else → INTERNAL (logged, never echoed).
 */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = (err as FastifyishError).validationContext ?? 'body';
    const issues: FieldIssue[] = err.validation.map((v) => ({
      path: [where === 'body' ? '' : where, ...(v.instancePath || '').split('/').filter(Boolean)].filter(Boolean).join('.'),
      message: zodMessage(v),
    }));
    return AppError.validation(issues);
  }
  if (isResponseSerializationError(err)) return new AppError('INTERNAL', 'response serialization failed');
  const db = fromSqlState(err);
  if (db) return db;
  const f = err as FastifyishError;
  const status = f.statusCode ?? 500;
  if (status === 413 || f.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || f.code === 'FST_REQ_FILE_TOO_LARGE') {
    return new AppError('PAYLOAD_TOO_LARGE', '上传内容过大');
  }
  if (status === 429) return new AppError('RATE_LIMITED', '请求过于频繁，请稍后再试');
  if (f.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return new AppError('VALIDATION_FAILED', '不支持的内容类型（Content-Type），请发送 application/json');
  if (f.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return new AppError('VALIDATION_FAILED', '请求体为空，请发送 JSON');
  if (status === 400) return new AppError('VALIDATION_FAILED', `请求格式有误：${f.message === undefined ? '' : jsonMessage(f.message)}`);
  if (status === 404) return new AppError('NOT_FOUND', '请求的资源不存在');
  if (status >= 400 && status < 500) return new AppError(codeFor(status), f.message ?? '请求有误');
  return new AppError('INTERNAL', f.message ?? 'internal error');
}

function zodMessage(v: { message?: string; params?: unknown; keyword?: string }): string {
  const msg = v.message ?? '取值无效';
  if (/Unrecognized key/i.test(msg)) {
    const keys = (v.params as { issue?: { keys?: string[] } } | undefined)?.issue?.keys;
    return `不允许的字段${keys ? `：${keys.join('、')}` : ''}`;
  }
  if (/expected (\w+), received (\w+)/i.test(msg)) return `类型错误（${msg}）`;
  if (/^Invalid input/i.test(msg)) return `取值无效（${msg}）`;
  return msg;
}

function jsonMessage(message: string): string {
  return /JSON/i.test(message) ? 'JSON 无法解析，请检查括号、引号和逗号' : message;
}

function codeFor(status: number): ErrorCode {
  switch (status) {
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'FORBIDDEN';
    case 409:
      return 'CONFLICT';
    case 412:
      return 'PRECONDITION_FAILED';
    default:
      return 'VALIDATION_FAILED';
  }
}
