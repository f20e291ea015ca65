/**
 * A group's aggregate state (`AggState`) and how input rows reach it: the aggregates' argument and
 * FILTER columns are taken apart once per batch; rows skip NULL arguments (except COUNT(*)) and
 * FILTERs that are not TRUE.
 *
 * DISTINCT aggregates over the same column share one distinct-value store per group
 * (aggregates/distinct.ts; Flink's distinct views): a row's FILTERs become a mask of the
 * aggregates that see it, the value is looked up once for all of them, and only the aggregates
 * whose view changed (first sighting, last retraction) feed their inner accumulator.
 *
 * `apply` feeds one row (per-row changelog, windows); `applyRows` folds a whole batch whose rows
 * were already assigned to groups, in a loop generated for the aggregates (`compileFold`).
 */
import type { ColumnDef } from './arrow-types.ts';
import type { Column } from './column.ts';
import { CountAccumulator, distinctStore, SLOTS_MAX } from './aggregates/index.ts';
import type { Accumulator, AggregateFactory, DistinctStore } from './aggregates/index.ts';

/** One group's aggregates: an accumulator per aggregate (a DISTINCT one's inner accumulator), and a store per distinct set. */
export interface AggState {
  readonly accs: Accumulator[];
  readonly distinct: DistinctStore[];
}

type FoldFn = (
  states: readonly (AggState | undefined)[], kinds: Int8Array | null, n: number,
  A: readonly (ArrayLike<unknown> | null)[], AN: readonly (Uint8Array | null)[], FV: readonly (Uint8Array | null)[], FN: readonly (Uint8Array | null)[],
) => number;

/** DISTINCT aggregates reading one column, in one store: member `s` is slot `s` (bit `1 << s`). */
interface DistinctSet {
  readonly arg: number;
  readonly kind: string;
  readonly members: readonly number[];
}

export class AggregateInput {
  // The bound columns taken apart per aggregate, so the per-row loops read arrays, not objects.
  private argValues: (ArrayLike<unknown> | null)[] = [];
  private argNulls: (Uint8Array | null)[] = [];
  private argBool: boolean[] = [];
  private filterValues: (Uint8Array | null)[] = [];
  private filterNulls: (Uint8Array | null)[] = [];
  /** Aggregates fed one by one (all but the DISTINCT ones with an argument). */
  private readonly plain: readonly number[];
  private readonly sets: readonly DistinctSet[];
  /** Per aggregate: its accumulator is a COUNT (the batch fold adds to `count` directly). */
  private readonly counts: readonly boolean[];
  /** `applyRows`, generated for these aggregates. */
  private readonly fold: FoldFn;
  /** Per aggregate: its argument is BOOLEAN (read as 0/1, passed as a boolean). */
  private readonly argIsBool: readonly boolean[];

  constructor(private readonly factories: readonly AggregateFactory[], inputColumns: readonly ColumnDef[], private readonly retracting: boolean) {
    const byArg = new Map<number, number[]>();
    const sets: DistinctSet[] = [];
    factories.forEach((f, a) => {
      if (f.call.distinct !== true || f.call.arg === null) return;
      const list = byArg.get(f.call.arg) ?? [];
      list.push(a);
      byArg.set(f.call.arg, list);
    });
    for (const [arg, members] of byArg) {
      for (let s = 0; s < members.length; s += SLOTS_MAX) sets.push({ arg, kind: inputColumns[arg].type.kind, members: members.slice(s, s + SLOTS_MAX) });
    }
    this.sets = sets;
    const shared = new Set(sets.flatMap((s) => s.members));
    this.plain = factories.map((_, a) => a).filter((a) => !shared.has(a));
    this.counts = factories.map((f) => f.call.fn === 'COUNT' || f.call.fn === 'COUNT_STAR');
    this.argIsBool = factories.map((f) => f.call.arg !== null && inputColumns[f.call.arg].type.kind === 'BOOLEAN');
    this.fold = this.compileFold();
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
    const args = this.factories.map((f) => (f.call.arg === null ? null : (cols[f.call.arg] as Column)));
    const filters = this.factories.map((f) => (f.call.filter === undefined || f.call.filter === null ? null : (cols[f.call.filter] as Column)));
    this.argValues = args.map((c) => (c === null ? null : (c.values as ArrayLike<unknown>)));
    this.argNulls = args.map((c) => c?.nulls ?? null);
    this.argBool = args.map((c) => c !== null && c.type.kind === 'BOOLEAN');
    this.filterValues = filters.map((c) => (c === null ? null : (c.values as Uint8Array)));
    this.filterNulls = filters.map((c) => c?.nulls ?? null);
  }

