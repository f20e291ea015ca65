/**
 * Feeds one input row to a group's accumulators: reads each aggregate's argument and FILTER
 * column once per batch, then per row calls add or retract, skipping NULL arguments (except
 * COUNT(*)) and rows whose FILTER is not TRUE.
 *
 * DISTINCT aggregates over the same column share one value -> counts map per group
 * (`DistinctCounts`): the row's value is looked up once for all of them.
 */
import type { Column } from './column.ts';
import { DistinctCounts, distinctKey } from './aggregates/index.ts';
import type { Accumulator, AggregateFactory, DistinctAccumulator } from './aggregates/index.ts';

/** DISTINCT aggregates reading one column: their indexes, each one's slot is its position here. */
interface DistinctSet {
  readonly arg: number;
  readonly members: readonly number[];
}

export class AggregateInput {
  private args: (Column | null)[] = [];
  private filters: (Column | null)[] = [];
  // The bound columns taken apart per aggregate, so the per-row loop reads arrays, not objects.
  private argValues: (ArrayLike<unknown> | null)[] = [];
  private argNulls: (Uint8Array | null)[] = [];
  private argBool: boolean[] = [];
  private filterValues: (Uint8Array | null)[] = [];
  private filterNulls: (Uint8Array | null)[] = [];
  /** Aggregates fed one by one (everything but shared DISTINCT sets). */
  private readonly plain: readonly number[];
  private readonly sets: readonly DistinctSet[];

  constructor(private readonly factories: readonly AggregateFactory[]) {
    const byArg = new Map<number, number[]>();
    factories.forEach((f, a) => {
      if (f.call.distinct !== true || f.call.arg === null || f.createDistinct === undefined) return;
      const list = byArg.get(f.call.arg) ?? [];
      list.push(a);
      byArg.set(f.call.arg, list);
    });
    this.sets = [...byArg].filter(([, m]) => m.length > 1).map(([arg, members]) => ({ arg, members }));
    const shared = new Set(this.sets.flatMap((s) => s.members));
    this.plain = factories.map((_, a) => a).filter((a) => !shared.has(a));
  }

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
    this.argValues = this.args.map((c) => (c === null ? null : (c.values as ArrayLike<unknown>)));
    this.argNulls = this.args.map((c) => c?.nulls ?? null);
    this.argBool = this.args.map((c) => c !== null && c.type.kind === 'BOOLEAN');
    this.filterValues = this.filters.map((c) => (c === null ? null : (c.values as Uint8Array)));
    this.filterNulls = this.filters.map((c) => c?.nulls ?? null);
  }

  create(): Accumulator[] {
    const accs = this.factories.map((f) => f.create());
    for (const s of this.sets) {
      const store = new DistinctCounts(s.members.length);
      s.members.forEach((a, slot) => {
        accs[a] = (this.factories[a].createDistinct as NonNullable<AggregateFactory['createDistinct']>)(store, slot);
      });
    }
    return accs;
  }

  /** Applies row `i`; returns the change in estimated state bytes. */
  apply(accs: readonly Accumulator[], i: number, retract: boolean): number {
    let delta = 0;
    const plain = this.plain;
    for (let p = 0; p < plain.length; p++) {
      const a = plain[p];
      if (!this.passes(a, i)) continue;
      const values = this.argValues[a];
      let v: unknown = null;
      if (values !== null) {
        const nulls = this.argNulls[a];
        if (nulls !== null && nulls[i] === 1) continue;
        v = this.argBool[a] ? values[i] === 1 : values[i];
      }
      delta += retract ? accs[a].retract(v) : accs[a].add(v);
    }
    for (let s = 0; s < this.sets.length; s++) delta += this.applySet(this.sets[s], accs, i, retract);
    return delta;
  }

  private passes(a: number, i: number): boolean {
    const values = this.filterValues[a];
    if (values === null) return true;
    const nulls = this.filterNulls[a];
    return (nulls === null || nulls[i] === 0) && values[i] === 1;
  }

  private applySet(set: DistinctSet, accs: readonly Accumulator[], i: number, retract: boolean): number {
    const members = set.members;
    const first = members[0];
    const nulls = this.argNulls[first];
    if (nulls !== null && nulls[i] === 1) return 0;
    const values = this.argValues[first] as ArrayLike<unknown>;
    const v = this.argBool[first] ? values[i] === 1 : values[i];
    const key = distinctKey(v);
    const store = (accs[members[0]] as DistinctAccumulator).store;
    let counts = store.map.get(key);
    let delta = 0;
    for (let m = 0; m < members.length; m++) {
      const a = members[m];
      if (!this.passes(a, i)) continue;
      const acc = accs[a] as DistinctAccumulator;
      if (retract) {
        if (counts !== undefined) delta += acc.retractFrom(counts, key, v);
      } else {
        counts ??= store.entry(key);
        delta += acc.addTo(counts, key, v);
      }
    }
    return delta;
  }
}
