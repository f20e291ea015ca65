/**
 * RankExec: Top-N per partition (Flink's AppendOnlyTopNFunction and RetractableTopNFunction),
 * `ROW_NUMBER() | RANK() | DENSE_RANK() OVER (PARTITION BY p ORDER BY o) ... WHERE rank <= N`.
 *
 * Each partition keeps its rows sorted by the ORDER BY keys; rows with equal keys keep arrival
 * order (an earlier row ranks first). After every input row the operator compares the rows in
 * the rank range [rankStart, rankEnd] before and after, and emits the difference as a changelog:
 *   - ROW_NUMBER with the rank column in the output: per rank position, `-U old, +U new` when
 *     the row at that position changed, `+I` for a newly filled position, `-D` for one emptied
 *     (what an upsert sink keyed by (partition, rank) needs);
 *   - otherwise: `-D` for each row that left the range (or changed rank), `+I` for each that
 *     entered.
 *
 * Append-only input: rows that fall behind rank N can never come back, so each partition keeps
 * at most N rows (plus ties for RANK and DENSE_RANK), and a row that sorts after a full top N is
 * dropped without being materialized. Updating input (`$row_kind`): every row of the partition
 * is kept, since a retraction in the top N pulls the next row up; a retraction of a row that is
 * not there is ignored and counted. State is bounded by `stateBytesMax` and, with a state TTL,
 * partitions not written for `stateTtlMs` are dropped.
 *
 * Output: the input columns (without `$row_kind`), the rank (BIGINT) when `rankColumn` is set,
 * and `$row_kind`.
 */
import type { Data, RecordBatch } from 'apache-arrow';
import type { ColumnDef } from './arrow-types.ts';
import { readColumn, scalarAt } from './column.ts';
import type { Column } from './column.ts';
import { InvalidPlanError, ResourcesExhaustedError } from './errors.ts';
import { GroupKeyReader } from './group-key.ts';
import type { GroupKey } from './group-key.ts';
import type { StreamMessage } from './message.ts';
import { BaseExec, checkColumn } from './operator-base.ts';
import { ROW_KIND_COLUMN, RowKind, isAccumulate } from './row-kind.ts';
import { RowsBuilder } from './rows-builder.ts';
import { compareSortValues, displaySortKey, sortValuesAt } from './sort-key.ts';
import type { SortKey } from './sort-key.ts';
import type { StateChangelog } from './state/changelog.ts';
import { decodeState, encodeState } from './state/codec.ts';
import { KeyedStateLog } from './state/keyed-changelog.ts';
import { stateTtl } from './state/ttl.ts';
import type { Clock, StateTtl } from './state/ttl.ts';
import { T } from './types.ts';

export type RankFunction = 'ROW_NUMBER' | 'RANK' | 'DENSE_RANK';

export interface RankOptions {
  readonly partitionKeys: readonly number[];
  readonly orderKeys: readonly SortKey[];
  readonly fn: RankFunction;
  /** 1-based, inclusive. */
  readonly rankStart: number;
  readonly rankEnd: number;
  /** Name of the rank column in the output, or null to leave it out. */
  readonly rankColumn: string | null;
  readonly stateBytesMax: number;
  /** Processing-time TTL of a partition's state in ms (null or 0: kept forever). */
  readonly stateTtlMs?: number | null;
  readonly clock?: Clock;
  readonly batchRowsMax?: number;
  /** ROW_NUMBER with the rank column: emit `-U` before `+U` per rank position (default); false for an upsert sink keyed by (partition, rank). */
  readonly updateBefore?: boolean;
}

/** A row held in a sorted partition: its sort values, all its values, its estimated size. */
export interface Entry {
  readonly sort: unknown[];
  readonly row: unknown[];
  readonly bytes: number;
}

/** The rows in a rank range and their ranks, in order. */
export interface Ranked {
  readonly entries: Entry[];
  readonly ranks: number[];
}

type RankSpec = Pick<RankOptions, 'fn' | 'rankStart' | 'rankEnd' | 'orderKeys'>;

/** First position whose row sorts strictly after `sort` (a new row goes after its ties). */
export function upperBound(rows: readonly Entry[], sort: readonly unknown[], keys: readonly SortKey[]): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareSortValues(keys, rows[mid].sort, sort) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Ranks sorted rows by `fn` and returns those in [rankStart, rankEnd]. */
export function rankRange(rows: readonly Entry[], spec: RankSpec): Ranked {
  const entries: Entry[] = [];
  const ranks: number[] = [];
  let rank = 0;
  for (let at = 0; at < rows.length; at++) {
    rank = nextRank(rows, at, rank, spec);
    if (rank > spec.rankEnd) break;
    if (rank >= spec.rankStart) { entries.push(rows[at]); ranks.push(rank); }
  }
  return { entries, ranks };
}

