/**
 * End-to-end support: the built web app, the real server as a child process on a fresh
 * embedded database (demo accounts, password `tongban-demo`), and Chromium through
 * playwright-core (Debian's /usr/bin/chromium, or CHROMIUM_PATH; never a downloaded browser).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const DEMO_PASSWORD = 'tongban-demo';
const WEB_INDEX = path.join(ROOT, 'dist', 'web', 'index.html');

/** Newest modification time under the web sources (and shared/, which the web app imports). */
function newestSource(): number {
  let newest = 0;
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    const s = statSync(p);
    if (s.isDirectory()) {
      for (const e of readdirSync(p)) if (e !== 'node_modules') walk(path.join(p, e));
    } else {
      newest = Math.max(newest, s.mtimeMs);
    }
  };
  for (const p of ['web/src', 'web/public', 'web/index.html', 'web/vite.config.ts', 'shared']) walk(path.join(ROOT, p));
  return newest;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}\n${output}`))));
  });
}

/** Builds dist/web when it is missing or older than its sources. */
export async function ensureWebBuilt(): Promise<void> {
  if (existsSync(WEB_INDEX) && statSync(WEB_INDEX).mtimeMs >= newestSource()) return;
  const env = { ...process.env };
  delete env.NODE_ENV; // vitest sets NODE_ENV=test; a build is a production build
  await run('npx', ['vite', 'build', '--config', 'web/vite.config.ts'], env);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  baseUrl: string;
  /** What the server printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts `node --import tsx server/http/server.ts` on a free port and a fresh data directory. */
export async function startServer(): Promise<RunningServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tongban-e2e-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    TONGBAN_DATA_DIR: dataDir,
    TONGBAN_DEMO: '1',
    LOG_LEVEL: 'warn',
    TONGBAN_AUTH_RATE_LIMIT: '1000',
  };
  delete env.NODE_ENV;
  delete env.DATABASE_URL;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/http/server.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let exitCode: number | null | undefined;
  void exited.then((c) => (exitCode = c));

  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (exitCode === undefined) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 150_000;
  for (;;) {
    if (exitCode !== undefined) {
      rmSync(dataDir, { recursive: true, force: true });
      throw new Error(`server exited (${exitCode}) before it was healthy:\n${output}`);
    }
    try {
      const res = await fetch(`${baseUrl}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`server not healthy after 150 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { baseUrl, output: () => output, stop };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface Journey {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and CSP violations seen so far: a journey should end with none. */
  problems: string[];
}

/** A fresh browser context (own cookies and localStorage) at `baseUrl`, zh-CN like a user in Hebei. */
export async function newJourney(browser: Browser, baseUrl: string): Promise<Journey> {
  const context = await browser.newContext({ baseURL: baseUrl, locale: 'zh-CN', viewport: { width: 1280, height: 800 } });
  // generous: in CI the browser shares two cores with the db and http test tiers
  context.setDefaultTimeout(45_000);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(`csp: ${m.text()}`);
  });
  return { context, page, problems };
}

/** Waits until the page's path is `pathname`. */
export async function waitForPath(page: Page, pathname: string): Promise<void> {
  await page.waitForURL((u) => u.pathname === pathname);
}

/** antd puts a space between two CJK characters on buttons (确 定), so match either way. */
// a button busy with a request is named with its spinner too ("loading 登录")
export const spaced = (s: string) => new RegExp(`^\\s*(?:loading\\s*)?${[...s].join('\\s*')}\\s*$`);

/** A fresh browser context signed in as `username` (password tongban-demo), on the home page; kept in `journeys` for closing. */
export async function signInAs(browser: Browser, baseUrl: string, username: string, journeys: Journey[]): Promise<Journey> {
  const journey = await newJourney(browser, baseUrl);
  journeys.push(journey);
  const { page } = journey;
  await page.goto('/login');
  await page.getByLabel('用户名', { exact: true }).fill(username);
  await page.getByLabel('密码', { exact: true }).fill(DEMO_PASSWORD);
  await page.locator('form').getByRole('button', { name: spaced('登录') }).click();
  await waitForPath(page, '/');
  await page.getByTestId('greeting').waitFor();
  return journey;
}

/**
 * One server and one browser for a test file, and a fresh context per person: registers the
 * file's beforeAll/afterAll and closes every context, the browser and the server at the end.
 */
export function journeySuite() {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const journeys: Journey[] = [];
  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startServer();
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const j of journeys) await j.context.close();
    await browser?.close();
    await server?.stop();
  });
  return {
    /** A fresh context signed in as `username`, on the home page. */
    signedIn: (username: string): Promise<Journey> => signInAs(browser!, server!.baseUrl, username, journeys),
    /** A fresh context nobody is signed in to. */
    anonymous: async (): Promise<Journey> => {
      const journey = await newJourney(browser!, server!.baseUrl);
      journeys.push(journey);
      return journey;
    },
  };
}
