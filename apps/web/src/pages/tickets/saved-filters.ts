/**
 * Saved filters per user. There is no server endpoint for them yet, so they live in this
 * browser's localStorage under a key that includes the user id (another user on the same
 * browser does not see them). Each is a name and the list's URL query.
 */
export interface SavedFilter {
  id: string;
  name: string;
  search: string;
}

const key = (userId: string) => `closeloop.savedFilters.${userId}`;

export function loadSavedFilters(userId: string): SavedFilter[] {
  try {
    const raw = JSON.parse(localStorage.getItem(key(userId)) ?? '[]') as unknown;
    if (!Array.isArray(raw)) return [];
    return raw.filter((f): f is SavedFilter =>
      !!f && typeof f.id === 'string' && typeof f.name === 'string' && typeof f.search === 'string');
  } catch {
    return [];
  }
}

export function storeSavedFilters(userId: string, filters: SavedFilter[]): void {
  localStorage.setItem(key(userId), JSON.stringify(filters.slice(0, 50)));
}

export function addSavedFilter(userId: string, name: string, search: string): SavedFilter[] {
  const trimmed = name.trim();
  const rest = loadSavedFilters(userId).filter((f) => f.name !== trimmed);
  const next = [...rest, { id: `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`, name: trimmed, search }];
  storeSavedFilters(userId, next);
  return next;
}

export function removeSavedFilter(userId: string, id: string): SavedFilter[] {
  const next = loadSavedFilters(userId).filter((f) => f.id !== id);
  storeSavedFilters(userId, next);
  return next;
}
