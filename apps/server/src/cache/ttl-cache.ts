/**
 * A small time-limited cache for hot reference data (API tokens, sessions, categories, users'
 * names and departments). Entries live at most `ttlMs`, so a change made by another instance
 * (a revoked token, a deactivated user) takes effect everywhere within that time; changes made
 * by this instance drop the entry at once. Concurrent misses of one key share one load.
 */
/** The caches' clock; tests that count statements stop it so that nothing expires meanwhile. */
export const cacheClock = { now: (): number => Date.now() };

export class TtlCache<K, V> {
  private readonly entries = new Map<K, { value: V; until: number }>();
  private readonly loading = new Map<K, Promise<V>>();
  /** Bumped by clear(): a load that started before it must not store its (older) answer. */
  private generation = 0;

  constructor(private readonly ttlMs: number, private readonly maxEntries = 10_000) {}

  async get(key: K, load: () => Promise<V>, now = cacheClock.now()): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && hit.until > now) return hit.value;
    const pending = this.loading.get(key);
    if (pending) return pending;
    const generation = this.generation;
    const started = cacheClock.now();
    const promise = load().then((value) => {
      // Null/undefined answers (unknown token …) are not kept: a new row must be seen at once.
      if (value !== null && value !== undefined && generation === this.generation) {
        if (this.entries.size >= this.maxEntries) this.entries.clear();
        // The TTL counts from when the load started: the row may have changed since then.
        this.entries.set(key, { value, until: started + this.ttlMs });
      }
      return value;
    }).finally(() => {
      this.loading.delete(key);
    });
    this.loading.set(key, promise);
    return promise;
  }

  delete(key: K): void {
    this.entries.delete(key);
    this.loading.delete(key);
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
    this.loading.clear();
  }
}

/**
 * One cache per database handle and purpose: tests (and the CLI) open several databases in
 * one process, and an entry must never answer for another database.
 */
export function cachePerDatabase<V>(ttlMs: number, maxEntries?: number) {
  const caches = new WeakMap<object, TtlCache<string, V>>();
  // Writers may hold a transaction handle rather than the database: clearing drops every
  // database's entries of this purpose (changes to reference data are rare).
  const all = new Set<WeakRef<TtlCache<string, V>>>();
  const forDb = (db: object): TtlCache<string, V> => {
    let cache = caches.get(db);
    if (!cache) {
      cache = new TtlCache<string, V>(ttlMs, maxEntries);
      caches.set(db, cache);
      all.add(new WeakRef(cache));
    }
    return cache;
  };
  forDb.clearAll = () => {
    for (const ref of all) {
      const cache = ref.deref();
      if (cache) cache.clear();
      else all.delete(ref);
    }
  };
  return forDb;
}

/** How long cached reference data may lag behind a change made by another instance. */
export const REFERENCE_TTL_MS = 900;
