/**
 * DISTINCT on any aggregate: a multiset of the values seen; the inner accumulator sees a value
 * when its count goes 0 -> 1 and loses it when the count returns to 0.
 *
 * The DISTINCT aggregates of one group over the same column (Nexmark's q15/q16 count distinct
 * bidders four times, under different FILTERs) share one map from value to a count per
 * aggregate (a slot), as Flink's distinct views do: a row costs one lookup for all of them.
 */
import { valueBytes } from './accumulator.ts';
import type { Accumulator } from './accumulator.ts';

/** Value -> count per slot, shared by the DISTINCT aggregates of one group over one column. */
export class DistinctCounts {
  readonly map = new Map<unknown, number[]>();
  constructor(readonly slots: number) {}

  /** The counts of `key`, created (all zero) when absent. */
  entry(key: unknown): number[] {
    let c = this.map.get(key);
    if (c === undefined) {
      c = new Array<number>(this.slots).fill(0);
      this.map.set(key, c);
    }
    return c;
  }
}

/** Map key of a value: byte strings by content. */
export function distinctKey(v: unknown): unknown {
  return v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('latin1') : v;
}

export class DistinctAccumulator implements Accumulator {
  constructor(private readonly inner: Accumulator, readonly store: DistinctCounts = new DistinctCounts(1), readonly slot = 0) {}

  add(v: unknown, times = 1): number {
    const key = distinctKey(v);
    return this.addTo(this.store.entry(key), key, v, times);
  }

  retract(v: unknown): number {
    const key = distinctKey(v);
    const c = this.store.map.get(key);
    return c === undefined ? 0 : this.retractFrom(c, key, v);
  }

  /** `add` with the value's counts already looked up. */
  addTo(counts: number[], key: unknown, v: unknown, times = 1): number {
    const before = counts[this.slot];
    counts[this.slot] = before + times;
    if (before !== 0) return 0;
    return valueBytes(key) + this.inner.add(v);
  }

  /** `retract` with the value's counts already looked up. */
  retractFrom(counts: number[], key: unknown, v: unknown): number {
    const c = counts[this.slot];
    if (c === 0) return 0;
    counts[this.slot] = c - 1;
    if (c > 1) return 0;
    if (counts.every((x) => x === 0)) this.store.map.delete(key);
    return -valueBytes(key) + this.inner.retract(v);
  }

  merge(o: Accumulator): number {
    const other = o as DistinctAccumulator;
    let d = 0;
    for (const [k, c] of other.store.map) if (c[other.slot] > 0) d += this.add(k, c[other.slot]);
    return d;
  }

  value(): unknown { return this.inner.value(); }

  save(): unknown {
    const entries: [unknown, number][] = [];
    for (const [k, c] of this.store.map) if (c[this.slot] > 0) entries.push([k, c[this.slot]]);
    return [entries, this.inner.save()];
  }

  load(s: unknown): void {
    const [entries, inner] = s as [[unknown, number][], unknown];
    for (const c of this.store.map.values()) c[this.slot] = 0;
    for (const [k, c] of entries) this.store.entry(k)[this.slot] = c;
    for (const [k, c] of this.store.map) if (c.every((x) => x === 0)) this.store.map.delete(k);
    this.inner.load(inner);
  }
}
