import { describe, expect, it } from 'vitest';
import { PORTAL_STATUSES, PORTAL_STATUS_LABELS, PORTAL_TIMELINE_KINDS, type PortalTimelineEntry } from '@closeloop/contract';
import zhCN from '../../locales/zh-CN.json';
import enUS from '../../locales/en-US.json';
import { conversation, openRequest, stepIndex } from './portal-status.js';

const e = (kind: PortalTimelineEntry['kind'], body: string | null = null, by: 'you' | 'service' = 'service'): PortalTimelineEntry =>
  ({ id: `${kind}-${body}`, kind, at: '2026-12-02T10:00:00Z', by, body });

describe('portal status wording', () => {
  it('every status and timeline kind has customer words in both languages, the contract\'s labels', () => {
    for (const s of PORTAL_STATUSES) {
      expect(zhCN.portal.status[s]).toBe(PORTAL_STATUS_LABELS['zh-CN'][s]);
      expect(enUS.portal.status[s]).toBe(PORTAL_STATUS_LABELS['en-US'][s]);
    }
    for (const k of PORTAL_TIMELINE_KINDS) {
      expect(zhCN.portal.timeline[k]).toBeTruthy();
      expect(enUS.portal.timeline[k]).toBeTruthy();
    }
  });
  it('places waiting for information on the handling step, confirmation one further', () => {
    expect(stepIndex('needs_info')).toBe(stepIndex('in_progress'));
    expect(stepIndex('awaiting_confirmation')).toBe(stepIndex('in_progress') + 1);
    expect(stepIndex('done')).toBe(4);
  });
});

describe('conversation and open request', () => {
  const timeline = [e('submitted', null, 'you'), e('handling'), e('reply', '您好，已收到'), e('info_requested', '请补充购买日期'), e('closed')];
  it('keeps what was written, leaves progress out', () => {
    expect(conversation(timeline).map((x) => x.kind)).toEqual(['reply', 'info_requested']);
  });
  it('the request stays open until the customer writes', () => {
    expect(openRequest(timeline)?.body).toBe('请补充购买日期');
    expect(openRequest([...timeline, e('your_message', '2026-10-01', 'you')])).toBeNull();
  });
});
