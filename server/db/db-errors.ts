/** SQLSTATE → AppError, in one place (PostgreSQL Appendix A). */
import { AppError } from '../../shared/errors.js';

interface PgError {
  code?: string;
  constraint?: string;
  detail?: string;
  column?: string;
}

export function isPgError(e: unknown): e is PgError & Error {
  return e instanceof Error && typeof (e as PgError).code === 'string' && /^[0-9A-Z]{5}$/.test((e as PgError).code!);
}

/** Maps a database error to the AppError a client can act on, or null when it is not one of ours to explain. */
export function fromSqlState(e: unknown): AppError | null {
  if (!isPgError(e)) return null;
  const constraint = e.constraint ?? '';
  switch (e.code) {
    case '23505': // unique_violation
      return new AppError('CONFLICT', `记录已存在（${constraint || '唯一约束'}），请勿重复提交`, { constraint });
    case '23503': // foreign_key_violation
      return new AppError('VALIDATION_FAILED', `引用的记录不存在（${constraint}）`, { constraint });
    case '23502': // not_null_violation
      return AppError.validation([{ path: e.column ?? '', message: '不能为空' }]);
    case '23514': // check_violation
      return new AppError('VALIDATION_FAILED', `数据不符合规则（${constraint}）`, { constraint });
    case '22001': // string_data_right_truncation
    case '22P02': // invalid_text_representation
    case '22007': // invalid_datetime_format
    case '22008': // datetime_field_overflow
    case '22003': // numeric_value_out_of_range
    case '22021': // character_not_in_repertoire (e.g. NUL)
    case '22P05': // untranslatable_character (\u0000 in jsonb; the HTTP edge refuses it first, http/storable-text.ts)
      return new AppError('VALIDATION_FAILED', '数据格式不正确，请检查输入', { sqlstate: e.code });
    case '40001': // serialization_failure
    case '40P01': // deadlock_detected
      return new AppError('CONFLICT', '数据正被他人同时修改，请稍后重试', { retryable: true });
    case '55P03': // lock_not_available
      return new AppError('CONFLICT', '记录正被处理，请稍后重试', { retryable: true });
    case '57014': // query_canceled (statement timeout)
    case '53300': // too_many_connections
      return new AppError('SERVICE_UNAVAILABLE', '系统繁忙，请稍后再试');
    default:
      return null;
  }
}
