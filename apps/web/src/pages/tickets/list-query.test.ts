import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, activeFilterCount, parseView, viewToQuery, viewToSearch } from './list-query.js';

describe('ticket list view ↔ URL', () => {
  it('a view survives the round trip through its URL', () => {
    const view = {
      ...DEFAULT_VIEW, q: '异响', status: ['assigned', 'analyzing'], priority: ['P1'], owner: 'me',
      createdFrom: '2026-11-01', createdTo: '2026-11-23', open: true, sort: 'priority' as const, order: 'asc' as const,
    };
    const search = viewToSearch(view);
    expect(parseView(new URLSearchParams(search))).toEqual(view);
  });

  it('the default view is the bare list URL', () => {
    expect(viewToSearch(DEFAULT_VIEW)).toBe('');
    expect(activeFilterCount(DEFAULT_VIEW)).toBe(0);
  });

  it('drops values a hand-edited URL made up', () => {
    const v = parseView(new URLSearchParams('status=assigned,nonsense&priority=P9&sort=title&order=up&createdFrom=yesterday'));
    expect(v.status).toEqual(['assigned']);
    expect(v.priority).toEqual([]);
    expect(v.sort).toBe('createdAt');
    expect(v.order).toBe('desc');
    expect(v.createdFrom).toBe('');
  });

  it('asks the API for whole local days, with an offset', () => {
    const q = viewToQuery({ ...DEFAULT_VIEW, createdFrom: '2026-11-01', createdTo: '2026-11-02', q: '  冰箱 ' });
    expect(q.q).toBe('冰箱');
    expect(q.createdFrom).toMatch(/^2026-11-01T00:00:00[+-]\d{2}:\d{2}$|^2026-11-01T00:00:00Z$/);
    expect(q.createdTo).toMatch(/^2026-11-02T23:59:59/);
    expect(q.open).toBeUndefined();
  });
});
