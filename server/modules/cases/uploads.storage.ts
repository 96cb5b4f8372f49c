/**
 * Where material files live: under the data directory (`<dataDir>/uploads/ab/<id>`), or, with
 * TONGBAN_S3_URL, as objects of an S3-compatible store (MinIO, Ceph RGW, a cloud's OSS/OBS/COS)
 * under the same keys (`[prefix]ab/<id>`), so a directory copied into a bucket is found there.
 *
 * Either way an upload is first written to a local temporary file while it is hashed and its type
 * decided (uploads.service.ts), and only a complete, accepted file is committed under its key:
 * a crash never leaves a half file under a real name. The database row comes after the commit.
 */
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { Client } from 'minio';
import { AppError } from '../../../shared/errors.js';
import type { Config, S3Config } from '../../core/config.js';

/** What is kept beside a committed file: the store checks nothing, a reader can. */
export interface StoredFacts {
  mediaType: string;
  sha256: string;
}

export interface MaterialStorage {
  /** Where an upload is written while it is checked (always local). */
  tempPath(id: string): string;
  prepare(): Promise<void>;
  keyFor(id: string): string;
  commit(tempFile: string, key: string, facts: StoredFacts): Promise<void>;
  discard(tempFile: string): Promise<void>;
  remove(key: string): Promise<void>;
  read(key: string): Promise<Readable>;
}

/**
 * What both stores share: an upload is staged on the local disk (`<uploads>/tmp/<id>.part`) while
 * it is checked, and kept under `[prefix]ab/<id>` — two hex digits of the id first, so no
 * directory (or listing) holds millions of files.
 */
abstract class StagedStorage implements MaterialStorage {
  constructor(
    private readonly tmpRoot: string,
    private readonly prefix = '',
  ) {}

  tempPath(id: string): string {
    return path.join(this.tmpRoot, `${id}.part`);
  }

  async prepare(): Promise<void> {
    await mkdir(this.tmpRoot, { recursive: true });
  }

  keyFor(id: string): string {
    return `${this.prefix}${id.slice(0, 2)}/${id}`;
  }

  async discard(tempFile: string): Promise<void> {
    await rm(tempFile, { force: true });
  }

  abstract commit(tempFile: string, key: string, facts: StoredFacts): Promise<void>;
  abstract remove(key: string): Promise<void>;
  abstract read(key: string): Promise<Readable>;
}

export class FileStorage extends StagedStorage {
  constructor(private readonly root: string) {
    super(path.join(root, 'tmp'));
  }

  async commit(tempFile: string, key: string): Promise<void> {
    const dest = path.join(this.root, key);
    await mkdir(path.dirname(dest), { recursive: true });
    await rename(tempFile, dest);
  }

  async remove(key: string): Promise<void> {
    await rm(path.join(this.root, key), { force: true });
  }

  read(key: string): Promise<Readable> {
    const stream = createReadStream(path.join(this.root, key));
    // opened before the answer's headers go: a missing file is an error, not a cut-off body
    return new Promise((resolve, reject) => {
      stream.once('open', () => resolve(stream));
      stream.once('error', (e) => reject(storeError(e, (e as NodeJS.ErrnoException).code === 'ENOENT' ? key : undefined)));
    });
  }
}

/**
 * The store's failure as the one error type: a file the database names but the store does not
 * hold (`missingKey`: lost, or deleted outside Tongban) is a 500; anything else, 503. The store's
 * own error (its code and message) is the cause, for the server log, not for the client.
 */
function storeError(e: unknown, missingKey?: string): AppError {
  const err = missingKey !== undefined ? new AppError('INTERNAL', `材料文件 ${missingKey} 在存储中缺失`) : new AppError('SERVICE_UNAVAILABLE', '材料存储暂不可用，请稍后再试');
  return Object.assign(err, { cause: e });
}

/**
 * Objects in an S3-compatible bucket, signed with AWS Signature V4 (the MinIO client). The
 * object carries the file's media type and, as x-amz-meta-sha256, the SHA-256 the row keeps.
 */
export class S3Storage extends StagedStorage {
  private readonly client: Client;
  private bucketReady: Promise<void> | undefined;

  constructor(
    private readonly s3: S3Config,
    tmpRoot: string,
  ) {
    super(tmpRoot, s3.prefix);
    this.client = new Client({
      endPoint: s3.endPoint,
      port: s3.port,
      useSSL: s3.useSSL,
      accessKey: s3.accessKey,
      secretKey: s3.secretKey,
      region: s3.region,
      pathStyle: true,
    });
  }

  override async prepare(): Promise<void> {
    await super.prepare();
    // the bucket is made on first use when the keys may make it; a failed check is tried again next time
    this.bucketReady ??= this.ensureBucket().catch((e: unknown) => {
      this.bucketReady = undefined;
      throw e;
    });
    await this.bucketReady;
  }

  private async ensureBucket(): Promise<void> {
    try {
      if (!(await this.client.bucketExists(this.s3.bucket))) await this.client.makeBucket(this.s3.bucket, this.s3.region);
    } catch (e) {
      throw storeError(e);
    }
  }

  async commit(tempFile: string, key: string, facts: StoredFacts): Promise<void> {
    try {
      await this.client.fPutObject(this.s3.bucket, key, tempFile, { 'Content-Type': facts.mediaType, 'x-amz-meta-sha256': facts.sha256, ...sseHeaders(this.s3) });
    } catch (e) {
      throw storeError(e);
    }
    await this.discard(tempFile);
  }

  async remove(key: string): Promise<void> {
    try {
      await this.client.removeObject(this.s3.bucket, key);
    } catch (e) {
      throw storeError(e);
    }
  }

  async read(key: string): Promise<Readable> {
    try {
      return await this.client.getObject(this.s3.bucket, key);
    } catch (e) {
      throw storeError(e, (e as { code?: string }).code === 'NoSuchKey' ? key : undefined);
    }
  }
}

/** The headers asking the store to encrypt an object at rest (S3's SSE-S3 or SSE-KMS), if configured. */
function sseHeaders(s3: S3Config): Record<string, string> {
  if (!s3.sse) return {};
  if (s3.sse.type === 'AES256') return { 'x-amz-server-side-encryption': 'AES256' };
  return { 'x-amz-server-side-encryption': 'aws:kms', ...(s3.sse.kmsKeyId ? { 'x-amz-server-side-encryption-aws-kms-key-id': s3.sse.kmsKeyId } : {}) };
}

const stores = new WeakMap<Config, MaterialStorage>();

/** The process's store for `config`: one S3 client per process, not one per request. */
export function storageFor(config: Config): MaterialStorage {
  let s = stores.get(config);
  if (!s) {
    const root = path.join(config.dataDir, 'uploads');
    s = config.s3 ? new S3Storage(config.s3, path.join(root, 'tmp')) : new FileStorage(root);
    stores.set(config, s);
  }
  return s;
}

/**
 * Where material files go, for the start-up log. An S3 store is tried at once (its bucket made if
 * missing), so a wrong key or an unreachable store shows when the server starts, not at the
 * first applicant's upload.
 */
export async function checkStorage(config: Config): Promise<string> {
  const store = storageFor(config);
  await store.prepare();
  const s3 = config.s3;
  return s3 ? `${s3.useSSL ? 'https' : 'http'}://${s3.endPoint}:${s3.port}/${s3.bucket}/${s3.prefix}${s3.sse ? ` (SSE ${s3.sse.type})` : ''}` : path.join(config.dataDir, 'uploads');
}
