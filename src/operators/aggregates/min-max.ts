/**
 * MIN and MAX. Over an append-only input one value is enough; over an updating input a retracted
 * minimum must give way to the next one, so the retracting variant keeps the multiset of values
 * (value -> count) and rescans it only when the current extremum leaves.
 */
import { valueBytes } from './accumulator.ts';
import type { Accumulator } from './accumulator.ts';

type Cmp = (a: unknown, b: unknown) => boolean;
const less: Cmp = (a, b) => (a as number) < (b as number);
const greater: Cmp = (a, b) => (a as number) > (b as number);

export class ExtremumAccumulator implements Accumulator {
  private current: unknown = null;
  private readonly better: Cmp;
  constructor(isMin: boolean) { this.better = isMin ? less : greater; }
  add(v: unknown): number {
    if (this.current === null || this.better(v, this.current)) this.current = v;
    return 0;
  }
  retract(): number {
    throw new Error('MIN/MAX without retraction support got a retraction; the plan must use the retracting variant');
  }
  merge(o: Accumulator): number {
    const x = (o as ExtremumAccumulator).current;
    return x === null ? 0 : this.add(x);
  }
  value(): unknown { return this.current; }
  save(): unknown { return this.current; }
  load(s: unknown): void { this.current = s; }
}

export class RetractingExtremumAccumulator implements Accumulator {
  private readonly counts = new Map<unknown, number>();
  private current: unknown = null;
  private readonly better: Cmp;
  constructor(isMin: boolean) { this.better = isMin ? less : greater; }

  add(v: unknown, times = 1): number {
    const key = v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v;
    const c = this.counts.get(key);
    this.counts.set(key, (c ?? 0) + times);
    if (this.current === null || this.better(key, this.current)) this.current = key;
    return c === undefined ? valueBytes(key) : 0;
  }

  retract(v: unknown): number {
    const key = v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v;
    const c = this.counts.get(key);
    if (c === undefined) return 0;
    if (c > 1) { this.counts.set(key, c - 1); return 0; }
    this.counts.delete(key);
    if (key === this.current) this.rescan();
    return -valueBytes(key);
  }

  private rescan(): void {
    let best: unknown = null;
    for (const k of this.counts.keys()) if (best === null || this.better(k, best)) best = k;
    this.current = best;
  }

  merge(o: Accumulator): number {
    let delta = 0;
    for (const [k, c] of (o as RetractingExtremumAccumulator).counts) delta += this.add(k, c);
    return delta;
  }

  value(): unknown { return this.current; }
  save(): unknown { return [...this.counts]; }
  load(s: unknown): void {
    this.counts.clear();
    for (const [k, c] of s as [unknown, number][]) this.counts.set(k, c);
    this.rescan();
  }
}
