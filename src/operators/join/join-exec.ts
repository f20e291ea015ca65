/**
 * JoinExec: a regular (unbounded) equi-join, INNER, LEFT, RIGHT or FULL, over append-only or
 * updating inputs, as Flink's StreamingJoinOperator computes it.
 *
 * Each side keeps its rows per join key. A row arriving on one side is matched against the
 * other side's rows with the same key, then filtered by the residual (non-equi) condition:
 *   +I / +U  emits +I(this, other) per match; on an outer side without a match, +I(this, NULL);
 *            an outer other-side row that had no match until now first retracts its NULL-padded
 *            row with -D(NULL, other).
 *   -U / -D  emits -D(this, other) per match (or -D(this, NULL)); an outer other-side row that
 *            loses its last match gets +I(NULL, other) back.
 * Output rows are +I and -D only (Flink's), so the output is a retract changelog; an inner join
 * of two append-only inputs is append-only and carries no `$row_kind` column.
 *
 * An upsert input (+I/+U/-D by a unique key, no -U) names that key: a new row for a unique key
 * first retracts the row it replaces, and a -D retracts the stored row of its key.
 *
 * State grows with the rows of both inputs and is freed only by retractions: it is bounded by
 * `stateBytesMax` (a ResourcesExhaustedError past it).
 */
import type { RecordBatch } from 'apache-arrow';
import type { ColumnDef } from '../arrow-types.ts';
import { scalarAt } from '../column.ts';
import type { Column } from '../column.ts';
import { InvalidPlanError, ResourcesExhaustedError } from '../errors.ts';
import type { PhysicalExpr } from '../expr/ir.ts';
import { GroupKeyReader } from '../group-key.ts';
import type { GroupKey } from '../group-key.ts';
import type { StreamMessage } from '../message.ts';
import { checkColumn } from '../operator-base.ts';
import { ROW_KIND_COLUMN, RowKind } from '../row-kind.ts';
import { RowsBuilder } from '../rows-builder.ts';
import { decodeState, encodeState } from '../state/codec.ts';
import { stateTtl } from '../state/ttl.ts';
import type { Clock, StateTtl } from '../state/ttl.ts';
import { JoinCondition } from './join-condition.ts';
import { JoinedOutput, dataColumnCount, outerSides } from './joined-output.ts';
import type { JoinType } from './joined-output.ts';
import { keyHasNull, readColumns, rowAt, rowBytes, sameRow } from './join-rows.ts';
import { TwoInputExec } from './two-input-exec.ts';

export type { JoinType } from './joined-output.ts';

export interface JoinOptions {
  readonly joinType: JoinType;
  /** Equi-join key columns of each input, pairwise equal (same SQL type kinds). */
  readonly leftKeys: readonly number[];
  readonly rightKeys: readonly number[];
  /** Residual condition over the joined row (left columns, then right columns), or null. */
  readonly condition: PhysicalExpr | null;
  /** Unique (upsert) key columns of an input that emits upserts, or null. */
  readonly leftUniqueKey?: readonly number[] | null;
  readonly rightUniqueKey?: readonly number[] | null;
  readonly stateBytesMax: number;
  readonly batchRowsMax?: number;
  /**
   * Leading columns of each input that appear in the output (default: all data columns); the
   * rest are join keys computed for the join only.
   */
  readonly outputColumnCounts?: readonly [number, number];
  /** State TTL: a join key's rows on one side are dropped this long after the key's last write there. */
  readonly stateTtlMs?: number | null;
  readonly clock?: Clock;
}

/** One stored row and how many rows of the other side it currently joins with. */
export interface Entry {
  readonly row: unknown[];
  matches: number;
}

/** One input's rows by join key (and, for upsert inputs, by unique key). */
export class SideState {
  readonly byKey = new Map<GroupKey, Entry[]>();
  readonly byUnique = new Map<GroupKey, { key: GroupKey; entry: Entry }>();
  rows = 0;

  add(key: GroupKey, entry: Entry, unique: GroupKey | null): void {
    const list = this.byKey.get(key);
    if (list === undefined) this.byKey.set(key, [entry]);
    else list.push(entry);
    if (unique !== null) this.byUnique.set(unique, { key, entry });
    this.rows++;
  }

