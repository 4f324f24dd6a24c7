/**
 * Turns one pino JSON line into one readable terminal line: `14:05:09 INFO  message key=value`,
 * with an error's stack on the lines below. Pure, so it is unit tested; no dependency.
 */

const LEVELS: Record<number, { name: string; color: string }> = {
  10: { name: 'TRACE', color: '\x1b[90m' },
  20: { name: 'DEBUG', color: '\x1b[36m' },
  30: { name: 'INFO ', color: '\x1b[32m' },
  40: { name: 'WARN ', color: '\x1b[33m' },
  50: { name: 'ERROR', color: '\x1b[31m' },
  60: { name: 'FATAL', color: '\x1b[35m' },
};
const RESET = '\x1b[0m';
const DIM = '\x1b[2m';
/** Fields every line has, or that the line shows in its own place. */
const SKIP = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'err', 'v']);

function clock(time: unknown): string {
  const d = typeof time === 'number' ? new Date(time) : new Date();
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

function show(value: unknown): string {
  if (typeof value === 'string') return /^[^\s="]{1,200}$/.test(value) ? value : JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value);
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

export function prettyLine(json: string, opts: { color: boolean }): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`; // not ours: pass it through untouched
  }
  const level = LEVELS[Number(entry.level)] ?? { name: String(entry.level).toUpperCase().padEnd(5), color: '' };
  const paint = (text: string, color: string) => (opts.color && color ? `${color}${text}${RESET}` : text);
  const fields = Object.entries(entry)
    .filter(([k, v]) => !SKIP.has(k) && v !== undefined)
    .map(([k, v]) => `${k}=${show(v)}`);
  let line = `${paint(clock(entry.time), DIM)} ${paint(level.name, level.color)} ${String(entry.msg ?? '')}`;
  if (fields.length) line += `  ${paint(fields.join(' '), DIM)}`;
  const err = entry.err as { type?: string; message?: string; stack?: string } | undefined;
  if (err && typeof err === 'object') {
    const stack = err.stack ?? `${err.type ?? 'Error'}: ${err.message ?? ''}`;
    line += `\n${stack.split('\n').map((l) => `    ${l}`).join('\n')}`;
  }
  return `${line}\n`;
}
