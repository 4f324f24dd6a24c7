/**
 * A throw-away PostgreSQL 15 cluster of the fault test's own, on a spare port, so the test can
 * restart and stop it without touching the machine's shared PostgreSQL. Created with initdb in
 * a temp folder; when running as root, every pg_ctl/initdb runs as the `postgres` OS user
 * (PostgreSQL refuses to run as root).
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PgCluster {
  port: number;
  /** postgres://postgres@127.0.0.1:port/<database> */
  url(database: string): string;
  restartImmediate(): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

function asPostgres(cmd: string, args: string[]): string[] {
  return process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--', cmd, ...args] : [cmd, ...args];
}

/** Asynchronous, so the load generator in this process keeps running while pg_ctl waits. */
function run(cmd: string, args: string[]): Promise<void> {
  const [file, ...rest] = asPostgres(cmd, args);
  return new Promise((resolve, reject) => {
    execFile(file!, rest, { encoding: 'utf8', timeout: 120_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${stdout}\n${stderr}`));
      else resolve();
    });
  });
}

export function pgAvailable(): string | null {
  if (!fs.existsSync(path.join(BIN, 'initdb'))) return `${BIN}/initdb not found (PG_BIN)`;
  if (process.getuid?.() === 0) {
    try {
      execFileSync('id', ['postgres'], { stdio: 'ignore' });
    } catch {
      return 'running as root but there is no postgres OS user';
    }
  }
  return null;
}

export async function createCluster(port: number): Promise<PgCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'closeloop-faults-pg-'));
  if (process.getuid?.() === 0) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'server.log');
  await run(path.join(BIN, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-instructions']);
  // fsync stays on: whether an acknowledged ticket survives a crash is what is being tested.
  fs.appendFileSync(path.join(data, 'postgresql.conf'), [
    '', `port = ${port}`, "listen_addresses = '127.0.0.1'", `unix_socket_directories = '${dir}'`,
    'max_connections = 60', 'shared_buffers = 64MB', 'logging_collector = off', '',
  ].join('\n'));
  const ctl = (...args: string[]) => run(path.join(BIN, 'pg_ctl'), ['-D', data, '-l', log, '-w', '-t', '60', ...args]);
  await ctl('start');
  return {
    port,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    restartImmediate: () => ctl('restart', '-m', 'immediate'),
    stop: () => ctl('stop', '-m', 'fast'),
    start: () => ctl('start'),
    async destroy() {
      try {
        await ctl('stop', '-m', 'immediate');
      } catch {
        // already stopped
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
