/**
 * COUNT, SUM and AVG accumulators. SUM and AVG count their inputs so that retracting the last
 * value brings the result back to NULL; DECIMAL sums are exact bigints.
 */
import { decimalDivide } from '../functions/decimal.ts';
import type { Accumulator } from './accumulator.ts';

export class CountAccumulator implements Accumulator {
  count = 0;
  add(): number { this.count++; return 0; }
  retract(): number { this.count--; return 0; }
  merge(o: Accumulator): number { this.count += (o as CountAccumulator).count; return 0; }
  value(): unknown { return this.count; }
  save(): unknown { return this.count; }
  load(s: unknown): void { this.count = s as number; }
}

/** SUM over numbers (integers wrap into their SQL type via `finish`). */
export class SumAccumulator implements Accumulator {
  sum = 0;
  count = 0;
  add(v: unknown): number { this.sum += v as number; this.count++; return 0; }
  retract(v: unknown): number { this.sum -= v as number; this.count--; return 0; }
  merge(o: Accumulator): number { const x = o as SumAccumulator; this.sum += x.sum; this.count += x.count; return 0; }
  value(): unknown { return this.count === 0 ? null : this.sum; }
  save(): unknown { return [this.sum, this.count]; }
  load(s: unknown): void { [this.sum, this.count] = s as [number, number]; }
}

export class DecimalSumAccumulator implements Accumulator {
  sum = 0n;
  count = 0;
  add(v: unknown): number { this.sum += v as bigint; this.count++; return 0; }
  retract(v: unknown): number { this.sum -= v as bigint; this.count--; return 0; }
  merge(o: Accumulator): number { const x = o as DecimalSumAccumulator; this.sum += x.sum; this.count += x.count; return 0; }
  value(): unknown { return this.count === 0 ? null : this.sum; }
  save(): unknown { return [this.sum, this.count]; }
  load(s: unknown): void { [this.sum, this.count] = s as [bigint, number]; }
}

/** AVG over numbers; `integer` truncates like Flink's AVG(INT) -> INT. */
export class AvgAccumulator extends SumAccumulator {
  constructor(private readonly integer: boolean) { super(); }
  override value(): unknown {
    if (this.count === 0) return null;
    return this.integer ? Math.trunc(this.sum / this.count) : this.sum / this.count;
  }
}

/** AVG over DECIMAL(p, s), exact, at the result scale. */
export class DecimalAvgAccumulator extends DecimalSumAccumulator {
  constructor(private readonly inScale: number, private readonly outScale: number) { super(); }
  override value(): unknown {
    return this.count === 0 ? null : decimalDivide(this.sum, this.inScale, BigInt(this.count), 0, this.outScale);
  }
}
