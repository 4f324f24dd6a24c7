/**
 * An SLA due time as a badge with a live countdown: 「剩余 1小时20分」 (orange once warned),
 * 「已超时 35分」 in red, 「已暂停」 in grey while the ticket waits on the customer. The state
 * comes from the server's clocks; the countdown from the due time, so a clock that passed its
 * due time a moment ago shows red before its breach timer has run.
 */
import { Tag, Tooltip } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SlaClockStatus, TicketSla } from '@closeloop/contract';
import { formatTime } from '../app/format.js';

/** One shared ticking clock per page: every badge re-renders on the same beat. */
const listeners = new Set<(now: number) => void>();
let timer: ReturnType<typeof setInterval> | null = null;
const TICK_MS = 15_000;
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    listeners.add(setNow);
    timer ??= setInterval(() => { const n = Date.now(); for (const l of listeners) l(n); }, TICK_MS);
    return () => {
      listeners.delete(setNow);
      if (!listeners.size && timer) { clearInterval(timer); timer = null; }
    };
  }, []);
  return now;
}

/** Minutes as 「1天3小时」「1小时20分」「35分」 (or 1d 3h / 1h 20m / 35m). */
export function useDuration() {
  const { t } = useTranslation();
  return (ms: number) => {
    const minutes = Math.max(0, Math.floor(ms / 60_000));
    const d = Math.floor(minutes / 1440);
    const h = Math.floor((minutes % 1440) / 60);
    const m = minutes % 60;
    if (d) return h ? t('sla.durationDH', { d, h }) : t('sla.durationD', { d });
    if (h) return t('sla.durationHM', { h, m });
    return t('sla.durationM', { m });
  };
}

export function SlaBadge({ sla, status }: { sla: TicketSla | { dueAt: string | null; state: string | null }; status?: SlaClockStatus }) {
  const { t } = useTranslation();
  const now = useNow();
  const duration = useDuration();
  const state = status ?? sla.state;
  if (state === 'met') return <Tag color="green" data-testid="sla-badge">{t('sla.met')}</Tag>;
  if (state === 'cancelled') return <Tag data-testid="sla-badge">{t('sla.cancelled')}</Tag>;
  if (state === 'paused') return <Tag color="default" data-testid="sla-badge">{t('sla.paused')}</Tag>;
  if (!sla.dueAt || !state) return <span data-testid="sla-badge">—</span>;
  const left = new Date(sla.dueAt).getTime() - now;
  const breached = state === 'breached' || left <= 0;
  const color = breached ? 'red' : state === 'warned' ? 'orange' : 'blue';
  const text = breached ? t('sla.overdueBy', { time: duration(-left) }) : t('sla.left', { time: duration(left) });
  return (
    <Tooltip title={t('sla.dueAt', { time: formatTime(sla.dueAt) })}>
      <Tag color={color} data-testid="sla-badge" style={{ marginInlineEnd: 0 }}>{text}</Tag>
    </Tooltip>
  );
}
