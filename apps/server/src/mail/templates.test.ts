import { describe, expect, it } from 'vitest';
import { NOTIFICATION_KINDS } from '@closeloop/contract';
import { EMAIL_TEMPLATES, escapeHtml, formatTime, oneLine, parseEmailData, renderEmail } from './templates.js';

const LINK = 'https://closeloop.example.com/tickets/0193a1b2-0000-7000-8000-000000000001';

describe('e-mail templates', () => {
  it('has a template for every notification kind a user can switch', () => {
    for (const kind of NOTIFICATION_KINDS) expect(Object.keys(EMAIL_TEMPLATES)).toContain(kind);
  });

  it('renders an SLA breach in Chinese with China time and the link, and in English', () => {
    const data = { number: 'SH-20261202-0007', title: '空调不制冷', metric: 'resolution', dueAt: '2026-12-02T06:30:00.000Z' };
    const zh = renderEmail({ kind: 'sla_breach', data, locale: 'zh-CN', link: LINK });
    expect(zh.subject).toBe('【SLA 超时】工单 SH-20261202-0007 的解决已超时');
    expect(zh.text).toContain('工单「空调不制冷」的解决时限已于 2026-12-02 14:30（北京时间）到期');
    expect(zh.text).toContain(`立即处理：${LINK}`);
    expect(zh.html).toContain('<html lang="zh-CN">');
    const en = renderEmail({ kind: 'sla_breach', data, locale: 'en-US', link: LINK });
    expect(en.subject).toBe('[SLA breached] Ticket SH-20261202-0007: resolution is overdue');
    expect(en.text).toContain('was due at 2026-12-02 14:30 (China time)');
    expect(en.text).toContain(`Handle it now: ${LINK}`);
  });

  it('says which escalation level it is from the second one on', () => {
    const data = { number: 'SH-1', title: 't', metric: 'first_response', dueAt: '2026-12-02T01:00:00Z' };
    expect(renderEmail({ kind: 'sla_level2', data, locale: 'zh-CN', link: null }).subject).toBe('【超时升级】工单 SH-1：t');
    expect(renderEmail({ kind: 'sla_level2', data: { ...data, level: 2 }, locale: 'zh-CN', link: null }).subject)
      .toBe('【超时升级 2 级】工单 SH-1：t');
  });

  it('escapes what people wrote in HTML and keeps the subject on one line', () => {
    const title = '<script>alert(1)</script>\r\nBcc: evil@x.com';
    const m = renderEmail({ kind: 'ticket_assigned', data: { number: 'SH-1', title, by: '"王" & <李>' }, locale: 'zh-CN', link: LINK });
    expect(m.subject).toBe('【待受理】工单 SH-1 已分派给您：<script>alert(1)</script> Bcc: evil@x.com');
    expect(m.html).not.toContain('<script>');
    expect(m.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(m.html).toContain('&quot;王&quot; &amp; &lt;李&gt;');
  });

  it('leaves the link out when there is no ticket', () => {
    const m = renderEmail({ kind: 'notice', data: { title: '系统维护通知', body: '今晚 22:00 升级。' }, locale: 'zh-CN', link: null });
    expect(m.subject).toBe('系统维护通知');
    expect(m.text).not.toContain('http');
    expect(m.html).not.toContain('<a ');
  });

  it('refuses data that does not fit the template, naming the field', () => {
    expect(() => parseEmailData('sla_warn', { number: 'SH-1', title: 't', metric: 'resolution', dueAt: 'tomorrow' }))
      .toThrow(/sla_warn is invalid at dueAt/);
    expect(() => parseEmailData('no_such_kind', {})).toThrow(/no e-mail template for kind "no_such_kind"/);
  });

  it('flattens control characters and escapes HTML specials', () => {
    expect(oneLine('a\r\n\tb\u2028c\u0000d')).toBe('a b c d');
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(formatTime('2026-12-31T16:05:00Z', 'zh-CN')).toBe('2027-01-01 00:05（北京时间）');
  });
});