  /** Removes `entry` (by identity) or the first row equal to `row`; returns what it removed. */
  remove(key: GroupKey, row: readonly unknown[], entry: Entry | null): Entry | null {
    const list = this.byKey.get(key);
    if (list === undefined) return null;
    const at = entry !== null ? list.indexOf(entry) : list.findIndex((e) => sameRow(e.row, row));
    if (at < 0) return null;
    const [removed] = list.splice(at, 1);
    if (list.length === 0) this.byKey.delete(key);
    this.rows--;
    return removed;
  }
}

/** Per-pair work of one batch: the input row of each candidate pair and the stored entry. */
interface Pairs {
  rows: number[];
  entries: Entry[];
}

export class JoinExec extends TwoInputExec {
  readonly name = 'JoinExec';
  readonly outputColumns: readonly ColumnDef[];
  private readonly dataCounts: [number, number];
  private readonly outCounts: readonly [number, number];
  private readonly rowKindAt: [number, number];
  private readonly keyReaders: [GroupKeyReader, GroupKeyReader];
  private readonly uniqueReaders: [GroupKeyReader | null, GroupKeyReader | null];
  private readonly keys: [readonly number[], readonly number[]];
  private readonly outer: [boolean, boolean];
  private readonly state: [SideState, SideState] = [new SideState(), new SideState()];
  private readonly ttl: [StateTtl<GroupKey> | null, StateTtl<GroupKey> | null];
  private readonly condition: JoinCondition | null;
  private readonly output: JoinedOutput;
  private readonly out: RowsBuilder;
  private readonly updating: boolean;
  private readonly batchRowsMax: number;
  /** Retractions of rows the state did not hold (e.g. expired upstream); counted, output still retracted. */
  retractionsUnmatched = 0;

  constructor(private readonly inputs: readonly [readonly ColumnDef[], readonly ColumnDef[]], private readonly options: JoinOptions) {
    super();
    if (!(options.stateBytesMax > 0)) throw new InvalidPlanError('INVALID_PLAN', `${this.name}: stateBytesMax must be positive`);
    if (options.leftKeys.length !== options.rightKeys.length) throw new InvalidPlanError('INVALID_PLAN', `${this.name}: ${options.leftKeys.length} left keys but ${options.rightKeys.length} right keys`);
    this.rowKindAt = [inputs[0].findIndex((c) => c.name === ROW_KIND_COLUMN), inputs[1].findIndex((c) => c.name === ROW_KIND_COLUMN)];
    this.dataCounts = [dataColumnCount(inputs[0]), dataColumnCount(inputs[1])];
    this.keys = [options.leftKeys, options.rightKeys];
    this.keys.forEach((ks, s) => ks.forEach((k) => checkColumn(this.name, inputs[s].slice(0, this.dataCounts[s]), k, 'a join key')));
    this.keyReaders = [
      new GroupKeyReader(options.leftKeys, inputs[0].map((c) => c.type)),
      new GroupKeyReader(options.rightKeys, inputs[1].map((c) => c.type)),
    ];
    const uniques = [options.leftUniqueKey ?? null, options.rightUniqueKey ?? null];
    this.uniqueReaders = [0, 1].map((s) => (uniques[s] === null ? null : new GroupKeyReader(uniques[s] as number[], inputs[s].map((c) => c.type)))) as [GroupKeyReader | null, GroupKeyReader | null];
    this.outer = outerSides(options.joinType);
    this.ttl = [stateTtl<GroupKey>(options.stateTtlMs, options.clock), stateTtl<GroupKey>(options.stateTtlMs, options.clock)];
    this.outCounts = options.outputColumnCounts ?? this.dataCounts;
    this.updating = this.outer[0] || this.outer[1] || this.rowKindAt[0] >= 0 || this.rowKindAt[1] >= 0
      || (options.leftUniqueKey ?? null) !== null || (options.rightUniqueKey ?? null) !== null;
    this.output = new JoinedOutput(inputs, this.outCounts, options.joinType, this.updating);
    this.out = this.output.rows;
    this.outputColumns = this.output.columns;
    this.condition = options.condition === null ? null : new JoinCondition(options.condition, this.output.joined);
    this.batchRowsMax = options.batchRowsMax ?? 8192;
  }

