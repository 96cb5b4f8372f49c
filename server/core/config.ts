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
  /** smtp://user:pass@host:port — e-mail notifications are sent only when set. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Background jobs (deadline sweep, outbox) run every this many ms in the server. */
  jobIntervalMs: number;
  /**
   * Server processes sharing the port (node:cluster), for PostgreSQL: Node runs JavaScript on one
   * core per process. TONGBAN_WORKERS=auto uses every core. PGlite is one process by nature.
   */
  workers: number;
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
    sessionTtlHours: Number(env.TONGBAN_SESSION_TTL_HOURS ?? 8),
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    webDist: path.join(ROOT, 'dist', 'web'),
    auditSealIntervalMs: Number(env.TONGBAN_AUDIT_SEAL_MS ?? 200),
    smtpUrl: env.TONGBAN_SMTP_URL || undefined,
    mailFrom: env.TONGBAN_MAIL_FROM ?? '通办 <noreply@tongban.local>',
    jobIntervalMs: Number(env.TONGBAN_JOB_INTERVAL_MS ?? 60_000),
    workers: workerCount(env.TONGBAN_WORKERS),
    ...overrides,
  };
}