/** How many leading rows rank at or before rankEnd. */
export function keepCount(rows: readonly Entry[], spec: RankSpec): number {
  if (spec.fn === 'ROW_NUMBER') return Math.min(rows.length, spec.rankEnd);
  let rank = 0;
  for (let at = 0; at < rows.length; at++) {
    rank = nextRank(rows, at, rank, spec);
    if (rank > spec.rankEnd) return at;
  }
  return rows.length;
}

function nextRank(rows: readonly Entry[], at: number, previous: number, spec: RankSpec): number {
  if (spec.fn === 'ROW_NUMBER') return at + 1;
  const tie = at > 0 && compareSortValues(spec.orderKeys, rows[at - 1].sort, rows[at].sort) === 0;
  if (tie) return previous;
  return spec.fn === 'RANK' ? at + 1 : previous + 1;
}

/** Estimated bytes of a row's values. */
export function rowBytes(row: readonly unknown[]): number {
  let bytes = ENTRY_BYTES;
  for (const v of row) bytes += typeof v === 'string' ? 16 + 2 * v.length : v instanceof Uint8Array ? 16 + v.length : 8;
  return bytes;
}

interface Partition {
  readonly rows: Entry[];
  bytes: number;
}

const ENTRY_BYTES = 64;
const PARTITION_BYTES = 96;

export class RankExec extends BaseExec {
  readonly name = 'RankExec';
  readonly inputCount = 1;
  readonly outputColumns: readonly ColumnDef[];
  private readonly dataColumns: number;
  private readonly rowKindInput: number;
  private readonly keyReader: GroupKeyReader;
  private readonly partitions = new Map<GroupKey, Partition>();
  private readonly ttl: StateTtl<GroupKey> | null;
  private readonly out: RowsBuilder;
  private readonly batchRowsMax: number;
  private bytes = 0;
  /** Retractions of rows the operator does not hold. */
  retractionsIgnored = 0;
  /** Partitions written and dropped since the last checkpoint, for the state changelog. */
  private readonly log = new KeyedStateLog();
  /**
   * Incremental checkpoints over an append-only input, whose partitions hold their top rows only:
   * the partitions changed since the previous checkpoint, and those dropped. Over an updating
   * input a partition keeps every row (any may rise again), too much for one changelog entry:
   * whole snapshots then.
   */
  readonly changelog?: StateChangelog;

  constructor(private readonly inputColumns: readonly ColumnDef[], private readonly options: RankOptions) {
    super();
    const o = options;
    if (!(o.stateBytesMax > 0)) throw new InvalidPlanError('INVALID_PLAN', `${this.name}: stateBytesMax must be positive`);
    if (!Number.isInteger(o.rankStart) || !Number.isInteger(o.rankEnd) || o.rankStart < 1 || o.rankEnd < o.rankStart) {
      throw new InvalidPlanError('INVALID_PLAN', `${this.name}: rank range [${o.rankStart}, ${o.rankEnd}] must be whole numbers with 1 <= start <= end`);
    }
    // No ORDER BY keys (a streaming LIMIT): every row ties, so arrival order ranks them.
    for (const k of o.partitionKeys) checkColumn(this.name, inputColumns, k, 'a partition key');
    for (const k of o.orderKeys) checkColumn(this.name, inputColumns, k.column, 'an ORDER BY key');
    this.rowKindInput = inputColumns.findIndex((c) => c.name === ROW_KIND_COLUMN);
    this.dataColumns = this.rowKindInput >= 0 ? this.rowKindInput : inputColumns.length;
    if (this.rowKindInput >= 0 && this.rowKindInput !== inputColumns.length - 1) throw new InvalidPlanError('INVALID_PLAN', `${this.name}: $row_kind must be the last input column`);
    this.keyReader = new GroupKeyReader(o.partitionKeys, inputColumns.map((c) => c.type));
    const defs = inputColumns.slice(0, this.dataColumns);
    const outDefs = o.rankColumn === null ? defs : [...defs, { name: o.rankColumn, type: T.bigint(false) }];
    this.out = new RowsBuilder(outDefs, true);
    this.outputColumns = [...outDefs, { name: ROW_KIND_COLUMN, type: T.tinyint(false) }];
    this.ttl = stateTtl<GroupKey>(o.stateTtlMs, o.clock);
    this.batchRowsMax = o.batchRowsMax ?? 8192;
    if (!this.updatingInput) this.changelog = this.keyedChangelog();
  }

