/**
 * First-run work at start-up: the `admin` user (password from CLOSELOOP_ADMIN_PASSWORD or a random
 * one printed once) and, on an empty database, the demo data. Returns the lines to print.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.js';
import type { Db } from './db/client.js';

export interface BootstrapResult {
  loginLines: string[];
}

export async function bootstrap(_opts: { db: Db; config: Config; log: FastifyBaseLogger }): Promise<BootstrapResult> {
  // filled in by the auth + demo work: ensure admin, then seed demo data on first run
  return { loginLines: [] };
}
