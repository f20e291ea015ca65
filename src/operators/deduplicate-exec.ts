/**
 * DeduplicateExec: one row per key by event time, what Flink makes of
 * `ROW_NUMBER() OVER (PARTITION BY k ORDER BY rowtime ASC|DESC) ... WHERE rn = 1` over an
 * append-only input.
 *
 * - keep last (`DESC`): a row replaces the key's row when its time is at or after the kept
 *   row's (so on equal times the later arrival wins), emitting `+I` for a key's first row and
 *   `-U old, +U new` after that; an older row changes nothing. Updating output.
 * - keep first (`ASC`): the key's earliest row (the first arrival among equal times) is emitted
 *   once the watermark reaches its time -- no earlier row can arrive after that, so the output is
 *   append-only and never retracted. A row at or behind the watermark for a key not yet emitted
 *   is emitted at once (anything earlier would be later still). After emission only the key is
 *   remembered.
 *
 * State per key is unbounded in the number of keys: bounded by `stateBytesMax`, and with a
 * state TTL keys not written for `stateTtlMs` are forgotten. Output: the input columns, plus
 * `$row_kind` when keeping the last row.
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
import { ROW_KIND_COLUMN, RowKind } from './row-kind.ts';
import { RowsBuilder } from './rows-builder.ts';
import type { StateChangelog } from './state/changelog.ts';
import { decodeState, encodeState } from './state/codec.ts';
import { KeyedStateLog } from './state/keyed-changelog.ts';
import { stateTtl } from './state/ttl.ts';
import type { Clock, StateTtl } from './state/ttl.ts';
import { T } from './types.ts';

export interface DeduplicateOptions {
  readonly keys: readonly number[];
  /** The event-time column the rows are ordered by. */
  readonly timeColumn: number;
  readonly keepLast: boolean;
  readonly stateBytesMax: number;
  readonly stateTtlMs?: number | null;
  readonly clock?: Clock;
  /**
   * Keep last: emit `-U old` before `+U new` (default). False when the consumer is an upsert sink
   * keyed by `keys`, which ignores -U: only the kept row's time is then stored, not the row.
   */
  readonly updateBefore?: boolean;
}

interface Kept {
  row: unknown[] | null;
  time: number;
  bytes: number;
}

const KEY_BYTES = 80;

export class DeduplicateExec extends BaseExec {
  readonly name = 'DeduplicateExec';
  readonly inputCount = 1;
  readonly outputColumns: readonly ColumnDef[];
  private readonly keyReader: GroupKeyReader;
  private readonly kept = new Map<GroupKey, Kept>();
  /** Keep-first: keys whose row waits for the watermark. */
  private readonly pending = new Set<GroupKey>();
  private readonly ttl: StateTtl<GroupKey> | null;
  private readonly out: RowsBuilder;
  private bytes = 0;
  /** Keys written and dropped since the last checkpoint, for the state changelog. */
  private readonly log = new KeyedStateLog();

  constructor(private readonly inputColumns: readonly ColumnDef[], private readonly options: DeduplicateOptions) {
    super();
    if (!(options.stateBytesMax > 0)) throw new InvalidPlanError('INVALID_PLAN', `${this.name}: stateBytesMax must be positive`);
    if (inputColumns.some((c) => c.name === ROW_KIND_COLUMN)) throw new InvalidPlanError('INVALID_PLAN', `${this.name}: needs an append-only input`);
    for (const k of options.keys) checkColumn(this.name, inputColumns, k, 'a key');
    const t = checkColumn(this.name, inputColumns, options.timeColumn, 'the time column').type.kind;
    if (t !== 'TIMESTAMP' && t !== 'TIMESTAMP_LTZ') throw new InvalidPlanError('INVALID_PLAN', `${this.name}: the time column must be a TIMESTAMP, got ${t}`);
    this.keyReader = new GroupKeyReader(options.keys, inputColumns.map((c) => c.type));
    this.out = new RowsBuilder(inputColumns, options.keepLast);
    this.outputColumns = options.keepLast ? [...inputColumns, { name: ROW_KIND_COLUMN, type: T.tinyint(false) }] : inputColumns;
    this.ttl = stateTtl<GroupKey>(options.stateTtlMs, options.clock);
  }

  protected onBatch(_input: number, batch: RecordBatch, out: StreamMessage[]): void {
    const cols: Column[] = this.inputColumns.map((c, i) => readColumn(batch.data.children[i] as Data, c.type));
    this.keyReader.bind(cols);
    const time = cols[this.options.timeColumn];
    const now = this.ttl === null ? 0 : this.ttl.now();
    if (this.ttl !== null) this.ttl.expire(now, (key) => this.drop(key));
    for (let i = 0; i < batch.numRows; i++) {
      if (time.nulls !== null && time.nulls[i] === 1) continue;
      const t = (time.values as Float64Array)[i];
      const key = this.keyReader.keyAt(i);
      const k = this.kept.get(key);
      if (this.options.keepLast) {
        if (k !== undefined && t < k.time) continue;
        const row = this.rowAt(cols, i);
        if (k === undefined) {
          this.out.appendRow(row, RowKind.INSERT);
        } else {
          if (k.row !== null) this.out.appendRow(k.row, RowKind.UPDATE_BEFORE);
          this.out.appendRow(row, RowKind.UPDATE_AFTER);
          this.bytes -= k.bytes;
        }
        this.store(key, this.options.updateBefore === false ? null : row, t);
      } else {
        if (k !== undefined && (k.row === null || t >= k.time)) continue;
        const row = this.rowAt(cols, i);
        if (k !== undefined) this.bytes -= k.bytes;
        if (t <= this.watermarkMs) {
          this.out.appendRow(row, RowKind.INSERT);
          this.pending.delete(key);
          this.store(key, null, t);
        } else {
          this.store(key, row, t);
          this.pending.add(key);
        }
      }
      this.ttl?.touch(key, now);
    }
    this.emitRows(this.out, out);
  }