  private keyedChangelog(): StateChangelog {
    return {
      snapshotMeta: () => encodeState({ v: 1, wm: this.watermarkMs, ignored: this.retractionsIgnored, expired: this.expiredKeys }),
      restoreMeta: (bytes) => {
        this.restoreMeta(bytes);
        this.log.track();
      },
      takeChanges: (full) => this.log.take(full, () => this.ttl?.keys() ?? this.partitions.keys(), (key) => {
        const p = this.partitions.get(key);
        return p === undefined ? null : [key, p.rows.map((e) => e.row), this.ttl?.timeOf(key) ?? null];
      }),
      applyChange: (record) => this.log.apply(record, (entry) => {
        const [key, rows, at] = entry as [GroupKey, unknown[][], number | null];
        this.dropPartition(key);
        this.putPartition(key, rows);
        if (at !== null) this.ttl?.touch(key, at);
      }, (key) => {
        this.dropPartition(key);
        this.ttl?.forget(key);
      }),
      liveBytes: () => this.bytes,
    };
  }

  private get updatingInput(): boolean {
    return this.rowKindInput >= 0;
  }

  protected onBatch(_input: number, batch: RecordBatch, out: StreamMessage[]): void {
    const cols: Column[] = [];
    for (let c = 0; c < this.inputColumns.length; c++) cols.push(readColumn(batch.data.children[c] as Data, this.inputColumns[c].type));
    this.keyReader.bind(cols);
    const kinds = this.updatingInput ? (cols[this.rowKindInput].values as Int8Array) : null;
    const now = this.ttl === null ? 0 : this.ttl.now();
    if (this.ttl !== null) this.ttl.expire(now, (key) => this.dropPartition(key));
    const cap = this.options.fn === 'ROW_NUMBER' && !this.updatingInput ? this.options.rankEnd : Infinity;
    for (let i = 0; i < batch.numRows; i++) {
      const key = this.keyReader.keyAt(i);
      let p = this.partitions.get(key);
      const sort = sortValuesAt(this.options.orderKeys, cols, i);
      if (kinds === null || isAccumulate(kinds[i])) {
        // A full top N that the row sorts after (ties go after): nothing changes.
        if (p !== undefined && p.rows.length >= cap && compareSortValues(this.options.orderKeys, sort, p.rows[p.rows.length - 1].sort) >= 0) continue;
        if (p === undefined) {
          p = { rows: [], bytes: PARTITION_BYTES };
          this.partitions.set(key, p);
          this.grow(PARTITION_BYTES);
        }
        const entry = this.entryAt(cols, i, sort);
        const before = this.ranked(p);
        p.rows.splice(upperBound(p.rows, sort, this.options.orderKeys), 0, entry);
        p.bytes += entry.bytes;
        this.grow(entry.bytes);
        this.emitDiff(before, this.ranked(p));
        if (!this.updatingInput) this.prune(p);
      } else {
        const at = p === undefined ? -1 : this.find(p, sort, cols, i);
        if (p === undefined || at < 0) { this.retractionsIgnored++; continue; }
        const before = this.ranked(p);
        const [gone] = p.rows.splice(at, 1);
        p.bytes -= gone.bytes;
        this.bytes -= gone.bytes;
        this.emitDiff(before, this.ranked(p));
        if (p.rows.length === 0) { this.dropPartition(key); this.ttl?.forget(key); continue; }
      }
      this.ttl?.touch(key, now);
      this.log.written(key);
      if (this.out.length >= this.batchRowsMax) this.emitRows(this.out, out);
    }
    this.emitRows(this.out, out);
  }

  private entryAt(cols: readonly Column[], i: number, sort: unknown[]): Entry {
    const row = new Array<unknown>(this.dataColumns);
    for (let c = 0; c < this.dataColumns; c++) row[c] = scalarAt(cols[c], i);
    return { sort, row, bytes: rowBytes(row) };
  }

  /** Position of a row equal to input row `i` (all columns), or -1. */
  private find(p: Partition, sort: readonly unknown[], cols: readonly Column[], i: number): number {
    for (let at = upperBound(p.rows, sort, this.options.orderKeys) - 1; at >= 0; at--) {
      const e = p.rows[at];
      if (compareSortValues(this.options.orderKeys, e.sort, sort) !== 0) return -1;
      let same = true;
      for (let c = 0; c < this.dataColumns && same; c++) same = sameValue(e.row[c], scalarAt(cols[c], i));
      if (same) return at;
    }
    return -1;
  }

  private ranked(p: Partition): Ranked {
    return rankRange(p.rows, this.options);
  }

  /** Append-only input: drops rows ranked after rankEnd (they can never rise again). */
  private prune(p: Partition): void {
    const keep = keepCount(p.rows, this.options);
    for (let at = keep; at < p.rows.length; at++) { p.bytes -= p.rows[at].bytes; this.bytes -= p.rows[at].bytes; }
    p.rows.length = keep;
  }

