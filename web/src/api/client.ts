/**
 * The one way the web app talks to the server: JSON in, JSON out, the session cookie sent
 * with every call, and the server's error shape turned into an ApiError the UI can show.
 */
import type { ErrorCode, FieldIssue } from '../../../shared/errors.js';

export const API_BASE = '/api/v1';

export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    readonly code: ErrorCode | 'NETWORK',
    message: string,
    /** Problems with single input fields, `path` dotted (`legalRepresentative.idNumber`). */
    readonly issues: FieldIssue[] = [],
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  signal?: AbortSignal;
  /** Extra request headers (`Idempotency-Key` …). */
  headers?: Record<string, string>;
}

export async function request<T>(method: Method, path: string, opts: RequestOptions = {}): Promise<T> {
  const url = new URL(API_BASE + path, window.location.origin);
  for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const data: unknown = text ? safeJson(text) : undefined;
  if (!res.ok) throw toApiError(res.status, data, res.headers.get('x-request-id') ?? undefined);
  return data as T;
}

export const api = {
  get: <T>(path: string, opts?: Omit<RequestOptions, 'body'>) => request<T>('GET', path, opts),
  post: <T>(path: string, body?: unknown, opts?: Omit<RequestOptions, 'body'>) => request<T>('POST', path, { ...opts, body }),
  delete: <T>(path: string, opts?: Omit<RequestOptions, 'body'>) => request<T>('DELETE', path, opts),
};

/**
 * Uploads one file as multipart (`file` field) with progress, which fetch cannot report:
 * XMLHttpRequest, same-origin credentials, the server's error shape turned into an ApiError.
 */
export function upload<T>(path: string, file: Blob, opts: { filename?: string; onProgress?: (percent: number) => void; signal?: AbortSignal } = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', API_BASE + path);
    xhr.withCredentials = false; // same origin: the session cookie goes anyway
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && opts.onProgress) opts.onProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onload = () => {
      const data = xhr.responseText ? safeJson(xhr.responseText) : undefined;
      if (xhr.status >= 200 && xhr.status < 300) resolve(data as T);
      else reject(toApiError(xhr.status, data, xhr.getResponseHeader('x-request-id') ?? undefined));
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试'));
    xhr.onabort = () => reject(new DOMException('上传已取消', 'AbortError'));
    opts.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    const body = new FormData();
    body.append('file', file, opts.filename ?? (file instanceof File ? file.name : 'file'));
    xhr.send(body);
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `{"error":{code,message,details:{issues:[{path,message}]},requestId}}` → ApiError. */
export function toApiError(status: number, data: unknown, headerRequestId?: string): ApiError {
  const err = isRecord(data) && isRecord(data.error) ? data.error : undefined;
  const code = typeof err?.code === 'string' ? (err.code as ErrorCode) : fallbackCode(status);
  const message = typeof err?.message === 'string' && err.message ? err.message : `请求失败（HTTP ${status}）`;
  const requestId = typeof err?.requestId === 'string' ? err.requestId : headerRequestId;
  return new ApiError(status, code, message, issuesOf(err?.details, message), requestId);
}

/** `details.issues` of a 400, or `details.field` of a 409 (用户名已被使用) naming the one field. */
function issuesOf(details: unknown, message: string): FieldIssue[] {
  if (!isRecord(details)) return [];
  if (typeof details.field === 'string' && details.field) return [{ path: details.field, message }];
  if (!Array.isArray(details.issues)) return [];
  return details.issues.flatMap((i: unknown) =>
    isRecord(i) && typeof i.path === 'string' && typeof i.message === 'string' ? [{ path: i.path, message: i.message }] : [],
  );
}

function fallbackCode(status: number): ErrorCode {
  if (status === 400) return 'VALIDATION_FAILED';
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 503) return 'SERVICE_UNAVAILABLE';
  return 'INTERNAL';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}
