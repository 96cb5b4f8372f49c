/** The server process: `npm start`. SIGTERM/SIGINT finish requests in flight, seal the audit chain and close the database. */
import { loadConfig } from '../core/config.js';
import { openRuntime } from '../runtime.js';
import { buildApp } from './app.js';
import { startJobs } from '../flows/jobs.js';

const config = loadConfig();
let runtime;
try {
  runtime = await openRuntime({ config, background: true });
} catch (e) {
  console.error(`通办启动失败：${(e as Error).message}`);
  process.exit(1);
}
const app = await buildApp(runtime);
await app.listen({ port: config.port, host: config.host });
const jobs = startJobs(runtime, app.log);
app.log.info(
  `通办 Tongban ${config.version} serving http://localhost:${config.port} on ${runtime.engine}${runtime.engine === 'pglite' ? ` (${config.dataDir})` : ''}${config.demo ? ' — demo mode, password tongban-demo' : ''}`,
);

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
