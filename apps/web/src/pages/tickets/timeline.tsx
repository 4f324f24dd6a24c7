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

type PathRef = { path?: string };

/** What routing events add to the history: a rule's changes, tags suggested or decided. */
export function routingLines(t: TFunction, e: Pick<TicketEvent, 'type' | 'data' | 'after'>, nameOf: NameOf): string[] {
  const data = (e.data ?? {}) as Record<string, unknown>;
  const paths = (v: unknown) => (Array.isArray(v) ? (v as PathRef[]).map((x) => x.path ?? '').filter(Boolean).join(t('common.listSep')) : '');
  if (e.type === 'ticket.rule_fired') {
    const c: Record<string, unknown> = Object.assign({}, data.changes);
    // Priority and category changes are in the event's before → after already.
    for (const k of Object.keys(e.after ?? {})) delete c[k];
    const lines: string[] = [];
    const one = (key: string, label: string, v: unknown) => {
      if (v !== undefined && v !== null) lines.push(`${label}${t('common.colon')}${formatValue(t, key, v, nameOf)}`);
    };
    one('departmentId', t('field.department'), c.departmentId);
    one('skillGroupId', t('rules.group'), c.skillGroupId);
    one('ownerId', t('field.owner'), c.ownerId);
    one('priority', t('field.priority'), c.priority);
    one('categoryId', t('field.category'), c.categoryId);
    one('tagIds', t('tags.title'), c.tagIds);
    one('slaPolicyId', t('rules.actionTypes.setSlaPolicy'), c.slaPolicyId);
    one('watcherIds', t('rules.actionTypes.addWatchers'), c.watcherIds);
    one('notifyUserIds', t('rules.actionTypes.notify'), c.notifyUserIds);
    if (c.stop) lines.push(t('rules.actionTypes.stop'));
    return lines;
  }
  if (e.type === 'ticket.tags_suggested') return [paths(data.tags)].filter(Boolean);
  if (e.type === 'ticket.tags_decided') {
    return ([['confirmed', t('tags.decidedConfirmed')], ['removed', t('tags.decidedRemoved')], ['added', t('tags.decidedAdded')]] as const)
      .map(([k, label]) => (paths(data[k]) ? `${label}${t('common.colon')}${paths(data[k])}` : '')).filter(Boolean);
  }
  return [];
}

const DATA_TEXT = ['reason', 'opinion', 'note', 'comment', 'resolution', 'excerpt', 'filename', 'priorityReason', 'customerWords'];

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
    const title = e.type === 'ticket.rule_fired' && typeof data.name === 'string'
      ? t('rules.fired', { name: data.name })
      : e.type === 'ticket.tags_suggested' ? t('tags.eventSuggested')
      : e.type === 'ticket.tags_decided' ? t('tags.eventDecided')
      : translateOr(t, `followup.events.${e.type}`, translateOr(t, `event.${e.type}`, command ? translateOr(t, `command.${command}`, e.type) : e.type));
    const routing = routingLines(t, e, nameOf ?? (() => undefined));
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
          {routing.length ? (
            <ul style={{ margin: '4px 0 0', paddingLeft: 18, color: 'rgba(0,0,0,0.65)' }} data-testid="timeline-routing">
              {routing.map((line) => <li key={line}>{line}</li>)}
            </ul>
          ) : null}
          {DATA_TEXT.filter((k) => typeof data[k] === 'string' && data[k] && !(e.type === 'ticket.assigned' && k === 'reason' && String(data[k]).startsWith('rule:'))).map((k) => (
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
