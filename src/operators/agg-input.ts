/**
 * Feeds one input row to a group's accumulators: reads each aggregate's argument and FILTER
 * column once per batch, then per row calls add or retract, skipping NULL arguments (except
 * COUNT(*)) and rows whose FILTER is not TRUE.
 */
import type { Column } from './column.ts';
import type { Accumulator, AggregateFactory } from './aggregates/index.ts';

export class AggregateInput {
  private args: (Column | null)[] = [];
  private filters: (Column | null)[] = [];

  constructor(private readonly factories: readonly AggregateFactory[]) {}

  /** Input columns the aggregates read. */
  columnsUsed(): number[] {
    const s = new Set<number>();
    for (const f of this.factories) {
      if (f.call.arg !== null) s.add(f.call.arg);
      if (f.call.filter !== undefined && f.call.filter !== null) s.add(f.call.filter);
    }
    return [...s];
  }

  bind(cols: readonly (Column | undefined)[]): void {
    this.args = this.factories.map((f) => (f.call.arg === null ? null : (cols[f.call.arg] as Column)));
    this.filters = this.factories.map((f) => (f.call.filter === undefined || f.call.filter === null ? null : (cols[f.call.filter] as Column)));
  }

  create(): Accumulator[] {
    return this.factories.map((f) => f.create());
  }

  /** Applies row `i`; returns the change in estimated state bytes. */
  apply(accs: readonly Accumulator[], i: number, retract: boolean): number {
    let delta = 0;
    for (let a = 0; a < accs.length; a++) {
      const filter = this.filters[a];
      if (filter !== null && ((filter.nulls !== null && filter.nulls[i] === 1) || (filter.values as Uint8Array)[i] !== 1)) continue;
      const col = this.args[a];
      let v: unknown = null;
      if (col !== null) {
        if (col.nulls !== null && col.nulls[i] === 1) continue;
        v = col.type.kind === 'BOOLEAN' ? (col.values as Uint8Array)[i] === 1 : (col.values as ArrayLike<unknown>)[i];
      }
      delta += retract ? accs[a].retract(v) : accs[a].add(v);
    }
    return delta;
  }
}
