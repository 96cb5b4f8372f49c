/**
 * The one error vocabulary of Tongban, shared by server and web client.
 * Codes are stable for machines; messages are zh-CN and say what to fix.
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_STATE_TRANSITION: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

/** One problem with one input field: `path` is dotted (`legalRepresentative.idNumber`). */
export interface FieldIssue {
  path: string;
  message: string;
}

/** The wire shape of every error response. */
export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    details?: unknown;
    requestId: string;
  };
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = ERROR_STATUS[code];
  }

  /** A 400 naming the fields to fix. */
  static validation(issues: FieldIssue[], message?: string): AppError {
    const text = message ?? `请求参数有误：${issues.map((i) => `${i.path || '(请求体)'} ${i.message}`).join('；')}`;
    return new AppError('VALIDATION_FAILED', text, { issues });
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
