/**
 * 处理记录: the ticket's history built from its audit events — who, when, what, and for
 * changes the before → after of each field, in the user's language.
 */
import { Empty, Space, Tag, Timeline, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { TicketEvent } from '@closeloop/contract';
import { formatTime } from '../../app/format.js';
import { TimeText } from '../../components/time-text.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const ENUM_FIELDS: Record<string, string> = { status: 'status', priority: 'priority', channel: 'channel', urgency: 'urgency', visibility: 'visibility' };
/** Bookkeeping fields nobody reading the history needs. */
const HIDDEN = new Set(['id', 'version', 'updatedAt', 'ticketId', 'searchText', 'seq', 'hash', 'prevHash']);

export function translateOr(t: TFunction, key: string, fallback: string): string {
  const v = t(key);
  return v === key ? fallback : v;
}

export function formatValue(t: TFunction, key: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return t('common.none');
  if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
  if (typeof v === 'string') {
    const ns = ENUM_FIELDS[key];
    if (ns) return translateOr(t, `${ns}.${v}`, v);
    if (ISO.test(v)) return formatTime(v);
    return v.length > 120 ? `${v.slice(0, 120)}…` : v;
  }
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return v.map((x) => formatValue(t, key, x)).join('、');
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.displayName === 'string') return o.displayName;
    if (typeof o.name === 'string') return o.name;
    if (typeof o.number === 'string') return o.number;
    const s = JSON.stringify(v);
    return s.length > 120 ? `${s.slice(0, 120)}…` : s;
  }
  return String(v);
}

export interface Change { key: string; label: string; before: string; after: string }

/** The fields an event changed, with readable values; unchanged and bookkeeping fields left out. */
export function eventChanges(t: TFunction, e: Pick<TicketEvent, 'before' | 'after'>): Change[] {
  const before = e.before ?? {};
  const after = e.after ?? {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !HIDDEN.has(k));
  return keys
    .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .map((k) => ({
      key: k,
      label: translateOr(t, `field.${k}`, k),
      before: k in before ? formatValue(t, k, before[k]) : '',
      after: formatValue(t, k, after[k]),
    }));
}

const DATA_TEXT = ['reason', 'opinion', 'note', 'comment', 'resolution', 'body', 'filename'];

function eventColor(type: string): string {
  if (/cancel|fail|reject|reopen|escalate/.test(type)) return 'red';
  if (/pass|confirm|close|approve|resolve/.test(type)) return 'green';
  if (/comment/.test(type)) return 'gray';
  return 'blue';
}

export function TicketTimeline({ events, loading }: { events: TicketEvent[]; loading?: boolean }) {
  const { t } = useTranslation();
  if (!loading && !events.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('timeline.empty')} />;
  const items = [...events].sort((a, b) => a.seq - b.seq || a.at.localeCompare(b.at)).map((e) => {
    const changes = eventChanges(t, e);
    const data = e.data ?? {};
    const command = typeof data.command === 'string' ? data.command : undefined;
    const title = translateOr(t, `event.${e.type}`, command ? translateOr(t, `command.${command}`, e.type) : e.type);
    const internal = data.visibility === 'internal';
    return {
      key: e.id,
      color: eventColor(e.type),
      content: (
        <div data-testid="timeline-item" data-type={e.type}>
          <Space size={6} wrap>
            <Typography.Text strong>{title}</Typography.Text>
            {internal ? <Tag color="orange">{t('visibility.internal')}</Tag> : null}
            <Typography.Text type="secondary">{e.actor?.displayName ?? t(`actorKind.${e.actorKind}`)}</Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}><TimeText value={e.at} /></Typography.Text>
          </Space>
          {changes.length ? (
            <ul style={{ margin: '4px 0 0', paddingLeft: 18, color: 'rgba(0,0,0,0.65)' }}>
              {changes.map((c) => (
                <li key={c.key}>{c.label}{t('common.colon')}{c.before ? <><span style={{ textDecoration: 'line-through', opacity: 0.7 }}>{c.before}</span> → </> : null}{c.after}</li>
              ))}
            </ul>
          ) : null}
          {DATA_TEXT.filter((k) => typeof data[k] === 'string' && data[k]).map((k) => (
            <div key={k} style={{ marginTop: 4, whiteSpace: 'pre-wrap', wordBreak: 'break-word', color: 'rgba(0,0,0,0.75)' }}>
              <Typography.Text type="secondary">{translateOr(t, `field.${k}`, k)}{t('common.colon')}</Typography.Text>{String(data[k])}
            </div>
          ))}
        </div>
      ),
    };
  });
  return <Timeline items={items} data-testid="timeline" />;
}
