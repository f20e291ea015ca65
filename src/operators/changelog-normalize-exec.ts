/**
 * ChangelogNormalizeExec: turns an upsert stream (rows keyed by a primary key, each one the key's
 * new value, a delete carrying only the key) into a full retract changelog, as Flink's
 * ChangelogNormalize does after an upsert source. It keeps the last row of every key:
 *
 * - an upsert (+I or +U) for a key it has no row for: `+I new`;
 * - an upsert for a key with a row: `-U old, +U new`, or nothing when the row is unchanged;
 * - a delete (-D) for a key with a row: `-D old` (the whole stored row, not the key-only row a
 *   tombstone gives); a delete for an unknown key: nothing;
 * - `-U` rows are ignored (the +U after them carries the change).
 *
 * An input without `$row_kind` is all upserts. Rows with a NULL key column are dropped: an upsert
 * table's key is NOT NULL (a record without a key cannot be updated or deleted later).
 *
 * Operators that need to see what a row replaced (aggregation, Top-N, filters on non-key
 * columns) can then run over an upsert table. State: one row per live key, bounded by
 * `stateBytesMax`; with a state TTL, keys not written for `stateTtlMs` are forgotten (a later
 * upsert is then an insert again, as in Flink). Output: the input's columns, plus `$row_kind`.
 */
import type { Data, RecordBatch } from 'apache-arrow';
import type { ColumnDef } from './arrow-types.ts';
import type { SqlType } from './types.ts';
import { readColumn } from './column.ts';
import type { Column } from './column.ts';
import { InvalidPlanError, ResourcesExhaustedError } from './errors.ts';
import { GroupKeyReader } from './group-key.ts';
import type { GroupKey } from './group-key.ts';
import { rowAt, sameRow } from './join/join-rows.ts';
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

export interface ChangelogNormalizeOptions {
  /** The primary key: input column indexes. */
  readonly keys: readonly number[];
  readonly stateBytesMax: number;
  readonly stateTtlMs?: number | null;
  readonly clock?: Clock;
  /**
   * The output's types, one per input column without `$row_kind` (default: the input's). A source
   * may declare columns nullable only because its -D rows carry NULLs there; the rows this
   * operator emits are whole stored rows, so the table's own NOT NULL holds again.
   */
  readonly outputTypes?: readonly SqlType[];
}

interface Kept {
  readonly row: unknown[];
  readonly bytes: number;
}

const KEY_BYTES = 80;

export class ChangelogNormalizeExec extends BaseExec {
  readonly name = 'ChangelogNormalizeExec';
  readonly inputCount = 1;
  readonly outputColumns: readonly ColumnDef[];
  /** The input's columns without `$row_kind`. */
  private readonly dataColumns: readonly ColumnDef[];
  /** Input index of `$row_kind`, or -1 (all upserts). */
  private readonly rowKindAt: number;
  private readonly keyReader: GroupKeyReader;
  private readonly kept = new Map<GroupKey, Kept>();
  private readonly ttl: StateTtl<GroupKey> | null;
  private readonly out: RowsBuilder;
  private bytes = 0;
  private deletesIgnored = 0;
  /** Keys written and dropped since the last checkpoint, for the state changelog. */
  private readonly log = new KeyedStateLog();

  constructor(inputColumns: readonly ColumnDef[], private readonly options: ChangelogNormalizeOptions) {
    super();
    if (!(options.stateBytesMax > 0)) throw new InvalidPlanError('INVALID_PLAN', `${this.name}: stateBytesMax must be positive`);
    if (options.keys.length === 0) throw new InvalidPlanError('INVALID_PLAN', `${this.name}: needs the primary key columns`);
    this.rowKindAt = inputColumns.findIndex((c) => c.name === ROW_KIND_COLUMN);
    if (this.rowKindAt >= 0 && this.rowKindAt !== inputColumns.length - 1) throw new InvalidPlanError('INVALID_PLAN', `${this.name}: $row_kind must be the last input column`);
    this.dataColumns = this.rowKindAt >= 0 ? inputColumns.slice(0, this.rowKindAt) : inputColumns;
    for (const k of options.keys) checkColumn(this.name, this.dataColumns, k, 'a key');
    this.keyReader = new GroupKeyReader(options.keys, this.dataColumns.map((c) => c.type));
    const types = options.outputTypes;
    if (types !== undefined && types.length !== this.dataColumns.length) {
      throw new InvalidPlanError('INVALID_PLAN', `${this.name}: ${types.length} output types for ${this.dataColumns.length} columns`);
    }
    const out = types === undefined ? this.dataColumns : this.dataColumns.map((c, i) => ({ name: c.name, type: types[i] }));
    this.out = new RowsBuilder(out, true);
    this.outputColumns = [...out, { name: ROW_KIND_COLUMN, type: T.tinyint(false) }];
    this.ttl = stateTtl<GroupKey>(options.stateTtlMs, options.clock);
  }

