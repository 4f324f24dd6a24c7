/**
 * A worker thread of bench:seed: turns chunks of ticket indices into rows (tokenizing the search
 * text and hashing the audit chains is the CPU cost, so it runs beside the database writes).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { TicketFactory, type Chunk, type SeedContext } from './seed-tickets.js';

const factory = new TicketFactory(workerData as SeedContext);

parentPort!.on('message', (chunk: Chunk) => {
  // oxlint-disable-next-line unicorn/require-post-message-target-origin -- a worker thread, not a window
  parentPort!.postMessage(factory.makeChunk(chunk));
});
