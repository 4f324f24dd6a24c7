/**
 * The server's pino logger: readable one-line logs in a terminal, JSON lines when asked
 * (CLOSELOOP_LOG_FORMAT=json) or when stdout is not a terminal (log collectors, systemd, docker).
 * Writes synchronously, so log lines and the start-up login block appear in the order they
 * happened and the last lines before a crash are not lost.
 */
import pino, { type Logger } from 'pino';
import type { Config } from '../config.js';
import { prettyLine } from './pretty-line.js';

export const REDACT = ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'];

export function resolveLogFormat(format: Config['logFormat'], stdoutIsTty: boolean): 'pretty' | 'json' {
  if (format !== 'auto') return format;
  return stdoutIsTty ? 'pretty' : 'json';
}

export interface LogOutput { write(text: string): unknown; isTTY?: boolean }

export function createLogger(config: Pick<Config, 'logLevel' | 'logFormat'>, out: LogOutput = process.stdout): Logger {
  const format = resolveLogFormat(config.logFormat, out.isTTY === true);
  const options = { level: config.logLevel, redact: REDACT };
  if (format === 'json') {
    return pino(options, out === process.stdout ? pino.destination({ dest: 1, sync: true }) : { write: (json: string) => { out.write(json); } });
  }
  const color = out.isTTY === true && !process.env.NO_COLOR;
  return pino(options, { write: (json: string) => { out.write(prettyLine(json, { color })); } });
}
