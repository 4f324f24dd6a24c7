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
const HIDDEN = new Set(['id', 'version', 'updatedAt', 'ticketId', 'searchText', 'seq', 'hash', 'prevHash', 'customerId']);
const CREATED_SUMMARY = ['status', 'priority', 'channel', 'urgency', 'categoryId'];

export function translateOr(t: TFunction, key: string, fallback: string): string {
  const v = t(key);
  return v === key ? fallback : v;
}

/** Names for ids found in events (departments, users, categories); unknown ids stay short. */
export type NameOf = (id: string) => string | undefined;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function formatValue(t: TFunction, key: string, v: unknown, nameOf: NameOf = () => undefined): string {
  if (v === null || v === undefined || v === '') return t('common.none');
  if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
  if (typeof v === 'string') {
    const ns = ENUM_FIELDS[key];
    if (ns) return translateOr(t, `${ns}.${v}`, v);
    if (UUID.test(v)) return nameOf(v) ?? `#${v.slice(-6)}`;
    if (ISO.test(v)) return formatTime(v);
    if (key === 'reason' && /^[a-z_]+$/.test(v)) return translateOr(t, `reasonCode.${v}`, v);
    return v.length > 120 ? `${v.slice(0, 120)}…` : v;
  }
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return v.map((x) => formatValue(t, key, x, nameOf)).join(t('common.listSep'));
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.displayName === 'string') return o.displayName;
    if (typeof o.name === 'string') return o.name;
    if (key === 'analysis' && typeof o.rootCause === 'string') return o.rootCause;
    if (key === 'plan' && typeof o.summary === 'string') {
      return `${o.summary}${t('common.openParen')}${t('timeline.measures', { count: Array.isArray(o.measures) ? o.measures.length : 0 })}${t('common.closeParen')}`;
    }
    if (key === 'acceptance' && typeof o.result === 'string') return translateOr(t, `acceptance.${o.result}`, o.result);
    if (key === 'feedback' && typeof o.rating === 'number') return '★'.repeat(o.rating);
    const parts = Object.entries(o)
      .filter(([, x]) => x !== null && x !== undefined && x !== '' && typeof x !== 'object')
      .map(([k, x]) => `${translateOr(t, `field.${k}`, k)} ${formatValue(t, k, x, nameOf)}`);
    const s = parts.join(t('common.listSep'));
    return s.length > 160 ? `${s.slice(0, 160)}…` : s;
  }
  return String(v);
}

export interface Change { key: string; label: string; before: string; after: string }

/** The fields an event changed, with readable values; unchanged and bookkeeping fields left out. */
export function eventChanges(t: TFunction, e: Pick<TicketEvent, 'type' | 'before' | 'after'>, nameOf: NameOf = () => undefined): Change[] {
  const before = e.before ?? {};
  const after = e.after ?? {};
  // A new ticket's full intake is on the page already; its history line names the essentials.
  const only = e.type === 'ticket.created' ? CREATED_SUMMARY : null;
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((k) => !HIDDEN.has(k) && (!only || only.includes(k)));
  return keys
    .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .map((k) => ({
      key: k,
      label: translateOr(t, `field.${k}`, k),
      before: k in before ? formatValue(t, k, before[k], nameOf) : '',
      after: formatValue(t, k, after[k], nameOf),
    }));
}

const DATA_TEXT = ['reason', 'opinion', 'note', 'comment', 'resolution', 'excerpt', 'filename', 'priorityReason'];

/** What an SLA event says: the clock and its due time, or each recomputed clock's target before → after. */
export function slaLines(t: TFunction, e: Pick<TicketEvent, 'type' | 'data'>): string[] {
  const data = (e.data ?? {}) as Record<string, unknown>;
  if (!e.type.startsWith('sla.')) return [];
  const metric = (m: unknown) => translateOr(t, `sla.${String(m)}`, String(m));
  if (e.type === 'sla.recomputed' && Array.isArray(data.clocks)) {
    return (data.clocks as Array<{ metric: string; before: { targetMinutes: number; dueAt: string } | null; after: { targetMinutes: number; dueAt: string } | null }>)
      .map((c) => `${metric(c.metric)}${t('common.colon')}${c.before ? `${formatTime(c.before.dueAt)} → ` : ''}${c.after ? formatTime(c.after.dueAt) : t('sla.cancelled')}`);
  }
  return typeof data.dueAt === 'string' ? [`${metric(data.metric)}${t('common.colon')}${t('sla.dueAt', { time: formatTime(data.dueAt) })}`] : [];
}

function eventColor(type: string): string {
  if (/breached|escalated/.test(type)) return 'red';
  if (/sla\.warned/.test(type)) return 'orange';
  if (/cancel|fail|reject|reopen|escalate/.test(type)) return 'red';
  if (/pass|confirm|close|approve|resolve/.test(type)) return 'green';
  if (/comment/.test(type)) return 'gray';
  return 'blue';
}

export function TicketTimeline({ events, loading, nameOf }: { events: TicketEvent[]; loading?: boolean; nameOf?: NameOf }) {
  const { t } = useTranslation();
  if (!loading && !events.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('timeline.empty')} />;
  const items = [...events].sort((a, b) => a.seq - b.seq || a.at.localeCompare(b.at)).map((e) => {
    const changes = eventChanges(t, e, nameOf);
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
          {slaLines(t, e).map((line) => (
            <div key={line} style={{ marginTop: 4, color: 'rgba(0,0,0,0.75)' }}>{line}</div>
          ))}
          {DATA_TEXT.filter((k) => typeof data[k] === 'string' && data[k]).map((k) => (
            <div key={k} style={{ marginTop: 4, whiteSpace: 'pre-wrap', wordBreak: 'break-word', color: 'rgba(0,0,0,0.75)' }}>
              <Typography.Text type="secondary">{translateOr(t, `field.${k}`, k)}{t('common.colon')}</Typography.Text>{formatValue(t, k, data[k], nameOf)}
            </div>
          ))}
        </div>
      ),
    };
  });
  return <Timeline items={items} data-testid="timeline" />;
}