  protected onBatch(_input: number, batch: RecordBatch, out: StreamMessage[]): void {
    const cols: Column[] = this.dataColumns.map((c, i) => readColumn(batch.data.children[i] as Data, c.type));
    const kinds = this.rowKindAt >= 0 ? (batch.data.children[this.rowKindAt] as Data).values as Int8Array : null;
    this.keyReader.bind(cols);
    const now = this.ttl === null ? 0 : this.ttl.now();
    if (this.ttl !== null) this.ttl.expire(now, (key) => this.drop(key));
    for (let i = 0; i < batch.numRows; i++) {
      if (this.keyIsNull(cols, i)) continue;
      const kind = kinds === null ? RowKind.INSERT : kinds[i];
      if (kind === RowKind.UPDATE_BEFORE) continue;
      const key = this.keyReader.keyAt(i);
      const prev = this.kept.get(key);
      if (kind === RowKind.DELETE) {
        if (prev === undefined) { this.deletesIgnored++; continue; }
        this.out.appendRow(prev.row, RowKind.DELETE);
        this.drop(key);
        this.ttl?.forget(key);
        continue;
      }
      const row = rowAt(cols, i);
      if (prev === undefined) {
        this.out.appendRow(row, RowKind.INSERT);
      } else {
        if (sameRow(prev.row, row)) { this.ttl?.touch(key, now); continue; }
        this.out.appendRow(prev.row, RowKind.UPDATE_BEFORE);
        this.out.appendRow(row, RowKind.UPDATE_AFTER);
        this.bytes -= prev.bytes;
      }
      this.store(key, row);
      this.ttl?.touch(key, now);
    }
    this.emitRows(this.out, out);
  }

  private keyIsNull(cols: readonly Column[], i: number): boolean {
    for (const k of this.options.keys) {
      const n = cols[k].nulls;
      if (n !== null && n[i] === 1) return true;
    }
    return false;
  }

  private store(key: GroupKey, row: unknown[]): void {
    let bytes = KEY_BYTES + (typeof key === 'string' ? 2 * key.length : 0);
    for (const v of row) bytes += typeof v === 'string' ? 16 + 2 * v.length : v instanceof Uint8Array ? 32 + v.length : 8;
    this.kept.set(key, { row, bytes });
    this.log.written(key);
    this.bytes += bytes;
    if (this.bytes > this.options.stateBytesMax) {
      throw new ResourcesExhaustedError(this.name, 'stateBytesMax',
        `state reached ${this.bytes} bytes with ${this.kept.size} keys, over stateBytesMax=${this.options.stateBytesMax}; raise 'sql.state.max-size' or set 'sql.state-ttl'`);
    }
  }

  private drop(key: GroupKey): void {
    const k = this.kept.get(key);
    if (k === undefined) return;
    this.kept.delete(key);
    this.log.removed(key);
    this.bytes -= k.bytes;
  }

  protected override stateBytes(): number {
    return this.bytes;
  }

  /** Keys dropped by the state TTL. */
  get expiredKeys(): number {
    return this.ttl?.expiredKeys ?? 0;
  }

  /** Deletes for keys without a row (never seen, already deleted, or expired): they change nothing. */
  get ignoredDeletes(): number {
    return this.deletesIgnored;
  }

  override snapshotState(): Uint8Array {
    const kept = [...this.kept].map(([key, k]) => [key, k.row]);
    return encodeState({ v: 1, wm: this.watermarkMs, kept, ttl: this.ttl?.save() ?? [], expired: this.expiredKeys, ignored: this.deletesIgnored });
  }

  override restoreState(bytes: Uint8Array): void {
    const s = decodeState(bytes) as { v: number; wm: number; kept: [GroupKey, unknown[]][]; ttl: [GroupKey, number][]; expired: number; ignored: number };
    if (s.v !== 1) throw new InvalidPlanError('INVALID_PLAN', `${this.name}: state version ${s.v} is not one this build reads (1)`);
    this.kept.clear();
    this.bytes = 0;
    this.watermarkMs = s.wm;
    for (const [key, row] of s.kept) this.store(key, row);
    this.ttl?.load(s.ttl, s.expired);
    this.deletesIgnored = s.ignored;
  }

  /** Incremental checkpoints: the rows of the keys written since the previous checkpoint, and the keys dropped. */
  readonly changelog: StateChangelog = {
    snapshotMeta: () => encodeState({ v: 1, wm: this.watermarkMs, expired: this.expiredKeys, ignored: this.deletesIgnored }),
    restoreMeta: (bytes) => {
      const s = decodeState(bytes) as { v: number; wm: number; expired: number; ignored: number };
      if (s.v !== 1) throw new InvalidPlanError('INVALID_PLAN', `${this.name}: state version ${s.v} is not one this build reads (1)`);
      this.kept.clear();
      this.bytes = 0;
      this.watermarkMs = s.wm;
      this.ttl?.load([], s.expired);
      this.deletesIgnored = s.ignored;
      this.log.track();
    },
    takeChanges: (full) => this.log.take(full, () => this.ttl?.keys() ?? this.kept.keys(), (key) => {
      const k = this.kept.get(key);
      return k === undefined ? null : [key, k.row, this.ttl?.timeOf(key) ?? null];
    }),
    applyChange: (record) => this.log.apply(record, (entry) => {
      const [key, row, at] = entry as [GroupKey, unknown[], number | null];
      this.drop(key);
      this.store(key, row);
      if (at !== null) this.ttl?.touch(key, at);
    }, (key) => {
      this.drop(key);
      this.ttl?.forget(key);
    }),
    liveBytes: () => this.bytes,
  };

  display(): string {
    const n = this.dataColumns.map((c) => c.name);
    const ttl = this.ttl === null ? '' : ` stateTtlMs=${this.ttl.ttlMs}`;
    return `ChangelogNormalizeExec: key=[${this.options.keys.map((k) => n[k]).join(', ')}] stateBytesMax=${this.options.stateBytesMax}${ttl}`;
  }
}
