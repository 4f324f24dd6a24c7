/**
 * Live progress: an EventSource on a ticket's stream (portal or staff); each `changed` event
 * marks the ticket's queries stale, so the page refetches and shows a staff reply or a status
 * change without a reload. EventSource reconnects by itself (sending Last-Event-ID, so the
 * server replays what was missed); a reconnect refetches too, to be safe.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';

export type StreamState = 'connecting' | 'open' | 'closed';

export function useEventStream(url: string | null, queryKey: readonly unknown[]): StreamState {
  const qc = useQueryClient();
  const [state, setState] = useState<StreamState>('connecting');
  const key = JSON.stringify(queryKey);
  useEffect(() => {
    if (!url || typeof EventSource === 'undefined') return;
    const es = new EventSource(url, { withCredentials: true });
    let opened = false;
    const refresh = () => void qc.invalidateQueries({ queryKey: JSON.parse(key) as unknown[] });
    es.addEventListener('open', () => {
      setState('open');
      if (opened) refresh();
      opened = true;
    });
    es.addEventListener('changed', refresh);
    es.addEventListener('error', () => setState(es.readyState === EventSource.CLOSED ? 'closed' : 'connecting'));
    return () => es.close();
  }, [url, key, qc]);
  return state;
}
