/**
 * One HTTP POST to a webhook target, guarded against SSRF at the moment of sending: the host is
 * resolved here, every address it resolves to is checked (address-policy.ts), and the socket
 * connects to the address that was checked (the client's lookup is ours, so a DNS answer that
 * changes between check and connect cannot slip through). Redirects are not followed (a 3xx is
 * a failed attempt). Only the status line is kept of the answer, never its body; the group-robot
 * flavours read a few KB of JSON for their `errcode`.
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { blockedReason, checkWebhookUrl } from './address-policy.js';

/** All addresses of a host name (A and AAAA). Injectable so tests can change "DNS". */
export type Resolve = (host: string) => Promise<string[]>;

export const systemResolve: Resolve = async (host) =>
  (await dns.promises.lookup(host, { all: true, verbatim: true })).map((r) => r.address);

export interface SendWebhookOptions {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  allowHosts: readonly string[];
  resolve?: Resolve;
  /** DingTalk / WeCom answer 200 with {"errcode": n}: n ≠ 0 is a failure. */
  readErrcode?: boolean;
}

export interface SendOutcome {
  ok: boolean;
  statusCode: number | null;
  latencyMs: number;
  /** Our short description of a failure; never the target's body. */
  error: string | null;
}

export class RefusedTarget extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedTarget';
  }
}

/** Resolves and checks a target; throws RefusedTarget naming the reason. Returns the address to connect to. */
export async function resolveTarget(rawUrl: string, allowHosts: readonly string[], resolve: Resolve = systemResolve): Promise<{ url: URL; address: string; family: 4 | 6 }> {
  const verdict = checkWebhookUrl(rawUrl, allowHosts);
  if (!verdict.ok) throw new RefusedTarget(`url ${verdict.reason}`);
  const { url, host, literal, allowListed } = verdict;
  if (literal) return { url, address: host, family: net.isIP(host) as 4 | 6 };
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch (err) {
    throw new RefusedTarget(`host ${host} does not resolve (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (addresses.length === 0) throw new RefusedTarget(`host ${host} does not resolve`);
  if (!allowListed) {
    for (const a of addresses) {
      const why = blockedReason(a);
      if (why) throw new RefusedTarget(`host ${host} resolves to ${a} (${why})`);
    }
  }
  const address = addresses[0]!;
  return { url, address, family: net.isIP(address) as 4 | 6 };
}

export async function sendWebhook(o: SendWebhookOptions): Promise<SendOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let target: Awaited<ReturnType<typeof resolveTarget>>;
  try {
    target = await resolveTarget(o.url, o.allowHosts, o.resolve);
  } catch (err) {
    return { ok: false, statusCode: null, latencyMs: elapsed(), error: err instanceof Error ? err.message : String(err) };
  }
  const { url, address, family } = target;
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<SendOutcome>((resolvePromise) => {
    let settled = false;
    const finish = (outcome: Omit<SendOutcome, 'latencyMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolvePromise({ ...outcome, latencyMs: elapsed() });
    };
    const req = client.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'closeloop-webhooks/1', ...o.headers, 'content-length': Buffer.byteLength(o.body) },
      // Connect to the checked address, whatever DNS says now; TLS still verifies the host name.
      lookup: (_host, options, cb) => {
        if ((options as { all?: boolean }).all) (cb as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address, family }]);
        else cb(null, address, family);
      },
      agent: false,
    }, (res) => {
      const code = res.statusCode ?? 0;
      const statusLine = `HTTP ${code}${res.statusMessage ? ` ${res.statusMessage.slice(0, 60)}` : ''}`;
      if (code < 200 || code >= 300) {
        res.resume();
        const why = code >= 300 && code < 400 ? `${statusLine} (redirects are not followed)` : statusLine;
        finish({ ok: false, statusCode: code, error: why });
        req.destroy();
        return;
      }
      if (!o.readErrcode) {
        res.resume();
        finish({ ok: true, statusCode: code, error: null });
        return;
      }
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        if (text.length > 4096) res.destroy();
      });
      const settle = () => {
        let errcode: unknown = 0;
        try { errcode = (JSON.parse(text) as { errcode?: unknown }).errcode ?? 0; } catch { errcode = 0; }
        if (errcode === 0) finish({ ok: true, statusCode: code, error: null });
        else finish({ ok: false, statusCode: code, error: `robot answered errcode ${String(errcode).slice(0, 20)}` });
      };
      res.on('end', settle);
      res.on('close', settle);
    });
    const timer = setTimeout(() => {
      finish({ ok: false, statusCode: null, error: `timed out after ${o.timeoutMs} ms` });
      req.destroy();
    }, o.timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => {
      finish({ ok: false, statusCode: null, error: `connection failed (${err.code ?? err.name})` });
    });
    req.end(o.body);
  });
}
