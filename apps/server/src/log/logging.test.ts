import Fastify from 'fastify';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createLogger, resolveLogFormat } from './create-logger.js';
import { prettyLine } from './pretty-line.js';
import { RequestLogController } from './request-log-controller.js';

/** Collects what a logger writes. */
function sink(isTTY: boolean) {
  const lines: string[] = [];
  return { lines, out: { isTTY, write: (s: string) => { lines.push(s); } } };
}

describe('log format', () => {
  it('is readable lines in a terminal and JSON otherwise, unless told', () => {
    expect(resolveLogFormat('auto', true)).toBe('pretty');
    expect(resolveLogFormat('auto', false)).toBe('json');
    expect(resolveLogFormat('json', true)).toBe('json');
    expect(resolveLogFormat('pretty', false)).toBe('pretty');
  });

  it('prints one line per entry with the time, level, message and fields, secrets redacted', () => {
    const { lines, out } = sink(false);
    const log = createLogger({ logLevel: 'info', logFormat: 'pretty' }, out);
    log.info({ tickets: 200, ms: 18_815 }, 'demo data loaded');
    log.warn({ req: { headers: { authorization: 'Bearer clt_secret' } } }, 'odd');
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d INFO  demo data loaded {2}tickets=200 ms=18815\n$/);
    expect(lines[1]).not.toContain('clt_secret');
    expect(lines).toHaveLength(2);
  });

  it('puts an error\'s stack under its line', () => {
    const line = prettyLine(JSON.stringify({ level: 50, time: 0, msg: 'boom', err: { type: 'Error', message: 'x', stack: 'Error: x\n    at f (a.ts:1:1)' } }), { color: false });
    expect(line.split('\n')).toEqual([expect.stringMatching(/ERROR boom$/), '    Error: x', '        at f (a.ts:1:1)', '']);
  });

  it('passes a line that is not JSON through untouched', () => {
    expect(prettyLine('plain text', { color: false })).toBe('plain text\n');
  });

  it('writes JSON lines when asked', () => {
    const { lines, out } = sink(true);
    createLogger({ logLevel: 'info', logFormat: 'json' }, out).info({ a: 1 }, 'hello');
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 30, msg: 'hello', a: 1 });
  });
});

describe('request logging', () => {
  async function requestLines(level: 'info' | 'debug') {
    const lines: string[] = [];
    const app = Fastify({
      loggerInstance: pino({ level }, { write: (s: string) => { lines.push(s); } }),
      logController: new RequestLogController(),
    });
    app.get('/x', async () => ({ ok: true }));
    await app.inject({ method: 'GET', url: '/x' });
    await app.inject({ method: 'GET', url: '/nowhere' });
    await app.close();
    return lines.map((l) => JSON.parse(l) as { level: number; msg: string });
  }

  it('logs nothing per request at info, so the start-up output stays in view', async () => {
    expect(await requestLines('info')).toEqual([]);
  });

  it('logs one debug line per request at debug', async () => {
    const lines = await requestLines('debug');
    expect(lines.filter((l) => l.msg.startsWith('GET /x 200 '))).toHaveLength(1);
    expect(lines.every((l) => l.level === 20)).toBe(true);
  });
});
