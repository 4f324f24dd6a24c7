/** Entry point: config → database (migrated) → first-run data → HTTP server → background runner. */
import { loadConfig, ConfigError } from './config.js';
import { openDatabase } from './db/client.js';
import { DataDirLockedError } from './db/data-dir-lock.js';
import { buildApp } from './app.js';
import { bootstrap } from './bootstrap.js';
import { startRunner } from './jobs/runner.js';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  let database;
  try {
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (err) {
    if (err instanceof DataDirLockedError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(3);
    }
    throw err;
  }
  const app = await buildApp({ config, database });
  const firstRun = await bootstrap({ db: database.db, config, log: app.log });
  // On PostgreSQL the runner gets a small pool of its own, so a burst of requests that fills the
  // app's pool cannot starve notifications (and the reverse). PGlite has one connection anyway.
  const runnerDatabase = config.runner && database.kind === 'postgres'
    ? await openDatabase({ databaseUrl: config.databaseUrl, poolSize: 3, migrate: false })
    : null;
  const runner = config.runner ? startRunner({ db: (runnerDatabase ?? database).db, log: app.log }) : null;
  await app.listen({ port: config.port, host: config.host });

  const lines = [
    '',
    `  closeloop 售后问题整改验收闭环管理 is running on ${config.baseUrl}`,
    `  database: ${database.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)'}`,
    `  API docs: ${config.baseUrl}/api/docs`,
    ...firstRun.loginLines.map((l) => `  ${l}`),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    await runner?.stop();
    await runnerDatabase?.close();
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  process.stderr.write(`closeloop failed to start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