  protected override onWatermark(_input: number, timestampMs: number, out: StreamMessage[]): void {
    if (!this.options.keepLast && this.pending.size > 0) {
      for (const key of this.pending) {
        const k = this.kept.get(key) as Kept;
        if (k.time > timestampMs) continue;
        this.out.appendRow(k.row as unknown[], RowKind.INSERT);
        this.pending.delete(key);
        this.bytes -= k.bytes;
        this.store(key, null, k.time);
      }
      this.emitRows(this.out, out);
    }
    this.emitWatermark(timestampMs, out);
  }

  private rowAt(cols: readonly Column[], i: number): unknown[] {
    const row = new Array<unknown>(cols.length);
    for (let c = 0; c < cols.length; c++) row[c] = scalarAt(cols[c], i);
    return row;
  }

  private store(key: GroupKey, row: unknown[] | null, time: number): void {
    let bytes = KEY_BYTES + (typeof key === 'string' ? 2 * key.length : 0);
    if (row !== null) for (const v of row) bytes += typeof v === 'string' ? 16 + 2 * v.length : 8;
    this.kept.set(key, { row, time, bytes });
    this.log.written(key);
    this.bytes += bytes;
    if (this.bytes > this.options.stateBytesMax) {
      throw new ResourcesExhaustedError(this.name, 'stateBytesMax',
        `state reached ${this.bytes} bytes with ${this.kept.size} keys, over stateBytesMax=${this.options.stateBytesMax}; raise the limit or set 'sql.state-ttl'`);
    }
  }

  private drop(key: GroupKey): void {
    const k = this.kept.get(key);
    if (k === undefined) return;
    this.kept.delete(key);
    this.log.removed(key);
    this.pending.delete(key);
    this.bytes -= k.bytes;
  }

  protected override stateBytes(): number {
    return this.bytes;
  }

  get expiredKeys(): number {
    return this.ttl?.expiredKeys ?? 0;
  }

  override snapshotState(): Uint8Array {
    const kept = [...this.kept].map(([key, k]) => [key, k.row, k.time]);
    return encodeState({ v: 1, wm: this.watermarkMs, kept, pending: [...this.pending], ttl: this.ttl?.save() ?? [], expired: this.expiredKeys });
  }

  override restoreState(bytes: Uint8Array): void {
    const s = decodeState(bytes) as { wm: number; kept: [GroupKey, unknown[] | null, number][]; pending: GroupKey[]; ttl: [GroupKey, number][]; expired: number };
    this.kept.clear();
    this.pending.clear();
    this.bytes = 0;
    this.watermarkMs = s.wm;
    for (const [key, row, time] of s.kept) this.store(key, row, time);
    for (const key of s.pending) this.pending.add(key);
    this.ttl?.load(s.ttl, s.expired);
  }

  /** Incremental checkpoints: each key written since the previous checkpoint (its row or time, and whether it waits for the watermark), and the keys dropped. */
  readonly changelog: StateChangelog = {
    snapshotMeta: () => encodeState({ v: 1, wm: this.watermarkMs, expired: this.expiredKeys }),
    restoreMeta: (bytes) => {
      const s = decodeState(bytes) as { v: number; wm: number; expired: number };
      if (s.v !== 1) throw new InvalidPlanError('INVALID_PLAN', `${this.name}: state version ${s.v} is not one this build reads (1)`);
      this.kept.clear();
      this.pending.clear();
      this.bytes = 0;
      this.watermarkMs = s.wm;
      this.ttl?.load([], s.expired);
      this.log.track();
    },
    takeChanges: (full) => this.log.take(full, () => this.ttl?.keys() ?? this.kept.keys(), (key) => {
      const k = this.kept.get(key);
      return k === undefined ? null : [key, k.row, k.time, this.pending.has(key), this.ttl?.timeOf(key) ?? null];
    }),
    applyChange: (record) => this.log.apply(record, (entry) => {
      const [key, row, time, pending, at] = entry as [GroupKey, unknown[] | null, number, boolean, number | null];
      this.drop(key);
      this.store(key, row, time);
      if (pending) this.pending.add(key);
      if (at !== null) this.ttl?.touch(key, at);
    }, (key) => {
      this.drop(key);
      this.ttl?.forget(key);
    }),
    liveBytes: () => this.bytes,
  };

  display(): string {
    const n = this.inputColumns.map((c) => c.name);
    const ttl = this.ttl === null ? '' : ` stateTtlMs=${this.ttl.ttlMs}`;
    return `DeduplicateExec: keep=${this.options.keepLast ? 'last' : 'first'}${this.options.updateBefore === false ? ' updates=upsert' : ''} keys=[${this.options.keys.map((k) => n[k]).join(', ')}] order=${n[this.options.timeColumn]} stateBytesMax=${this.options.stateBytesMax}${ttl}`;
  }
}
