/**
 * State time-to-live for operators that keep per-key state without a time bound (group
 * aggregation, Top-N, deduplication, regular joins): Flink's `table.exec.state.ttl`, Confluent
 * Cloud's `sql.state-ttl`. A key's state expires `ttlMs` of processing time after it was last
 * written (Flink's OnCreateAndWrite), and is then dropped without emitting anything: a later row
 * for that key starts from empty state, exactly as in Flink.
 *
 * The tracker keeps keys in a Map in the order they were last touched (a touch moves the key to
 * the end), so expiry walks from the front and stops at the first live key: O(1) amortized per
 * touch, no timers, no sorting. The clock is injectable so tests need not wait.
 *
 * @example
 *   const ttl = new StateTtl<GroupKey>(3_600_000);
 *   const now = ttl.now();                       // once per batch
 *   ttl.expire(now, (key) => groups.delete(key));
 *   ttl.touch(key, now);                         // for every key written
 */
export type Clock = () => number;

export class StateTtl<K> {
  private readonly touched = new Map<K, number>();
  /** Keys dropped because they expired, for metrics. */
  expiredKeys = 0;

  constructor(readonly ttlMs: number, private readonly clock: Clock = Date.now) {
    if (!(ttlMs > 0)) throw new RangeError(`state TTL must be positive, got ${ttlMs} ms`);
  }

  now(): number {
    return this.clock();
  }

  /** Records a write of `key` at `nowMs`. */
  touch(key: K, nowMs: number): void {
    this.touched.delete(key);
    this.touched.set(key, nowMs);
  }

  /** Stops tracking a key whose state the operator dropped itself. */
  forget(key: K): void {
    this.touched.delete(key);
  }

  /** Calls `evict` for every key not written for `ttlMs` before `nowMs`; returns how many. */
  expire(nowMs: number, evict: (key: K) => void): number {
    const limit = nowMs - this.ttlMs;
    let n = 0;
    for (const [key, at] of this.touched) {
      if (at > limit) break;
      this.touched.delete(key);
      evict(key);
      n++;
    }
    this.expiredKeys += n;
    return n;
  }

  get size(): number {
    return this.touched.size;
  }

  /** The last write of `key`, if tracked. */
  timeOf(key: K): number | undefined {
    return this.touched.get(key);
  }

  /** Tracked keys, least recently written first. */
  keys(): IterableIterator<K> {
    return this.touched.keys();
  }

  /** Last-write times in touch order, for a snapshot. */
  save(): [K, number][] {
    return [...this.touched];
  }

  load(entries: readonly (readonly [K, number])[], expiredKeys = 0): void {
    this.touched.clear();
    for (const [k, at] of entries) this.touched.set(k, at);
    this.expiredKeys = expiredKeys;
  }
}

/** A tracker when `ttlMs` is set and positive, else null (state kept forever). */
export function stateTtl<K>(ttlMs: number | null | undefined, clock?: Clock): StateTtl<K> | null {
  return ttlMs === null || ttlMs === undefined || ttlMs <= 0 ? null : new StateTtl<K>(ttlMs, clock);
}
