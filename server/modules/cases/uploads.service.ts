import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../../shared/errors.js';
import { hasRole } from '../../core/actor.js';
import { requireAccess } from '../../core/access.js';
import * as audit from '../../core/audit.js';
import { inTransaction, type Ctx } from '../../core/ctx.js';
import { ACCEPTED_TYPES, sniff } from './uploads.sniff.js';
import { storageFor } from './uploads.storage.js';

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
const HEAD_BYTES = 4096;

export interface Upload {
  id: string;
  filename: string;
  mediaType: string;
  size: number;
  sha256: string;
  createdAt: string;
}

/** The uploader: an applicant for themselves, or a window clerk for a walk-in applicant. */
function uploaderId(ctx: Ctx): string {
  const a = ctx.actor;
  requireAccess(a, a.kind === 'person' || a.kind === 'business' || hasRole(a, 'window_clerk'), '上传申请材料');
  return (a as { accountId: string }).accountId;
}

/**
 * Streams one material file to storage while hashing it; the type is decided by its first bytes.
 * A file over 20 MiB is cut off by the multipart limit and answered 413.
 */
export async function saveUpload(ctx: Ctx, file: { filename: string; stream: Readable & { truncated?: boolean } }): Promise<Upload> {
  const owner = uploaderId(ctx);
  const storage = storageFor(ctx.runtime.config);
  await storage.prepare();
  const id = randomUUID();
  const tmp = storage.tempPath(id);
  const hash = createHash('sha256');
  let size = 0;
  const heads: Buffer[] = [];
  let headLen = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      size += chunk.length;
      if (headLen < HEAD_BYTES) {
        heads.push(chunk);
        headLen += chunk.length;
      }
      done(null, chunk);
    },
  });
  try {
    await pipeline(file.stream, meter, createWriteStream(tmp));
    if (file.stream.truncated || size > MAX_UPLOAD_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', `文件超过 ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB，请压缩或分册后上传`);
    if (size === 0) throw AppError.validation([{ path: 'file', message: '文件为空' }]);
    const mediaType = sniff(Buffer.concat(heads));
    if (!mediaType) throw AppError.validation([{ path: 'file', message: `无法识别的文件类型：只接受 ${ACCEPTED_TYPES}（按文件内容判断，而非扩展名）` }]);
    const key = storage.keyFor(id);
    const sha256 = hash.digest('hex');
    const filename = sanitiseName(file.filename);
    const now = ctx.now();
    // file first, row second: a crash in between leaves an orphan file, never a row without its file
    await storage.commit(tmp, key, { mediaType, sha256 });
    await inTransaction(ctx, async (tx) => {
      await tx.db
        .insertInto('uploads')
        .values({ id, owner_account_id: owner, filename, media_type: mediaType, size_bytes: size, sha256, storage_key: key, created_at: now })
        .execute();
      await audit.record(tx, { action: 'upload.stored', subject: { upload: id }, details: { mediaType, size, sha256 } });
    }).catch(async (e: unknown) => {
      // the row's failure is the answer; a file left behind unnamed by any row harms nothing
      await storage.remove(key).catch(() => undefined);
      throw e;
    });
    return { id, filename, mediaType, size, sha256, createdAt: now.toISOString() };
  } catch (e) {
    await storage.discard(tmp);
    throw e;
  }
}

function sanitiseName(name: string): string {
  const clean = path.basename(name).replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 200);
  return clean || 'material';
}

/** The uploads among `ids` that `ownerId` owns; throws naming the first that is not theirs. */
export async function requireOwnUploads(ctx: Ctx, ownerIds: string[], ids: string[]): Promise<Map<string, { id: string; media_type: string; sha256: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await ctx.db.selectFrom('uploads').select(['id', 'owner_account_id', 'media_type', 'sha256']).where('id', 'in', ids).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const id of ids) {
    const r = byId.get(id);
    if (!r || !ownerIds.includes(r.owner_account_id)) {
      throw new AppError('FORBIDDEN', `上传文件 ${id} 不存在或不属于您，只能使用本人上传的材料`, { uploadId: id });
    }
  }
  return byId;
}

/**
 * Opens a material file: its uploader, or staff who may see a case that names it (the reviewer
 * reading the applicant's documents leaves an access record through the case view).
 */
export async function openUpload(ctx: Ctx, id: string, canSeeCase: (caseNo: string) => Promise<boolean>) {
  const row = await ctx.db.selectFrom('uploads').select(['id', 'owner_account_id', 'filename', 'media_type', 'size_bytes', 'sha256', 'storage_key']).where('id', '=', id).executeTakeFirst();
  const a = ctx.actor;
  if (!row) throw new AppError('NOT_FOUND', `文件 ${id} 不存在`);
  let allowed = 'accountId' in a && a.accountId === row.owner_account_id;
  if (!allowed && a.kind === 'staff') {
    const cases = await ctx.db
      .selectFrom('case_materials')
      .innerJoin('cases', 'cases.id', 'case_materials.case_id')
      .select('cases.case_no')
      .where('case_materials.upload_id', '=', id)
      .execute();
    for (const c of cases) if (await canSeeCase(c.case_no)) allowed = true;
  }
  if (!allowed) {
    if (a.kind === 'anonymous') throw new AppError('UNAUTHENTICATED', '请先登录');
    throw new AppError('NOT_FOUND', `文件 ${id} 不存在`);
  }
  return { filename: row.filename, mediaType: row.media_type, size: row.size_bytes, sha256: row.sha256, stream: await storageFor(ctx.runtime.config).read(row.storage_key) };
}
