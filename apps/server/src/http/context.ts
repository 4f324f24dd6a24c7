/** What every route handler can reach: the database, the config and the logger. */
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';

export interface AppContext {
  db: Db;
  dbKind: 'pglite' | 'postgres';
  config: Config;
  log: FastifyBaseLogger;
}
