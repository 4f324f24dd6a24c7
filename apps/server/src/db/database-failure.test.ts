import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it } from 'vitest';
import { databaseFailure } from './database-failure.js';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('databaseFailure', () => {
  it.each([
    ['admin shutdown (restart)', pgError('57P01', 'terminating connection due to administrator command')],
    ['crash shutdown', pgError('57P02')],
    ['cannot connect now (starting up)', pgError('57P03', 'the database system is starting up')],
    ['too many connections', pgError('53300')],
    ['a connection exception class 08', pgError('08006')],
    ['connection refused', pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['connection reset', pgError('ECONNRESET', 'read ECONNRESET')],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    ['a pool wait that timed out', new Error('timeout exceeded when trying to connect')],
    ['a broken client', new Error('Client has encountered a connection error and is not queryable')],
    ['refused on every address', new AggregateError([pgError('ECONNREFUSED'), pgError('ECONNREFUSED')], '')],
    ['a driver error wrapped by Drizzle', new DrizzleQueryError('select 1', [], pgError('57P01'))],
  ])('calls %s unavailable', (_name, err) => {
    expect(databaseFailure(err)).toBe('unavailable');
  });

  it('calls a cancelled statement (statement_timeout) a timeout, wrapped or not', () => {
    expect(databaseFailure(pgError('57014', 'canceling statement due to statement timeout'))).toBe('timeout');
    expect(databaseFailure(new DrizzleQueryError('select pg_sleep(9)', [], pgError('57014')))).toBe('timeout');
  });

  it.each([
    ['a serialization failure', pgError('40001', 'could not serialize access due to concurrent update')],
    ['a deadlock', pgError('40P01', 'deadlock detected')],
    ['a lock not available', new DrizzleQueryError('select 1 for update nowait', [], pgError('55P03'))],
  ])('calls %s contention (retryable, nothing written)', (_name, err) => {
    expect(databaseFailure(err)).toBe('contention');
  });

  it.each([
    ['a unique violation', pgError('23505')],
    ['a syntax error', pgError('42601')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['not an error', 'boom'],
    ['nothing', undefined],
  ])('leaves %s alone (a 500 or its own mapping)', (_name, err) => {
    expect(databaseFailure(err)).toBeNull();
  });
});