  create(): AggState {
    const accs = this.factories.map((f) => (f.call.distinct === true && f.call.arg !== null ? f.createInner() : f.create()));
    return { accs, distinct: this.sets.map((s) => distinctStore(s.kind, s.members.length, this.retracting)) };
  }

  /** Estimated bytes of the state's distinct stores. */
  distinctBytes(st: AggState): number {
    let b = 0;
    for (const d of st.distinct) b += d.bytes;
    return b;
  }

  /** Results, one per aggregate. */
  values(st: AggState): unknown[] {
    return st.accs.map((a) => a.value());
  }

  save(st: AggState): unknown {
    return [st.accs.map((a) => a.save()), st.distinct.map((d) => d.save())];
  }

  load(saved: unknown): AggState {
    const [accs, distinct] = saved as [unknown[], unknown[]];
    const st = this.create();
    st.accs.forEach((a, i) => a.load(accs[i]));
    st.distinct.forEach((d, i) => d.load(distinct[i]));
    return st;
  }

  /** Folds `from` into `into` (merging sessions); returns the change in estimated state bytes. */
  merge(into: AggState, from: AggState): number {
    let delta = 0;
    for (const a of this.plain) delta += into.accs[a].merge(from.accs[a]);
    this.sets.forEach((set, s) => {
      const store = into.distinct[s];
      from.distinct[s].forEach((v, mask, count) => {
        const b = store.bytes;
        let fresh = 0;
        for (let slot = 0; slot < set.members.length; slot++) if ((mask & (1 << slot)) !== 0) fresh |= store.add(v, 1 << slot, count(slot));
        delta += store.bytes - b + this.feed(set, into.accs, fresh, v, false);
      });
    });
    return delta;
  }

  /** Applies row `i`; returns the change in estimated state bytes. */
  apply(st: AggState, i: number, retract: boolean): number {
    let delta = 0;
    const plain = this.plain, accs = st.accs;
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
    for (let s = 0; s < this.sets.length; s++) {
      const set = this.sets[s];
      let mask = 0;
      for (let m = 0; m < set.members.length; m++) if (this.passes(set.members[m], i)) mask |= 1 << m;
      const first = set.members[0];
      const nulls = this.argNulls[first];
      if (mask === 0 || (nulls !== null && nulls[i] === 1)) continue;
      const values = this.argValues[first] as ArrayLike<unknown>;
      const v = this.argBool[first] ? values[i] === 1 : values[i];
      const store = st.distinct[s];
      const b = store.bytes;
      const changed = retract ? store.retract(v, mask) : store.add(v, mask);
      delta += store.bytes - b;
      if (changed !== 0) delta += this.feed(set, accs, changed, v, retract);
    }
    return delta;
  }

  /**
   * Applies rows 0..n-1 of the bound batch, row `i` to `states[i]` (undefined: skipped), retracting
   * rows whose kind (`kinds`, null for append-only) is -U or -D. Returns the change in estimated
   * state bytes.
   */
  applyRows(states: readonly (AggState | undefined)[], kinds: Int8Array | null, n: number): number {
    return this.fold(states, kinds, n, this.argValues, this.argNulls, this.filterValues, this.filterNulls);
  }

