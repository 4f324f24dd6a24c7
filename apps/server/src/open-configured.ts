/**
 * The start of every process (server and CLI): configuration from the environment, then the
 * database. Failures are told on stderr with an exit code: 2 configuration, 3 data folder in
 * use by another process, 1 anything else.
 */
import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase, type Database } from './db/client.js';
import { DataDirLockedError } from './db/data-dir-lock.js';

export type Opened = { ok: true; config: Config; database: Database } | { ok: false; exitCode: number };

export async function openConfigured(opts: {
  env: NodeJS.ProcessEnv;
  stderr: { write(s: string): unknown };
}): Promise<Opened> {
  let config: Config;
  try {
    config = loadConfig(opts.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    opts.stderr.write(`${err.message}\n`);
    return { ok: false, exitCode: 2 };
  }
  try {
    const database = await openDatabase({
      databaseUrl: config.databaseUrl, dataDir: config.dataDir, statementTimeoutMs: config.statementTimeoutMs,
    });
    return { ok: true, config, database };
  } catch (err) {
    opts.stderr.write(err instanceof DataDirLockedError ? `${err.message}\n` : `cannot open the database: ${(err as Error).message}\n`);
    return { ok: false, exitCode: err instanceof DataDirLockedError ? 3 : 1 };
  }
}