  protected onBatch(side: number, batch: RecordBatch, out: StreamMessage[]): void {
    const other = 1 - side;
    const now = this.expire();
    const n = batch.numRows;
    const cols = readColumns(batch, this.inputs[side], this.dataCounts[side]);
    const kinds = this.rowKindAt[side] >= 0 ? (batch.data.children[this.rowKindAt[side]].values as Int8Array) : null;
    const reader = this.keyReaders[side];
    reader.bind(cols);
    const unique = this.uniqueReaders[side];
    unique?.bind(cols);
    // Candidate pairs against the other side, whose state this batch does not change.
    const pairs: Pairs = { rows: [], entries: [] };
    const keyOf = new Array<GroupKey | null>(n);
    const otherState = this.state[other];
    for (let i = 0; i < n; i++) {
      const key = keyHasNull(cols, this.keys[side], i) ? null : reader.keyAt(i);
      keyOf[i] = key;
      if (key === null) continue;
      const list = otherState.byKey.get(key);
      if (list === undefined) continue;
      for (const e of list) { pairs.rows.push(i); pairs.entries.push(e); }
    }
    const pass = this.testPairs(side, cols, pairs);
    let p = 0;
    for (let i = 0; i < n; i++) {
      const start = p;
      while (p < pairs.rows.length && pairs.rows[p] === i) p++;
      const matched: Entry[] = [];
      for (let q = start; q < p; q++) if (pass === null || pass[q] === 1) matched.push(pairs.entries[q]);
      const kind = kinds === null ? RowKind.INSERT : kinds[i];
      const row = rowAt(cols, i);
      const key = keyOf[i];
      if (unique !== null) {
        // An upsert: the new row replaces the stored row of its unique key; -D only deletes it.
        const u = unique.keyAt(i);
        const previous = this.state[side].byUnique.get(u);
        if (previous !== undefined) {
          this.state[side].byUnique.delete(u);
          this.retract(side, previous.key, previous.entry.row, previous.entry, this.matchesOf(side, previous.key, previous.entry.row));
        }
        if (kind === RowKind.DELETE) { if (previous === undefined) this.retractionsUnmatched++; }
        else this.accumulate(side, key, row, matched, u, now);
      } else if (kind === RowKind.INSERT || kind === RowKind.UPDATE_AFTER) {
        this.accumulate(side, key, row, matched, null, now);
      } else {
        this.retract(side, key, row, null, matched);
      }
      if (this.out.length >= this.batchRowsMax) this.emitRows(this.out, out);
    }
    this.emitRows(this.out, out);
  }

  /** Residual condition over the candidate pairs, or null when every pair passes. */
  private testPairs(side: number, cols: readonly Column[], pairs: Pairs): Uint8Array | null {
    if (this.condition === null || pairs.rows.length === 0) return null;
    const nLeft = this.outCounts[0];
    return this.condition.test(pairs.rows.length, (c, q) => {
      const fromLeft = c < nLeft;
      const col = fromLeft ? c : c - nLeft;
      if ((side === 0) === fromLeft) {
        const column = cols[col];
        const i = pairs.rows[q];
        return scalarAt(column, i);
      }
      return pairs.entries[q].row[col];
    });
  }

  /** The other side's entries a stored row of `side` matches now (for upsert replacements). */
  private matchesOf(side: number, key: GroupKey | null, row: readonly unknown[]): Entry[] {
    if (key === null) return [];
    const list = this.state[1 - side].byKey.get(key);
    if (list === undefined) return [];
    if (this.condition === null) return [...list];
    const nLeft = this.outCounts[0];
    const pass = this.condition.test(list.length, (c, q) => {
      const fromLeft = c < nLeft;
      const col = fromLeft ? c : c - nLeft;
      return (side === 0) === fromLeft ? row[col] : list[q].row[col];
    });
    return list.filter((_, q) => pass[q] === 1);
  }

  /** Drops the rows of keys idle for the state TTL (without output, as Flink does); returns the time. */
  private expire(): number {
    const now = this.ttl[0]?.now() ?? 0;
    this.ttl.forEach((ttl, s) => ttl?.expire(now, (key) => {
      const st = this.state[s];
      for (const e of st.byKey.get(key) ?? []) {
        this.bytes -= rowBytes(e.row);
        st.rows--;
      }
      st.byKey.delete(key);
    }));
    return now;
  }

