import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('uses the documented defaults', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.host).toBe('127.0.0.1');
    expect(c.dataDir.endsWith('/data')).toBe(true);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.baseUrl).toBe('http://127.0.0.1:3000');
    expect(c.demoData).toBe(true);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://root@localhost/x'],
    ['CLOSELOOP_ADMIN_PASSWORD', 'short'],
    ['CLOSELOOP_BASE_URL', 'not a url'],
    ['CLOSELOOP_DEMO_DATA', 'yes'],
    ['CLOSELOOP_LOG_FORMAT', 'xml'],
    ['CLOSELOOP_STATEMENT_TIMEOUT_MS', '-1'],
    ['CLOSELOOP_REQUEST_TIMEOUT_MS', '0'],
    ['CLOSELOOP_HEADERS_TIMEOUT_MS', 'soon'],
    ['CLOSELOOP_SMTP_URL', 'http://mail.example.com'],
    ['CLOSELOOP_SMTP_URL', 'smtp://'],
    ['CLOSELOOP_MAIL_FROM', 'no address here'],
    ['CLOSELOOP_MAIL_FROM', 'x <a@b.com>\r\nBcc: evil@x.com'],
  ])('stops with a message naming %s when it is %j', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`\\b${name}:`));
  });

  it('turns e-mail on only with a sender, and never prints the SMTP password', () => {
    expect(loadConfig({}).smtpUrl).toBeUndefined();
    const on = loadConfig({ CLOSELOOP_SMTP_URL: 'smtps://u:p@smtp.example.com:465', CLOSELOOP_MAIL_FROM: 'closeloop 售后 <noreply@example.com>' });
    expect(on.smtpUrl).toBe('smtps://u:p@smtp.example.com:465');
    expect(on.mailFrom).toBe('closeloop 售后 <noreply@example.com>');
    expect(loadConfig({ CLOSELOOP_MAIL_FROM: 'noreply@example.com' }).mailFrom).toBe('noreply@example.com');
    let message = '';
    try {
      loadConfig({ CLOSELOOP_SMTP_URL: 'smtp://user:hunter22@smtp.example.com' });
    } catch (err) {
      message = String(err);
    }
    expect(message).toMatch(/CLOSELOOP_MAIL_FROM: is required when CLOSELOOP_SMTP_URL is set/);
    expect(message).not.toContain('hunter22');
  });

  it('never puts the admin password in its message', () => {
    const message = (() => {
      try {
        loadConfig({ CLOSELOOP_ADMIN_PASSWORD: 'secret7', PORT: 'x' });
        return 'no error';
      } catch (err) {
        return String(err);
      }
    })();
    expect(message).toMatch(/CLOSELOOP_ADMIN_PASSWORD/);
    expect(message).not.toContain('secret7');
  });

  it('derives the base URL from host and port, and strips a trailing slash from a given one', () => {
    expect(loadConfig({ HOST: '0.0.0.0', PORT: '8080' }).baseUrl).toBe('http://127.0.0.1:8080');
    expect(loadConfig({ CLOSELOOP_BASE_URL: 'https://kf.example.cn/' }).baseUrl).toBe('https://kf.example.cn');
  });

  it('has timeouts that cut slow clients and long statements by default', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      statementTimeoutMs: 10_000, headersTimeoutMs: 10_000, requestTimeoutMs: 120_000,
      keepAliveTimeoutMs: 72_000, connectionTimeoutMs: 120_000, logFormat: 'auto',
    });
    expect(loadConfig({ CLOSELOOP_STATEMENT_TIMEOUT_MS: '0' }).statementTimeoutMs).toBe(0);
  });

  it('refuses a headers timeout longer than the request timeout, naming the variable', () => {
    expect(() => loadConfig({ CLOSELOOP_HEADERS_TIMEOUT_MS: '5000', CLOSELOOP_REQUEST_TIMEOUT_MS: '4000' }))
      .toThrow(/CLOSELOOP_HEADERS_TIMEOUT_MS: must not exceed CLOSELOOP_REQUEST_TIMEOUT_MS/);
  });
});
