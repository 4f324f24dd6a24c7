/**
 * Live push (Server-Sent Events) fed from COMMITTED events: one poller per app instance reads the
 * audit log of the tickets that have open streams. A ticket's chain is written under its row lock,
 * so its `seq` grows in commit order without gaps: "seq > last seen" never misses a change, and
 * every instance sees every other instance's commits (PGlite and PostgreSQL alike) within one
 * poll interval. No stream open, no query. Streams are bounded per instance.
 */
import type { ServerResponse } from 'node:http';
import { and, eq, gt, inArray, max, or } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { auditEvents } from '../db/schema.js';
import { ticketChain } from '../audit/append-event.js';
import { AppError } from '../http/app-error.js';
import { customerVisibleChange } from './customer-view.js';

export interface StreamEvent { seq: number; type: string; after: Record<string, unknown> | null; data: Record<string, unknown> | null }

interface Listener {
  audience: 'customer' | 'staff';
  res: ServerResponse;
  heartbeat: NodeJS.Timeout;
}

interface Watched { lastSeq: number; listeners: Set<Listener> }

export interface StreamHubOptions { db: Db; pollMs: number; heartbeatMs: number; maxStreams: number; log: { warn(obj: object, msg: string): void } }

export class StreamHub {
  private readonly watched = new Map<string, Watched>();
  private timer: NodeJS.Timeout | null = null;
  private polling = false;
  private count = 0;

  constructor(private readonly opts: StreamHubOptions) {}

  get openStreams(): number {
    return this.count;
  }

  /** Opens an SSE stream on `res` for a ticket the caller may see (checked by the caller). */
  async open(ticketId: string, audience: Listener['audience'], res: ServerResponse, lastEventId?: number): Promise<void> {
    if (this.count >= this.opts.maxStreams) throw new AppError('RATE_LIMITED', 'too many open live streams; try again shortly', undefined, { 'retry-after': '5' });
    const [row] = await this.opts.db.select({ seq: max(auditEvents.seq) }).from(auditEvents)
      .where(eq(auditEvents.chain, ticketChain(ticketId)));
    const current = row?.seq ?? 0;
    this.count += 1;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    res.write(`retry: 3000\nevent: ready\ndata: ${JSON.stringify({ seq: current })}\n\n`);
    const listener: Listener = {
      audience, res,
      heartbeat: setInterval(() => res.write(': ping\n\n'), this.opts.heartbeatMs),
    };
    // A reconnect names the last change it saw: replay what came after it.
    if (lastEventId !== undefined && lastEventId < current) {
      const missed = await this.opts.db.select({ seq: auditEvents.seq, type: auditEvents.type, after: auditEvents.after, data: auditEvents.data })
        .from(auditEvents).where(and(eq(auditEvents.chain, ticketChain(ticketId)), gt(auditEvents.seq, lastEventId)))
        .orderBy(auditEvents.seq);
      for (const e of missed) this.deliver(listener, e);
    }
    let w = this.watched.get(ticketId);
    if (!w) {
      w = { lastSeq: current, listeners: new Set() };
      this.watched.set(ticketId, w);
    }
    // When w.lastSeq < current, the next poll tells this stream too about changes up to current:
    // one extra refetch, never a missed change for the streams already open.
    w.listeners.add(listener);
    const watched = w;
    const done = () => {
      if (!watched.listeners.delete(listener)) return;
      clearInterval(listener.heartbeat);
      this.count -= 1;
      if (watched.listeners.size === 0 && this.watched.get(ticketId) === watched) this.watched.delete(ticketId);
    };
    res.on('close', done);
    res.on('error', done);
    // The client may have gone while the first query ran: its 'close' came before the listener.
    if (res.destroyed || res.writableEnded) done();
    this.start();
  }

  private start() {
    if (this.timer) return;
    this.timer = setInterval(() => void this.poll(), this.opts.pollMs);
    this.timer.unref();
  }

  /** One query for every watched ticket: `(chain = c and seq > last) or …` on the chain index. */
  async poll(): Promise<void> {
    if (this.polling) return;
    if (this.watched.size === 0) {
      if (this.timer) clearInterval(this.timer);
      this.timer = null;
      return;
    }
    this.polling = true;
    try {
      const entries = [...this.watched.entries()];
      const byChain = new Map(entries.map(([id, w]) => [ticketChain(id), w]));
      const rows = await this.opts.db.select({
        chain: auditEvents.chain, seq: auditEvents.seq, type: auditEvents.type, after: auditEvents.after, data: auditEvents.data,
      }).from(auditEvents)
        .where(and(
          inArray(auditEvents.chain, [...byChain.keys()]),
          or(...entries.map(([id, w]) => and(eq(auditEvents.chain, ticketChain(id)), gt(auditEvents.seq, w.lastSeq)))),
        ))
        .orderBy(auditEvents.chain, auditEvents.seq).limit(1000);
      for (const e of rows) {
        const w = byChain.get(e.chain);
        if (!w || e.seq <= w.lastSeq) continue;
        w.lastSeq = e.seq;
        for (const l of w.listeners) this.deliver(l, e);
      }
    } catch (err) {
      this.opts.log.warn({ err }, 'live stream poll failed; retrying');
    } finally {
      this.polling = false;
    }
  }

  private deliver(l: Listener, e: StreamEvent) {
    const kind = l.audience === 'staff' ? e.type : customerVisibleChange(e.type, e.after, e.data);
    if (!kind) return; // an internal note, a measure, a tag …: not the customer's
    l.res.write(`event: changed\nid: ${e.seq}\ndata: ${JSON.stringify({ seq: e.seq, kind })}\n\n`);
  }

  /** Ends every stream (server shutdown). */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const w of this.watched.values()) for (const l of w.listeners) {
      clearInterval(l.heartbeat);
      l.res.end();
    }
    this.watched.clear();
    this.count = 0;
  }
}