  private accumulate(side: number, key: GroupKey | null, row: unknown[], matched: readonly Entry[], unique: GroupKey | null, now: number): void {
    const otherOuter = this.outer[1 - side];
    if (matched.length === 0) {
      if (this.outer[side]) this.emit(side, row, null, RowKind.INSERT);
    } else {
      for (const e of matched) {
        if (otherOuter && e.matches === 0) this.emit(1 - side, e.row, null, RowKind.DELETE);
        e.matches++;
        this.emit(side, row, e.row, RowKind.INSERT);
      }
    }
    // A row whose key is NULL can never match; an outer side still had its padded row emitted.
    if (key === null && unique === null) return;
    this.state[side].add(key ?? NULL_KEY, { row, matches: matched.length }, unique);
    this.ttl[side]?.touch(key ?? NULL_KEY, now);
    this.grow(rowBytes(row));
  }

  private retract(side: number, key: GroupKey | null, row: readonly unknown[], entry: Entry | null, matched: readonly Entry[]): void {
    const removed = this.state[side].remove(key ?? NULL_KEY, row, entry);
    if (removed === null) {
      if (key !== null) this.retractionsUnmatched++;
    } else {
      this.bytes -= rowBytes(removed.row);
    }
    const otherOuter = this.outer[1 - side];
    if (matched.length === 0) {
      if (this.outer[side]) this.emit(side, row, null, RowKind.DELETE);
      return;
    }
    for (const e of matched) {
      this.emit(side, row, e.row, RowKind.DELETE);
      e.matches--;
      if (otherOuter && e.matches === 0) this.emit(1 - side, e.row, null, RowKind.INSERT);
    }
  }

  /** Writes the joined row of `row` (from `side`) and `other` (or NULLs) with `kind`. */
  private emit(side: number, row: readonly unknown[], other: readonly unknown[] | null, kind: number): void {
    if (side === 0) this.output.write(row, other, kind);
    else this.output.write(other, row, kind);
  }

  private grow(delta: number): void {
    this.bytes += delta;
    if (this.bytes > this.options.stateBytesMax) {
      throw new ResourcesExhaustedError(this.name, 'stateBytesMax',
        `state reached ${this.bytes} bytes with ${this.state[0].rows} left and ${this.state[1].rows} right rows, over stateBytesMax=${this.options.stateBytesMax}; raise the limit or set a state TTL`);
    }
  }

  override snapshotState(): Uint8Array {
    const side = (s: SideState): [GroupKey, unknown[], number, GroupKey | null][] => {
      const uniqueOf = new Map<Entry, GroupKey>();
      for (const [u, v] of s.byUnique) uniqueOf.set(v.entry, u);
      const rows: [GroupKey, unknown[], number, GroupKey | null][] = [];
      for (const [key, list] of s.byKey) for (const e of list) rows.push([key, e.row, e.matches, uniqueOf.get(e) ?? null]);
      return rows;
    };
    return encodeState({
      v: 1, wm: this.watermarkMs, bytes: this.bytes, unmatched: this.retractionsUnmatched, left: side(this.state[0]), right: side(this.state[1]),
      ttl: this.ttl.map((t) => (t === null ? null : [t.save(), t.expiredKeys])),
    });
  }

  override restoreState(bytes: Uint8Array): void {
    type Saved = [GroupKey, unknown[], number, GroupKey | null][];
    const s = decodeState(bytes) as { wm: number; bytes: number; unmatched: number; left: Saved; right: Saved; ttl?: ([[GroupKey, number][], number] | null)[] };
    this.watermarkMs = s.wm;
    this.bytes = s.bytes;
    this.retractionsUnmatched = s.unmatched;
    [s.left, s.right].forEach((saved, i) => {
      const st = new SideState();
      for (const [key, row, matches, unique] of saved) st.add(key, { row, matches }, unique);
      this.state[i] = st;
      const saved2 = s.ttl?.[i];
      if (saved2 !== null && saved2 !== undefined) this.ttl[i]?.load(saved2[0], saved2[1]);
    });
  }

  display(): string {
    const name = (s: number, k: number): string => this.inputs[s][k].name;
    const keys = this.options.leftKeys.map((k, i) => `${name(0, k)} = ${name(1, this.options.rightKeys[i])}`).join(', ');
    const input = (s: number): string => (this.uniqueReaders[s] !== null ? 'upsert' : this.rowKindAt[s] >= 0 ? 'updating' : 'append-only');
    return `JoinExec: type=${this.options.joinType} keys=[${keys}]${this.condition === null ? '' : ' residual'} left=${input(0)} right=${input(1)} stateBytesMax=${this.options.stateBytesMax}`;
  }
}

/** Stored rows whose join key is NULL (upsert rows that must be found again by unique key). */
const NULL_KEY = '\u0000null-key';
