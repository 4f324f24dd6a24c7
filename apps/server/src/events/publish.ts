/**
 * Publishing: a command turns its domain events into outbox rows, one per interested
 * subscriber, written in the command's own transaction, so a subscriber sees exactly the events
 * of committed commands. Every payload is checked against the catalog here. The automation
 * guard lives here too: a subscriber never receives an event its own action caused (directly or
 * further down the chain), and nothing is delivered beyond MAX_AUTOMATION_DEPTH.
 */
import {
  EVENT_PAYLOADS, HUMAN_CAUSE, MAX_AUTOMATION_DEPTH, type DomainEvent, type EventCause, type EventPayload, type EventType,
} from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import { newId } from '../db/util.js';
import { subscriptionsOf } from './subscriptions.js';

export interface EventOrigin {
  actor: Actor;
  at: Date;
  /** How automation led here; people's commands leave it out. */
  cause?: EventCause;
}

/** A new event, its payload validated against the catalog (throws naming the bad field). */
export function domainEvent<T extends EventType>(type: T, payload: EventPayload<T>, origin: EventOrigin): DomainEvent<T> {
  const parsed = EVENT_PAYLOADS[type].safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`event ${type}: payload.${issue?.path.join('.') ?? ''} ${issue?.message ?? 'is invalid'}`);
  }
  return {
    id: newId(origin.at.getTime()),
    type,
    at: origin.at.toISOString(),
    actor: { kind: origin.actor.kind, userId: origin.actor.userId },
    cause: origin.cause ?? HUMAN_CAUSE,
    payload,
  } as DomainEvent<T>;
}

/** The cause a subscriber hands to the commands it issues in reaction to `event`. */
export function causedBy(event: DomainEvent, subscriber: string): EventCause {
  return {
    depth: event.cause.depth + 1,
    automations: event.cause.automations.includes(subscriber)
      ? event.cause.automations : [...event.cause.automations, subscriber],
  };
}

export interface EventOutboxRow {
  id: string;
  kind: 'event';
  payload: { subscriber: string; event: DomainEvent };
  dedupeKey: string;
}

/** Outbox rows delivering the events to their subscribers, after the automation guard. */
export function eventOutboxRows(events: readonly DomainEvent[]): EventOutboxRow[] {
  const rows: EventOutboxRow[] = [];
  for (const event of events) {
    if (event.cause.depth > MAX_AUTOMATION_DEPTH) continue;
    for (const s of subscriptionsOf(event.type)) {
      if (event.cause.automations.includes(s.name)) continue;
      rows.push({
        id: newId(), kind: 'event', payload: { subscriber: s.name, event }, dedupeKey: `${s.name}:${event.id}`,
      });
    }
  }
  return rows;
}
