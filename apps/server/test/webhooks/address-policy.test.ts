/** The SSRF address checks, pure: every refused form, the allow-list, and properties over whole ranges. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockedReason, checkWebhookUrl } from '../../src/webhooks/address-policy.js';
import { dingTalkSignedUrl } from '../../src/webhooks/render-delivery.js';
import { createHmac } from 'node:crypto';

const refused = (url: string, allow: string[] = []) => {
  const v = checkWebhookUrl(url, allow);
  return v.ok ? null : v.reason;
};

describe('webhook target URLs', () => {
  it.each([
    ['http://127.0.0.1/hook', /loopback/],
    ['http://2130706433/', /127\.0\.0\.1 \(loopback/],
    ['http://0x7f.1/', /127\.0\.0\.1 \(loopback/],
    ['http://017700000001/', /127\.0\.0\.1 \(loopback/],
    ['http://0.0.0.0:8080/', /this network/],
    ['http://10.1.2.3/', /private/],
    ['http://172.16.0.1/', /private/],
    ['http://172.31.255.255/', /private/],
    ['http://192.168.1.10/', /private/],
    ['http://100.64.0.1/', /carrier-grade NAT/],
    ['http://169.254.169.254/latest/meta-data/', /link-local/],
    ['http://[::1]/', /loopback/],
    ['http://[::]/', /unspecified/],
    ['http://[::ffff:127.0.0.1]/', /loopback, as IPv6/],
    ['http://[::ffff:7f00:1]/', /loopback, as IPv6/],
    ['http://[::ffff:10.0.0.1]/', /private, as IPv6/],
    ['http://[64:ff9b::a9fe:a9fe]/', /link-local, as IPv6/],
    ['http://[fd12:3456::1]/', /unique-local/],
    ['http://[fc00::1]/', /unique-local/],
    ['http://[fe80::1]/', /link-local/],
    ['ftp://example.com/', /scheme ftp: is not allowed/],
    ['file:///etc/passwd', /scheme file: is not allowed/],
    ['gopher://example.com/', /scheme gopher: is not allowed/],
    ['http://user:pw@example.com/', /user name or password/],
    ['not a url', /not a valid URL/],
  ])('refuses %s', (url, why) => {
    expect(refused(url)).toMatch(why);
  });

  it('lets public addresses and names through (names are checked again once resolved)', () => {
    expect(refused('https://oapi.dingtalk.com/robot/send?access_token=x')).toBeNull();
    expect(refused('http://93.184.216.34/')).toBeNull();
    expect(refused('http://[2606:4700::1111]/')).toBeNull();
    expect(refused('http://172.32.0.1/')).toBeNull();
  });

  it('lets an allow-listed host through, and only that host', () => {
    expect(refused('http://127.0.0.1:9000/hook', ['127.0.0.1'])).toBeNull();
    expect(refused('http://2130706433:9000/hook', ['127.0.0.1'])).toBeNull();
    expect(refused('http://127.0.0.2:9000/hook', ['127.0.0.1'])).toMatch(/loopback/);
    expect(refused('http://[::1]/', ['::1'])).toBeNull();
    expect(refused('ftp://127.0.0.1/', ['127.0.0.1'])).toMatch(/scheme/);
  });

  const octet = fc.integer({ min: 0, max: 255 });
  it('refuses every address of the private, loopback and link-local IPv4 ranges, also IPv4-mapped', () => {
    const inRange = fc.oneof(
      fc.tuple(fc.constant(10), octet, octet, octet),
      fc.tuple(fc.constant(127), octet, octet, octet),
      fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), octet, octet),
      fc.tuple(fc.constant(192), fc.constant(168), octet, octet),
      fc.tuple(fc.constant(169), fc.constant(254), octet, octet),
      fc.tuple(fc.constant(100), fc.integer({ min: 64, max: 127 }), octet, octet),
    );
    fc.assert(fc.property(inRange, (parts) => {
      const a = parts.join('.');
      expect(blockedReason(a)).not.toBeNull();
      expect(blockedReason(`::ffff:${a}`)).not.toBeNull();
      // The number forms a URL may spell it in resolve to the same refused address.
      const n = parts.reduce((x, p) => x * 256 + p, 0);
      expect(refused(`http://${n}/`)).not.toBeNull();
      expect(refused(`http://0x${n.toString(16)}/`)).not.toBeNull();
    }));
  });

  it('refuses every fc00::/7 and fe80::/10 address', () => {
    const word = fc.integer({ min: 0, max: 0xffff });
    fc.assert(fc.property(fc.integer({ min: 0xfc00, max: 0xfdff }), fc.array(word, { minLength: 7, maxLength: 7 }), (first, rest) => {
      expect(blockedReason([first, ...rest].map((w) => w.toString(16)).join(':'))).toMatch(/unique-local/);
    }));
    fc.assert(fc.property(fc.integer({ min: 0xfe80, max: 0xfebf }), fc.array(word, { minLength: 7, maxLength: 7 }), (first, rest) => {
      expect(blockedReason([first, ...rest].map((w) => w.toString(16)).join(':'))).toMatch(/link-local/);
    }));
  });
});

describe('DingTalk signed URL', () => {
  it('adds timestamp and sign = base64(HMAC-SHA256(secret, timestamp\\nsecret)), URL-encoded', () => {
    const secret = 'SEC0123456789abcdef';
    const url = dingTalkSignedUrl('https://oapi.dingtalk.com/robot/send?access_token=abc', secret, 1700000000000);
    const u = new URL(url);
    expect(u.searchParams.get('access_token')).toBe('abc');
    expect(u.searchParams.get('timestamp')).toBe('1700000000000');
    const expected = createHmac('sha256', secret).update(`1700000000000\n${secret}`).digest('base64');
    expect(u.searchParams.get('sign')).toBe(expected);
    // The raw query carries the percent-encoded form (+, / and = of base64 never appear bare).
    expect(url).toContain(`sign=${encodeURIComponent(expected).replace(/%20/g, '+')}`);
  });
});
