/**
 * Where a webhook may be sent (SSRF guard). Pure functions: a URL is parsed the way the HTTP
 * client will read it (WHATWG URL, which turns 2130706433, 0x7f.1 and 017700000001 into
 * 127.0.0.1), and every address a host resolves to is checked against the ranges no webhook may
 * reach: loopback, "this network", private, carrier-grade NAT, link-local, unique-local,
 * multicast, reserved, and IPv6 forms that embed one of those (IPv4-mapped, NAT64, 6to4).
 * An admin allow-list of host names (or IP literals) lifts the address checks for those hosts.
 */
import net from 'node:net';

export type UrlVerdict =
  | { ok: true; url: URL; host: string; literal: boolean; allowListed: boolean }
  | { ok: false; reason: string };

/** Checks the URL itself (scheme, credentials, literal addresses); DNS names are checked on resolve. */
export function checkWebhookUrl(raw: string, allowHosts: readonly string[]): UrlVerdict {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'is not a valid URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: `scheme ${url.protocol} is not allowed (http or https only)` };
  if (url.username || url.password) return { ok: false, reason: 'must not contain a user name or password' };
  const host = hostOf(url);
  if (!host) return { ok: false, reason: 'has no host' };
  const allowListed = isAllowListed(host, allowHosts);
  const literal = net.isIP(host) !== 0;
  if (literal && !allowListed) {
    const blocked = blockedReason(host);
    if (blocked) return { ok: false, reason: `points to ${host} (${blocked})` };
  }
  return { ok: true, url, host, literal, allowListed };
}

/** The host as the HTTP client connects to it: brackets of IPv6 literals removed, lower case, no trailing dot. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
}

export function isAllowListed(host: string, allowHosts: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return allowHosts.some((a) => a.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '') === h);
}

const V4_BLOCKED: Array<[string, number, string]> = [
  ['0.0.0.0', 8, '"this network"'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

const V6_BLOCKED: Array<[string, number, string]> = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['fc00::', 7, 'unique-local'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
  ['ff00::', 8, 'multicast'],
  ['2001:db8::', 32, 'documentation'],
  ['100::', 64, 'discard'],
];

const v4List = new net.BlockList();
for (const [a, p] of V4_BLOCKED) v4List.addSubnet(a, p, 'ipv4');

/** Why an IP address may not be a webhook target, or null when it may. Not an IP at all = refused. */
export function blockedReason(address: string): string | null {
  const kind = net.isIP(address);
  if (kind === 4) return v4Reason(address);
  if (kind === 6) return v6Reason(address);
  return 'not an IP address';
}

function v4Reason(a: string): string | null {
  if (!v4List.check(a, 'ipv4')) return null;
  const n = v4ToInt(a);
  for (const [base, prefix, why] of V4_BLOCKED) {
    const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
    if (((n & mask) >>> 0) === ((v4ToInt(base) & mask) >>> 0)) return why;
  }
  return 'reserved';
}

function v6Reason(a: string): string | null {
  const words = expandV6(a);
  if (!words) return 'malformed IPv6 address';
  // Forms that carry an IPv4 address: the IPv4 rules decide for them.
  const embedded = embeddedV4(words);
  if (embedded) {
    const why = v4Reason(embedded);
    return why ? `${why}, as IPv6 ${a}` : null;
  }
  for (const [base, prefix, why] of V6_BLOCKED) {
    if (inV6Prefix(words, expandV6(base)!, prefix)) return why;
  }
  return null;
}

/** ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible), 64:ff9b::a.b.c.d (NAT64), 2002:AABB:CCDD:: (6to4). */
function embeddedV4(w: number[]): string | null {
  const tail = () => `${w[6]! >> 8}.${w[6]! & 255}.${w[7]! >> 8}.${w[7]! & 255}`;
  const zeros = (from: number, to: number) => w.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && w[5] === 0xffff) return tail();
  if (zeros(0, 6) && (w[6] !== 0 || w[7]! > 1)) return tail();
  if (w[0] === 0x64 && w[1] === 0xff9b && zeros(2, 6)) return tail();
  if (w[0] === 0x2002) return `${w[1]! >> 8}.${w[1]! & 255}.${w[2]! >> 8}.${w[2]! & 255}`;
  return null;
}

function inV6Prefix(w: number[], base: number[], prefix: number): boolean {
  for (let bit = 0; bit < prefix; bit += 16) {
    const take = Math.min(16, prefix - bit);
    const mask = (0xffff << (16 - take)) & 0xffff;
    const i = bit / 16;
    if ((w[i]! & mask) !== (base[i]! & mask)) return false;
  }
  return true;
}

function v4ToInt(a: string): number {
  return a.split('.').reduce((n, part) => ((n << 8) | Number(part)) >>> 0, 0);
}

/** Eight 16-bit words of an IPv6 address (zone id dropped), or null. */
export function expandV6(address: string): number[] | null {
  let a = address.replace(/%.*$/, '').toLowerCase();
  if (net.isIP(a) !== 6) return null;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (v4) {
    const n = v4ToInt(v4[1]!);
    a = `${a.slice(0, -v4[1]!.length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = a.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail === undefined ? [] : tail ? tail.split(':') : [];
  const missing = 8 - h.length - t.length;
  const parts = tail === undefined ? h : [...h, ...Array<string>(missing).fill('0'), ...t];
  if (parts.length !== 8) return null;
  return parts.map((p) => parseInt(p, 16));
}
