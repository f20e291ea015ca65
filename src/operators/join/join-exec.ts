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
 * `stateBytesMax` (a ResourcesExhaustedError past it). Rows are kept encoded (join-state.ts) and
 * decoded when a match needs them. Checkpoints go through the state changelog
 * (`changelog`: rows added and removed since the previous checkpoint) when the runtime uses one,
 * else `snapshotState` writes the whole state, binary.
 */
import type { RecordBatch } from 'apache-arrow';
import type { ColumnDef } from '../arrow-types.ts';
import { scalarAt } from '../column.ts';
import type { Column } from '../column.ts';
import { ExecutionError, InvalidPlanError, ResourcesExhaustedError } from '../errors.ts';
import type { PhysicalExpr } from '../expr/ir.ts';
import { GroupKeyReader } from '../group-key.ts';
import type { GroupKey } from '../group-key.ts';
import type { StreamMessage } from '../message.ts';
import { checkColumn } from '../operator-base.ts';
import { ROW_KIND_COLUMN, RowKind } from '../row-kind.ts';
import { RowsBuilder } from '../rows-builder.ts';
import { decodeState, encodeState } from '../state/codec.ts';
import type { StateChangelog } from '../state/changelog.ts';
import { ByteReader, ByteWriter } from '../state/row-store.ts';
import { stateTtl } from '../state/ttl.ts';
import type { Clock, StateTtl } from '../state/ttl.ts';
import { JoinCondition } from './join-condition.ts';
import { JoinedOutput, dataColumnCount, outerSides } from './joined-output.ts';
import type { JoinType } from './joined-output.ts';
import { keyHasNull, readColumns, rowAt } from './join-rows.ts';
import { SideState, applyJoinChanges } from './join-state.ts';
import type { Entry } from './join-state.ts';
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
  private state: [SideState, SideState];
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
    this.state = this.freshState();
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
    const otherSide = this.state[other];
    const pass = this.testPairs(side, cols, pairs, otherSide);
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
          const stored = this.state[side].row(previous.entry);
          this.retract(side, previous.key, stored, previous.entry, this.matchesOf(side, previous.key, stored));
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
  private testPairs(side: number, cols: readonly Column[], pairs: Pairs, otherSide: SideState): Uint8Array | null {
    if (this.condition === null || pairs.rows.length === 0) return null;
    const nLeft = this.outCounts[0];
    const decoded = new Array<unknown[] | undefined>(pairs.rows.length);
    return this.condition.test(pairs.rows.length, (c, q) => {
      const fromLeft = c < nLeft;
      const col = fromLeft ? c : c - nLeft;
      if ((side === 0) === fromLeft) {
        const column = cols[col];
        const i = pairs.rows[q];
        return scalarAt(column, i);
      }
      const row = decoded[q] ?? (decoded[q] = otherSide.row(pairs.entries[q]));
      return row[col];
    });
  }

  /** The other side's entries a stored row of `side` matches now (for upsert replacements). */
  private matchesOf(side: number, key: GroupKey | null, row: readonly unknown[]): Entry[] {
    if (key === null) return [];
    const otherSide = this.state[1 - side];
    const list = otherSide.byKey.get(key);
    if (list === undefined) return [];
    if (this.condition === null) return [...list];
    const nLeft = this.outCounts[0];
    const rows = list.map((e) => otherSide.row(e));
    const pass = this.condition.test(list.length, (c, q) => {
      const fromLeft = c < nLeft;
      const col = fromLeft ? c : c - nLeft;
      return (side === 0) === fromLeft ? row[col] : rows[q][col];
    });
    return list.filter((_, q) => pass[q] === 1);
  }

  /** Drops the rows of keys idle for the state TTL (without output, as Flink does); returns the time. */
  private expire(): number {
    const now = this.ttl[0]?.now() ?? 0;
    this.ttl.forEach((ttl, s) => ttl?.expire(now, (key) => this.state[s].removeKey(key)));
    this.bytes = this.state[0].bytes() + this.state[1].bytes();
    return now;
  }

  private accumulate(side: number, key: GroupKey | null, row: unknown[], matched: readonly Entry[], unique: GroupKey | null, now: number): void {
    const otherOuter = this.outer[1 - side];
    const otherSide = this.state[1 - side];
    if (matched.length === 0) {
      if (this.outer[side]) this.emit(side, row, null, RowKind.INSERT);
    } else {
      for (const e of matched) {
        const stored = otherSide.row(e);
        if (otherOuter && e.matches === 0) this.emit(1 - side, stored, null, RowKind.DELETE);
        e.matches++;
        otherSide.touched(e);
        this.emit(side, row, stored, RowKind.INSERT);
      }
    }
    // A row whose key is NULL can never match; an outer side still had its padded row emitted.
    if (key === null && unique === null) return;
    this.grow(this.state[side].add(key ?? NULL_KEY, row, matched.length, unique));
    this.ttl[side]?.touch(key ?? NULL_KEY, now);
  }

  private retract(side: number, key: GroupKey | null, row: readonly unknown[], entry: Entry | null, matched: readonly Entry[]): void {
    const removed = this.state[side].remove(key ?? NULL_KEY, row, entry);
    if (removed === null) {
      if (key !== null) this.retractionsUnmatched++;
    } else {
      this.bytes = this.state[0].bytes() + this.state[1].bytes();
    }
    const otherOuter = this.outer[1 - side];
    if (matched.length === 0) {
      if (this.outer[side]) this.emit(side, row, null, RowKind.DELETE);
      return;
    }
    const otherSide = this.state[1 - side];
    for (const e of matched) {
      const stored = otherSide.row(e);
      this.emit(side, row, stored, RowKind.DELETE);
      e.matches--;
      otherSide.touched(e);
      if (otherOuter && e.matches === 0) this.emit(1 - side, stored, null, RowKind.INSERT);
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

  private freshState(): [SideState, SideState] {
    return [new SideState(0, this.outer[0]), new SideState(1, this.outer[1])];
  }

  /** What is not rows: watermark, counters, id counters, TTL times (JSON). */
  private meta(): Uint8Array {
    return encodeState({
      v: CHANGELOG_VERSION, wm: this.watermarkMs, unmatched: this.retractionsUnmatched, next: [this.state[0].nextId, this.state[1].nextId],
      ttl: this.ttl.map((t) => (t === null ? null : [t.save(), t.expiredKeys])),
    });
  }

  private restoreMeta(bytes: Uint8Array): void {
    const s = decodeState(bytes) as { v: number; wm: number; unmatched: number; next: [number, number]; ttl?: ([[GroupKey, number][], number] | null)[] };
    if (s.v !== CHANGELOG_VERSION) {
      throw new ExecutionError('STATE_CORRUPT', `${this.name}: the checkpoint's join state has version ${s.v}, this build reads ${CHANGELOG_VERSION} (version 2 was a development layout of 22 Nov 2026 with fixed-width lengths): resubmit the statement to start it without that checkpoint`);
    }
    this.watermarkMs = s.wm;
    this.retractionsUnmatched = s.unmatched;
    this.state = this.freshState();
    this.bytes = 0;
    this.state.forEach((st, i) => {
      st.restored(s.next[i]);
      const saved = s.ttl?.[i];
      if (saved !== null && saved !== undefined) this.ttl[i]?.load(saved[0], saved[1]);
    });
  }

  private applyChange(record: Buffer): void {
    applyJoinChanges(record, this.state);
    this.bytes = this.state[0].bytes() + this.state[1].bytes();
  }

  /** Incremental checkpoints: rows added and removed per key since the previous checkpoint. */
  readonly changelog: StateChangelog = {
    snapshotMeta: () => this.meta(),
    restoreMeta: (bytes) => this.restoreMeta(bytes),
    takeChanges: (full) => concat(this.state[0].takeChanges(full), this.state[1].takeChanges(full)),
    applyChange: (record) => this.applyChange(record),
    liveBytes: () => this.state[0].store.liveBytes + this.state[1].store.liveBytes,
  };

  /**
   * The whole state, binary (no changelog in use): the meta snapshot, then every row as
   * changelog records, each length-prefixed.
   */
  override snapshotState(): Uint8Array {
    const w = new ByteWriter();
    w.u8(SNAPSHOT_MAGIC);
    w.bytes(this.meta());
    for (const st of this.state) for (const rec of st.all()) w.bytes(rec);
    return w.take();
  }

  override restoreState(bytes: Uint8Array): void {
    if (bytes[0] === 0x7b) {
      this.restoreJson(bytes);
      return;
    }
    if (bytes[0] !== SNAPSHOT_MAGIC) throw new ExecutionError('STATE_CORRUPT', `${this.name}: a binary join snapshot of format ${bytes[0]}, this build reads ${SNAPSHOT_MAGIC}: resubmit the statement to start it without that checkpoint`);
    const r = new ByteReader(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 1);
    this.restoreMeta(r.bytes());
    while (!r.done) {
      const n = r.varint();
      this.applyChange(r.buf.subarray(r.pos, r.pos + n));
      r.pos += n;
    }
  }

  /** A snapshot of the JSON format checkpoints were written in before (rows as arrays). */
  private restoreJson(bytes: Uint8Array): void {
    type Saved = [GroupKey, unknown[], number, GroupKey | null][];
    const s = decodeState(bytes) as { wm: number; unmatched: number; left: Saved; right: Saved; ttl?: ([[GroupKey, number][], number] | null)[] };
    this.watermarkMs = s.wm;
    this.retractionsUnmatched = s.unmatched;
    this.state = this.freshState();
    [s.left, s.right].forEach((saved, i) => {
      for (const [key, row, matches, unique] of saved) this.state[i].add(key, row, matches, unique);
      const saved2 = s.ttl?.[i];
      if (saved2 !== null && saved2 !== undefined) this.ttl[i]?.load(saved2[0], saved2[1]);
    });
    this.bytes = this.state[0].bytes() + this.state[1].bytes();
  }

  display(): string {
    const name = (s: number, k: number): string => this.inputs[s][k].name;
    const keys = this.options.leftKeys.map((k, i) => `${name(0, k)} = ${name(1, this.options.rightKeys[i])}`).join(', ');
    const input = (s: number): string => (this.uniqueReaders[s] !== null ? 'upsert' : this.rowKindAt[s] >= 0 ? 'updating' : 'append-only');
    return `JoinExec: type=${this.options.joinType} keys=[${keys}]${this.condition === null ? '' : ' residual'} left=${input(0)} right=${input(1)} stateBytesMax=${this.options.stateBytesMax}`;
  }
}

/** Version of the meta snapshot and of the rows' encoding in the changelog. */
const CHANGELOG_VERSION = 3;
/** First byte of a binary snapshot (a JSON snapshot starts with '{'). */
const SNAPSHOT_MAGIC = 0x03;

function* concat(a: Iterable<Buffer>, b: Iterable<Buffer>): Generator<Buffer> {
  yield* a;
  yield* b;
}

/** Stored rows whose join key is NULL (upsert rows that must be found again by unique key). */
const NULL_KEY = '\u0000null-key';
