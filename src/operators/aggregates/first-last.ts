/**
 * FIRST_VALUE and LAST_VALUE in arrival order. The retracting variant keeps the values in order
 * and removes a retracted one, so the answer falls back to the next earliest/latest.
 */
import { valueBytes } from './accumulator.ts';
import type { Accumulator } from './accumulator.ts';

export class FirstLastAccumulator implements Accumulator {
  private values: unknown[] = [];
  constructor(private readonly first: boolean, private readonly retracting: boolean) {}

  add(v: unknown): number {
    if (!this.retracting) {
      if (this.values.length === 0) this.values.push(v);
      else if (!this.first) this.values[0] = v;
      return 0;
    }
    this.values.push(v);
    return valueBytes(v);
  }

  retract(v: unknown): number {
    const i = this.first ? this.values.indexOf(v) : this.values.lastIndexOf(v);
    if (i < 0) return 0;
    this.values.splice(i, 1);
    return -valueBytes(v);
  }

  merge(o: Accumulator): number {
    let d = 0;
    for (const v of (o as FirstLastAccumulator).values) d += this.add(v);
    return d;
  }

  value(): unknown {
    if (this.values.length === 0) return null;
    return this.first ? this.values[0] : this.values[this.values.length - 1];
  }

  save(): unknown { return this.values; }
  load(s: unknown): void { this.values = [...(s as unknown[])]; }
}
