import path from 'node:path';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** Everything the server reads from its environment, read once, in one place. */
export interface Config {
  port: number;
  host: string;
  /** postgres://… selects server PostgreSQL; absent means embedded PGlite in dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** Demo province and demo accounts: on for the embedded database unless production or TONGBAN_DEMO=0. */
  demo: boolean;
  production: boolean;
  version: string;
  /** Login/registration attempts per IP per minute (429 beyond). */
  authRateLimit: number;
  /** Secure cookies behind TLS. */
  secureCookies: boolean;
  sessionTtlHours: number;
  logLevel: string;
  /** Where the built web app lives; served at `/` when present. */
  webDist: string;
  /** How long after commit the audit sealer runs (ms). */
  auditSealIntervalMs: number;
  /** Material files in S3-compatible object storage (TONGBAN_S3_URL); absent: under dataDir/uploads. */
  s3: S3Config | undefined;
  /** smtp://user:pass@host:port — e-mail notifications are sent only when set. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Background jobs (deadline sweep, outbox, expired Idempotency-Keys) run every this many ms in the server. */
  jobIntervalMs: number;
  /**
   * How long an Idempotency-Key and the answer kept with it are kept (hours): a retry within it
   * gets the first answer; afterwards the key and its answer, which can hold personal data, are
   * deleted (个人信息保护法 art. 19: kept no longer than needed).
   */
  idempotencyKeyHours: number;
  /**
   * Server processes sharing the port (node:cluster), for PostgreSQL: Node runs JavaScript on one
   * core per process. TONGBAN_WORKERS=auto uses every core. PGlite is one process by nature.
   */
  workers: number;
}

/** A whole number of hours, at least 1, from the environment (`fallback` when unset). */
function hours(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} 无效：应为不小于 1 的整数小时数，收到「${raw}」`);
  return n;
}

/** An S3-compatible store (MinIO, Ceph RGW, a cloud's OSS/OBS/COS), addressed path-style. */
export interface S3Config {
  endPoint: string;
  port: number;
  useSSL: boolean;
  accessKey: string;
  secretKey: string;
  bucket: string;
  /** Prepended to every object key ('' or ending in '/'): several installations can share a bucket. */
  prefix: string;
  region: string;
  /**
   * Server-side encryption asked of the store for every object written (x-amz-server-side-encryption):
   * `AES256` with the store's own keys, or `aws:kms` with a key of its key service (`kmsKeyId`,
   * else the store's default). Material files hold personal data (个人信息保护法 art. 51: encryption).
   */
  sse?: { type: 'AES256' } | { type: 'aws:kms'; kmsKeyId?: string };
}

/**
 * TONGBAN_S3_URL: `https://ACCESS_KEY:SECRET_KEY@host[:port]/bucket[/prefix][?region=…]`, the
 * keys URL-encoded. http:// is for a store on the same host or private network only.
 */
export function parseS3Url(raw: string): S3Config {
  const fail = (why: string): never => {
    throw new Error(`TONGBAN_S3_URL 无效：${why}。格式：https://访问密钥:秘密密钥@主机[:端口]/存储桶[/前缀][?region=区域][&sse=AES256 或 &sse=aws:kms[&kms-key=密钥]]`);
  };
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return fail('不是合法的 URL');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') fail(`协议应为 http 或 https，而不是 ${u.protocol}`);
  if (!u.username || !u.password) fail('缺少访问密钥或秘密密钥');
  const [bucket = '', ...rest] = u.pathname.split('/').filter(Boolean);
  // S3's bucket naming rules: 3–63 of a-z 0-9 . -, starting and ending with a letter or digit
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) fail(`存储桶名应为 3–63 个小写字母、数字、点或连字符，而不是 "${bucket}"`);
  const sse = u.searchParams.get('sse');
  const kmsKeyId = u.searchParams.get('kms-key');
  if (sse !== null && sse !== 'AES256' && sse !== 'aws:kms') fail(`sse 应为 AES256（存储服务自管密钥）或 aws:kms（密钥管理服务），而不是 "${sse}"`);
  if (kmsKeyId !== null && sse !== 'aws:kms') fail('kms-key 只能与 sse=aws:kms 一起使用');
  const useSSL = u.protocol === 'https:';
  return {
    endPoint: u.hostname,
    port: u.port ? Number(u.port) : useSSL ? 443 : 80,
    useSSL,
    accessKey: decodeURIComponent(u.username),
    secretKey: decodeURIComponent(u.password),
    bucket,
    prefix: rest.length ? `${rest.join('/')}/` : '',
    region: u.searchParams.get('region') || 'us-east-1',
    ...(sse === 'AES256' ? { sse: { type: 'AES256' as const } } : sse === 'aws:kms' ? { sse: { type: 'aws:kms' as const, ...(kmsKeyId ? { kmsKeyId } : {}) } } : {}),
  };
}

const ROOT = path.resolve(import.meta.dirname, '..', '..');

export function projectRoot(): string {
  return ROOT;
}

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

function workerCount(v: string | undefined): number {
  if (v === undefined || v === '') return 1;
  if (v === 'auto') return availableParallelism();
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new Error(`TONGBAN_WORKERS 应为 1–64 的整数或 auto，而不是 "${v}"`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const production = env.NODE_ENV === 'production';
  const databaseUrl = env.DATABASE_URL || undefined;
  const demoDefault = !production && !databaseUrl;
  const demo = env.TONGBAN_DEMO === undefined ? demoDefault : env.TONGBAN_DEMO === '1' && !production;
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl,
    dataDir: path.resolve(env.TONGBAN_DATA_DIR ?? path.join(process.cwd(), 'data')),
    demo,
    production,
    version: packageVersion(),
    authRateLimit: Number(env.TONGBAN_AUTH_RATE_LIMIT ?? 30),
    secureCookies: env.TONGBAN_SECURE_COOKIES === '1' || production,
    sessionTtlHours: hours(env.TONGBAN_SESSION_TTL_HOURS, 8, 'TONGBAN_SESSION_TTL_HOURS'),
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    webDist: path.join(ROOT, 'dist', 'web'),
    auditSealIntervalMs: Number(env.TONGBAN_AUDIT_SEAL_MS ?? 200),
    s3: env.TONGBAN_S3_URL ? parseS3Url(env.TONGBAN_S3_URL) : undefined,
    smtpUrl: env.TONGBAN_SMTP_URL || undefined,
    mailFrom: env.TONGBAN_MAIL_FROM ?? '通办 <noreply@tongban.local>',
    jobIntervalMs: Number(env.TONGBAN_JOB_INTERVAL_MS ?? 60_000),
    idempotencyKeyHours: hours(env.TONGBAN_IDEMPOTENCY_KEY_HOURS, 24, 'TONGBAN_IDEMPOTENCY_KEY_HOURS'),
    workers: workerCount(env.TONGBAN_WORKERS),
    ...overrides,
  };
}
