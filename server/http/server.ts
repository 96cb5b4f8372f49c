/**
 * The server process: `npm start`. SIGTERM/SIGINT finish requests in flight, seal the audit chain
 * and close the database.
 *
 * With PostgreSQL and TONGBAN_WORKERS > 1 it runs as a cluster (node:cluster): the primary
 * migrates and seeds the database once, then forks that many workers that share the port — Node
 * runs JavaScript on one core per process, so this is how one machine's cores all serve. Only
 * the first worker runs the background jobs (deadline sweep, e-mail outbox); every worker seals
 * its own audit entries (the sealer takes an advisory lock, ADR 0003). A worker that dies is
 * replaced; SIGTERM to the primary stops the workers gracefully, then the primary.
 */
import cluster from 'node:cluster';
import { loadConfig, type Config } from '../core/config.js';
import { openRuntime } from '../runtime.js';
import { buildApp } from './app.js';
import { startJobs } from '../flows/jobs.js';
import { checkStorage } from '../modules/cases/index.js';

const config = (() => {
  try {
    return loadConfig();
  } catch (e) {
    // a setting that cannot work (TONGBAN_S3_URL, TONGBAN_WORKERS …): say which, without a stack
    console.error(`通办启动失败：${(e as Error).message}`);
    process.exit(1);
  }
})();

if (config.workers > 1 && config.databaseUrl && cluster.isPrimary) await primary(config);
else await serve(config, cluster.isWorker ? Number(process.env.TONGBAN_WORKER_INDEX ?? 0) : null);

async function primary(config: Config): Promise<void> {
  try {
    const runtime = await openRuntime({ config });
    await runtime.close();
  } catch (e) {
    console.error(`通办启动失败：${(e as Error).message}`);
    process.exit(1);
  }
  let closing = false;
  const fork = (index: number) => {
    const worker = cluster.fork({ TONGBAN_WORKER_INDEX: String(index) });
    worker.on('exit', (code, signal) => {
      if (closing) return;
      console.error(`通办 worker ${index} (pid ${worker.process.pid}) exited (${signal ?? code}); starting another`);
      setTimeout(() => fork(index), 1000).unref();
    });
  };
  for (let i = 0; i < config.workers; i++) fork(i);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (closing) return;
      closing = true;
      const workers = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
      let failed = false;
      let left = workers.length;
      if (left === 0) process.exit(0);
      for (const w of workers) {
        w.once('exit', (code, signal) => {
          // a worker still loading when the signal came dies of it: it was serving nothing yet
          failed ||= code !== 0 && signal !== 'SIGTERM';
          if (--left === 0) process.exit(failed ? 1 : 0);
        });
        w.process.kill('SIGTERM');
      }
      setTimeout(() => process.exit(1), 15_000).unref();
    });
  }
}

/** One serving process: the only one, or worker `index` of a cluster. */
async function serve(config: Config, index: number | null): Promise<void> {
  // a signal before the server is up (a cluster stopping while it replaces a worker): nothing is
  // in flight yet, so leave at once and cleanly
  const early = () => process.exit(0);
  process.once('SIGTERM', early).once('SIGINT', early);
  let runtime;
  try {
    runtime = await openRuntime({ config, background: true, prepare: index === null });
  } catch (e) {
    console.error(`通办启动失败：${(e as Error).message}`);
    process.exit(1);
  }
  const app = await buildApp(runtime);
  await app.listen({ port: config.port, host: config.host });
  // the only process, or the first worker: it runs the jobs and says what is serving
  const first = index === null || index === 0;
  const jobs = first ? startJobs(runtime, app.log) : { stop: async () => {} };
  if (first) {
    if (config.workers > 1 && !config.databaseUrl) app.log.warn('TONGBAN_WORKERS 仅适用于 PostgreSQL（DATABASE_URL）：嵌入式 PGlite 只能由一个进程打开，按单进程运行');
    app.log.info(
      `通办 Tongban ${config.version} serving http://localhost:${config.port} on ${runtime.engine}${runtime.engine === 'pglite' ? ` (${config.dataDir})` : ''}` +
        `${index === null ? '' : ` with ${config.workers} worker processes`}${config.demo ? ' — demo mode, password tongban-demo' : ''}`,
    );
    await checkStorage(config).then(
      (where) => app.log.info(`材料文件存放于 ${where}`),
      (e: unknown) => app.log.warn({ err: e }, '材料存储暂不可用：上传材料将答 503，直至其可用（检查 TONGBAN_S3_URL 与对象存储服务）'),
    );
  }

  process.off('SIGTERM', early).off('SIGINT', early);
  let closing = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (closing) return;
      closing = true;
      app.log.info(`${signal}: finishing requests in flight`);
      const force = setTimeout(() => process.exit(1), 10_000);
      force.unref();
      // connections busy at the signal turn idle when their response is sent: close them then
      const idle = setInterval(() => app.server.closeIdleConnections(), 50);
      idle.unref();
      void app
        .close()
        .then(() => jobs.stop())
        .then(() => runtime.close())
        .then(() => process.exit(0))
        .catch((e: unknown) => {
          app.log.error(e);
          process.exit(1);
        });
    });
  }
}
