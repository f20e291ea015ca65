/**
 * DISTINCT on any aggregate: a multiset of the values seen; the inner accumulator sees a value
 * when its count goes 0 -> 1 and loses it when the count returns to 0.
 */
import { valueBytes } from './accumulator.ts';
import type { Accumulator } from './accumulator.ts';

export class DistinctAccumulator implements Accumulator {
  private readonly counts = new Map<unknown, number>();
  constructor(private readonly inner: Accumulator) {}

  add(v: unknown, times = 1): number {
    const key = v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v;
    const c = this.counts.get(key);
    this.counts.set(key, (c ?? 0) + times);
    if (c !== undefined) return 0;
    return valueBytes(key) + this.inner.add(v);
  }

  retract(v: unknown): number {
    const key = v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v;
    const c = this.counts.get(key);
    if (c === undefined) return 0;
    if (c > 1) { this.counts.set(key, c - 1); return 0; }
    this.counts.delete(key);
    return -valueBytes(key) + this.inner.retract(v);
  }

  merge(o: Accumulator): number {
    let d = 0;
    for (const [k, c] of (o as DistinctAccumulator).counts) d += this.add(k, c);
    return d;
  }

  value(): unknown { return this.inner.value(); }
  save(): unknown { return [[...this.counts], this.inner.save()]; }
  load(s: unknown): void {
    const [entries, inner] = s as [[unknown, number][], unknown];
    this.counts.clear();
    for (const [k, c] of entries) this.counts.set(k, c);
    this.inner.load(inner);
  }
}
