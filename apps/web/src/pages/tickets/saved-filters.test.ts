import { beforeEach, describe, expect, it } from 'vitest';
import { addSavedFilter, loadSavedFilters, removeSavedFilter } from './saved-filters.js';

describe('saved filters', () => {
  beforeEach(() => localStorage.clear());

  it('belong to one user: another user on the same browser does not see them', () => {
    addSavedFilter('u1', '我的P1', 'priority=P1&owner=me');
    expect(loadSavedFilters('u1').map((f) => f.name)).toEqual(['我的P1']);
    expect(loadSavedFilters('u2')).toEqual([]);
  });

  it('saving under an existing name replaces it; deleting removes it', () => {
    addSavedFilter('u1', '待受理', 'status=assigned');
    const [f] = addSavedFilter('u1', '待受理 ', 'status=assigned&owner=me');
    expect(loadSavedFilters('u1')).toHaveLength(1);
    expect(f!.search).toBe('status=assigned&owner=me');
    removeSavedFilter('u1', f!.id);
    expect(loadSavedFilters('u1')).toEqual([]);
  });

  it('a damaged entry in storage does not break the list page', () => {
    localStorage.setItem('closeloop.savedFilters.u1', '{not json');
    expect(loadSavedFilters('u1')).toEqual([]);
    localStorage.setItem('closeloop.savedFilters.u1', JSON.stringify([{ id: 1 }, { id: 'a', name: 'ok', search: 'q=x' }]));
    expect(loadSavedFilters('u1').map((f) => f.name)).toEqual(['ok']);
  });
});