  private emitDiff(before: Ranked, after: Ranked): void {
    const withRank = this.options.rankColumn !== null;
    if (withRank && this.options.fn === 'ROW_NUMBER') {
      const n = Math.max(before.entries.length, after.entries.length);
      for (let j = 0; j < n; j++) {
        const o = before.entries[j];
        const nw = after.entries[j];
        if (o === nw) continue;
        const rank = this.options.rankStart + j;
        if (o !== undefined && nw !== undefined) {
          if (this.options.updateBefore !== false) this.write(o, rank, RowKind.UPDATE_BEFORE);
          this.write(nw, rank, RowKind.UPDATE_AFTER);
        } else if (nw !== undefined) this.write(nw, rank, RowKind.INSERT);
        else this.write(o, rank, RowKind.DELETE);
      }
      return;
    }
    const rankOf = (side: Ranked, e: Entry): number => {
      const at = side.entries.indexOf(e);
      return at < 0 ? -1 : side.ranks[at];
    };
    before.entries.forEach((e, j) => {
      const r = rankOf(after, e);
      if (r < 0 || (withRank && r !== before.ranks[j])) this.write(e, before.ranks[j], RowKind.DELETE);
    });
    after.entries.forEach((e, j) => {
      const r = rankOf(before, e);
      if (r < 0 || (withRank && r !== after.ranks[j])) this.write(e, after.ranks[j], RowKind.INSERT);
    });
  }

  private write(e: Entry, rank: number, kind: number): void {
    for (let c = 0; c < this.dataColumns; c++) this.out.set(c, e.row[c]);
    if (this.options.rankColumn !== null) this.out.set(this.dataColumns, rank);
    this.out.endRow(kind);
  }

  private dropPartition(key: GroupKey): void {
    const p = this.partitions.get(key);
    if (p === undefined) return;
    this.partitions.delete(key);
    this.log.removed(key);
    this.bytes -= p.bytes;
    if (this.partitions.size === 0) this.bytes = 0;
  }

  private grow(delta: number): void {
    this.bytes += delta;
    if (this.bytes > this.options.stateBytesMax) {
      throw new ResourcesExhaustedError(this.name, 'stateBytesMax',
        `state reached ${this.bytes} bytes with ${this.partitions.size} partitions, over stateBytesMax=${this.options.stateBytesMax}; raise the limit, narrow the Top-N or set 'sql.state-ttl'`);
    }
  }

  protected override stateBytes(): number {
    return this.bytes;
  }

  /** Partitions dropped by the state TTL. */
  get expiredKeys(): number {
    return this.ttl?.expiredKeys ?? 0;
  }

  override snapshotState(): Uint8Array {
    const parts = [...this.partitions].map(([key, p]) => [key, p.rows.map((e) => e.row)]);
    return encodeState({ v: 1, wm: this.watermarkMs, ignored: this.retractionsIgnored, parts, ttl: this.ttl?.save() ?? [], expired: this.expiredKeys });
  }

  override restoreState(bytes: Uint8Array): void {
    const s = this.restoreMeta(bytes) as { parts: [GroupKey, unknown[][]][]; ttl: [GroupKey, number][]; expired: number };
    for (const [key, rows] of s.parts) this.putPartition(key, rows);
    this.ttl?.load(s.ttl, s.expired);
  }

  /** Empties the state and restores the counters of a snapshot or meta snapshot; returns it decoded. */
  private restoreMeta(bytes: Uint8Array): Record<string, unknown> {
    const s = decodeState(bytes) as { wm: number; ignored: number; expired: number };
    this.partitions.clear();
    this.bytes = 0;
    this.watermarkMs = s.wm;
    this.retractionsIgnored = s.ignored;
    this.ttl?.load([], s.expired);
    return s;
  }

  /** A partition's rows as stored (in rank order). */
  private putPartition(key: GroupKey, rows: readonly unknown[][]): void {
    const cols = this.options.orderKeys.map((k) => k.column);
    const p: Partition = { rows: [], bytes: PARTITION_BYTES };
    for (const row of rows) {
      const bytes = rowBytes(row);
      p.rows.push({ sort: cols.map((c) => row[c]), row, bytes });
      p.bytes += bytes;
    }
    this.partitions.set(key, p);
    this.bytes += p.bytes;
  }

  display(): string {
    const n = this.inputColumns.map((c) => c.name);
    const o = this.options;
    const ttl = this.ttl === null ? '' : ` stateTtlMs=${this.ttl.ttlMs}`;
    return `RankExec: ${o.fn} partition=[${o.partitionKeys.map((k) => n[k]).join(', ')}] order=[${o.orderKeys.map((k) => displaySortKey(k, n[k.column])).join(', ')}] range=[${o.rankStart}, ${o.rankEnd}] rank=${o.rankColumn ?? 'hidden'}${o.updateBefore === false ? ' updates=upsert' : ''} input=${this.updatingInput ? 'updating' : 'append-only'} stateBytesMax=${o.stateBytesMax}${ttl}`;
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.compare(a, b) === 0;
  return false;
}
