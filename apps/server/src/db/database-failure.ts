/**
 * Tells a database that cannot answer (down, restarting, unreachable, out of connections, or a
 * statement cancelled by the statement timeout) from every other error, so the error handler can
 * answer 503 with Retry-After (the client may retry) instead of 500 (a bug).
 */

export type DatabaseFailure =
  /** The database cannot be reached or refused the connection: retry shortly. */
  | 'unavailable'
  /** A statement ran past statement_timeout (or was cancelled) and was stopped. */
  | 'timeout'
  /**
   * The transaction lost a race with a concurrent one (serialization failure, deadlock, lock
   * not available) and was rolled back whole: nothing was written, the same request may be sent again.
   */
  | 'contention';

// SQLSTATE classes/codes: 08 connection exception, 57P01 admin_shutdown, 57P02 crash_shutdown,
// 57P03 cannot_connect_now (starting up / shutting down), 53300 too_many_connections.
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '57P05', '53300']);
const TIMEOUT_STATES = new Set(['57014', '25P03']); // query_canceled, idle_in_transaction_session_timeout
// serialization_failure, deadlock_detected, lock_not_available (NOWAIT / lock_timeout)
const CONTENTION_STATES = new Set(['40001', '40P01', '55P03']);
const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  'ECONNABORTED',
]);
// node-postgres and pg-pool say these in words only.
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /is not queryable/,
  /^Client was closed/,
  /^Cannot use a pool after calling end/,
];

function classifyOne(err: unknown): DatabaseFailure | null {
  if (!err || typeof err !== 'object') return null;
  const e = err as { code?: unknown; message?: unknown; errors?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (TIMEOUT_STATES.has(code)) return 'timeout';
  if (CONTENTION_STATES.has(code)) return 'contention';
  if (UNAVAILABLE_STATES.has(code) || code.startsWith('08') || NETWORK_CODES.has(code)) return 'unavailable';
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.some((re) => re.test(e.message as string))) return 'unavailable';
  // A refused connection to a host with several addresses is an AggregateError of each attempt.
  if (Array.isArray(e.errors)) {
    for (const inner of e.errors) {
      const found = classifyOne(inner);
      if (found) return found;
    }
  }
  return null;
}

/** Follows `cause` (Drizzle wraps driver errors in DrizzleQueryError) a few levels deep. */
export function databaseFailure(err: unknown): DatabaseFailure | null {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current; depth++) {
    const found = classifyOne(current);
    if (found) return found;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}
