import { describe, expect, it } from 'vitest';
import { inlineParams, sqlLiteral } from './client.js';

describe('inlineParams (PGlite simple-protocol statements)', () => {
  it('writes parameters as literals outside quotes and comments only', () => {
    expect(inlineParams("select $1::text, '$2' as q, \"$1\" -- $2\n, $2::int", ["it's", 42]))
      .toBe("select 'it''s'::text, '$2' as q, \"$1\" -- $2\n, 42::int");
    expect(inlineParams('select $10, $1', Array.from({ length: 10 }, (_, i) => i + 1))).toBe('select 10, 1');
  });

  it('quotes what could break out of a literal, and refuses NUL', () => {
    expect(sqlLiteral("x'); drop table tickets; --")).toBe("'x''); drop table tickets; --'");
    expect(sqlLiteral('back\\slash')).toBe("'back\\slash'");
    expect(() => sqlLiteral('a\0b')).toThrow(/NUL/);
  });

  it('turns null, booleans, dates, arrays and objects into PostgreSQL literals', () => {
    expect(sqlLiteral(null)).toBe('NULL');
    expect(sqlLiteral(true)).toBe('true');
    expect(sqlLiteral(new Date('2026-12-01T00:00:00Z'))).toBe("'2026-12-01T00:00:00.000Z'");
    expect(sqlLiteral(['phone', 'a"b', 'c\\d', null])).toBe(`'{"phone","a\\"b","c\\\\d",NULL}'`);
    expect(sqlLiteral({ model: "O'Neil" })).toBe(`'{"model":"O''Neil"}'`);
    expect(() => sqlLiteral(Number.NaN)).toThrow(/finite/);
  });
});