  /**
   * The batch fold as one generated loop over rows, the aggregates unrolled in it: a row's group
   * state is visited once (not once per aggregate), COUNTs are an add to a field, FILTERs and
   * NULL checks are inline, and every accumulator call site sees one class.
   */
  private compileFold(): FoldFn {
    const out: string[] = [];
    const used = new Set<number>();
    const passes = (a: number): string => {
      used.add(a);
      const parts: string[] = [];
      if (this.factories[a].call.filter !== undefined && this.factories[a].call.filter !== null) parts.push(`fv${a}[i] === 1 && (fn${a} === null || fn${a}[i] === 0)`);
      return parts.join(' && ');
    };
    const notNull = (a: number): string => (this.factories[a].call.arg === null ? '' : `(an${a} === null || an${a}[i] === 0)`);
    const value = (a: number): string => (this.factories[a].call.arg === null ? 'null' : this.argIsBool[a] ? `av${a}[i] === 1` : `av${a}[i]`);
    const feedOne = (a: number, v: string): string => (this.counts[a] ? `accs[${a}].count += r ? -1 : 1;` : `d += r ? accs[${a}].retract(${v}) : accs[${a}].add(${v});`);
    for (const a of this.plain) {
      const cond = [passes(a), notNull(a)].filter((c) => c !== '').join(' && ');
      const body = this.counts[a] ? feedOne(a, '') : `{ const v = ${value(a)}; ${feedOne(a, 'v')} }`;
      out.push(cond === '' ? body : `if (${cond}) ${body}`);
    }
    this.sets.forEach((set, s) => {
      let all = 0;
      const filtered: string[] = [];
      set.members.forEach((a, m) => {
        const cond = passes(a);
        if (cond === '') all |= 1 << m;
        else filtered.push(`if (${cond}) mask |= ${1 << m};`);
      });
      const first = set.members[0];
      const fed = set.members.map((a, m) => `if ((ch & ${1 << m}) !== 0) ${feedOne(a, 'v')}`).join(' ');
      const guard = [`mask !== 0`, notNull(first)].filter((c) => c !== '').join(' && ');
      out.push(`{ let mask = ${all}; ${filtered.join(' ')}
        if (${guard}) {
          const v = ${value(first)}; const store = st.distinct[${s}]; const b = store.bytes;
          const ch = r ? store.retract(v, mask) : store.add(v, mask);
          d += store.bytes - b;
          if (ch !== 0) { ${fed} }
        } }`);
      used.add(first);
    });
    const hoist = [...used].map((a) => `const av${a} = A[${a}], an${a} = AN[${a}], fv${a} = FV[${a}], fn${a} = FN[${a}];`);
    const source = `${hoist.join('\n')}
      let d = 0;
      for (let i = 0; i < n; i++) {
        const st = states[i];
        if (st === undefined) continue;
        const r = kinds !== null && (kinds[i] & 1) === 1;
        const accs = st.accs;
        ${out.join('\n')}
      }
      return d;`;
    return new Function('states', 'kinds', 'n', 'A', 'AN', 'FV', 'FN', source) as FoldFn;
  }

  /** Feeds `v` to the inner accumulators of the set's members in `changed`. */
  private feed(set: DistinctSet, accs: readonly Accumulator[], changed: number, v: unknown, retract: boolean): number {
    let delta = 0;
    for (let m = 0; changed !== 0; m++, changed >>>= 1) {
      if ((changed & 1) === 0) continue;
      const a = set.members[m];
      if (this.counts[a]) (accs[a] as CountAccumulator).count += retract ? -1 : 1;
      else delta += retract ? accs[a].retract(v) : accs[a].add(v);
    }
    return delta;
  }

  private passes(a: number, i: number): boolean {
    const values = this.filterValues[a];
    if (values === null) return true;
    const nulls = this.filterNulls[a];
    return (nulls === null || nulls[i] === 0) && values[i] === 1;
  }
}
