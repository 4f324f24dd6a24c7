/** Background runner (outbox consumer); filled in by the runner work. */
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/client.js';

export interface Runner { stop(): Promise<void> }

export function startRunner(_opts: { db: Db; log: FastifyBaseLogger }): Runner {
  return { async stop() {} };
}
