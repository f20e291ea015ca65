/**
 * GroupAggregateExec: non-windowed GROUP BY producing a retract changelog (Flink's
 * GroupAggFunction), mode Single.
 *
 * Consumes append-only or updating input: +I/+U rows accumulate, -U/-D rows retract (a
 * retraction for an unknown key is ignored and counted). Per changed key it emits
 *   +I new            for a key's first row,
 *   -U old, +U new    when the aggregate values changed (nothing when they did not),
 *   -D old            when the key's row count returns to zero.
 *
 * Emit modes: 'per-row' emits after every input row, exactly Flink's default sequence;
 * 'per-batch' (Flink's mini-batch) folds batches and emits one change per dirty key when a flush
 * comes: `miniBatch.size` rows buffered, `miniBatch.latencyMs` elapsed since the first buffered row
 * (processing-time timer, so idle input flushes too), before a barrier is forwarded (the snapshot
 * then matches the output), and at end of input. Without `miniBatch` it flushes after every batch.
 * Watermarks pass without a flush: the output has no time attribute.
 * State is bounded by `stateBytesMax`. Output: group keys, aggregates, `$row_kind`.
 */
import type { Data, RecordBatch } from 'apache-arrow';
import type { ColumnDef } from './arrow-types.ts';
import { physicalKind, readColumn } from './column.ts';
import type { Column } from './column.ts';
import { AggregateInput } from './agg-input.ts';
import type { AggState } from './agg-input.ts';
import { aggregateFactory } from './aggregates/index.ts';
import type { AggregateCall, AggregateFactory } from './aggregates/index.ts';
import { ExecutionError, InvalidPlanError, ResourcesExhaustedError } from './errors.ts';
import { GroupIndex } from './group-index.ts';
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
import { Utf8Interner } from './utf8-intern.ts';
import { displayCall } from './window-aggregate-exec.ts';

export type GroupEmitMode = 'per-row' | 'per-batch';

export interface GroupAggregateOptions {
  readonly groupKeys: readonly number[];
  readonly aggregates: readonly AggregateCall[];
  readonly stateBytesMax: number;
  readonly emit?: GroupEmitMode;
  /** Most rows per output batch. */
  readonly batchRowsMax?: number;
  /** Processing-time TTL of a key's state in ms (null or 0: kept forever); see state/ttl.ts. */
  readonly stateTtlMs?: number | null;
  readonly clock?: Clock;
  /** 'per-batch' mode's flush triggers (Flink's allow-latency and size); absent: flush every batch. */
  readonly miniBatch?: { readonly latencyMs: number; readonly size: number };
}

interface Group {
  readonly key: GroupKey;
  readonly keys: unknown[];
  readonly st: AggState;
  /** Accumulated minus retracted rows. */
  count: number;
  /** Values last emitted (per-batch mode), null when none were emitted. */
  emitted: unknown[] | null;
  /** Per-batch mode: the mini-batch that last touched the group (no second map lookup per row). */
  touchedIn: number;
}

const GROUP_BYTES = 128;
/** Snapshot layout version (2: distinct values in shared stores, integers as packed bytes). */
const STATE_VERSION = 2;

export class GroupAggregateExec extends BaseExec {
  readonly name = 'GroupAggregateExec';
  readonly inputCount = 1;
  readonly outputColumns: readonly ColumnDef[];
  private readonly factories: AggregateFactory[];
  private readonly aggInput: AggregateInput;
  private readonly keyReader: GroupKeyReader;
  /** Groups by key column values (null for nested-type keys: `groups` by composite key then). */
  private readonly index: GroupIndex<Group> | null;
  /** Per string input column read: its interner (group keys and arguments repeat across rows). */
  private readonly interners: (Utf8Interner | null)[];
  private readonly used: number[];
  private readonly rowKindInput: number;
  private readonly groups = new Map<GroupKey, Group>();
  private readonly out: RowsBuilder;
  private readonly emitMode: GroupEmitMode;
  private readonly batchRowsMax: number;
  private bytes = 0;
  /** Mini-batches begun in per-batch mode (groups remember the last that touched them). */
  private batchNo = 1;
  /** Per-batch mode: groups changed since the last flush, in first-touch order. */
  private dirty: Group[] = [];
  /** Rows buffered since the last flush, and the processing time of the first of them. */
  private bufferedRows = 0;
  private bufferedSinceMs = 0;
  private readonly clock: Clock;
  /** Per-batch mode: the state each row of the batch folds into (reused). */
  private readonly states: (AggState | undefined)[] = [];
  private readonly ttl: StateTtl<GroupKey> | null;
  private ttlNow = 0;
  /** Retractions for keys that have no state (e.g. state expired upstream). */
  retractionsIgnored = 0;
  /** Groups written and dropped since the last checkpoint, for the state changelog. */
  private readonly log = new KeyedStateLog();

  constructor(private readonly inputColumns: readonly ColumnDef[], private readonly options: GroupAggregateOptions) {
    super();
    if (!(options.stateBytesMax > 0)) throw new InvalidPlanError('INVALID_PLAN', `${this.name}: stateBytesMax must be positive`);
    for (const k of options.groupKeys) checkColumn(this.name, inputColumns, k, 'a group key');
    this.rowKindInput = inputColumns.findIndex((c) => c.name === ROW_KIND_COLUMN);
    const retracting = this.rowKindInput >= 0;
    this.factories = options.aggregates.map((a) => aggregateFactory(this.name, a, inputColumns, retracting));
    this.aggInput = new AggregateInput(this.factories, inputColumns, retracting);
    this.keyReader = new GroupKeyReader(options.groupKeys, inputColumns.map((c) => c.type));
    const types = inputColumns.map((c) => c.type);
    this.index = GroupIndex.supports(options.groupKeys.map((k) => types[k])) ? new GroupIndex(options.groupKeys, types) : null;
    this.interners = types.map((t) => (physicalKind(t) === 'string' ? new Utf8Interner() : null));
    this.used = [...new Set([...options.groupKeys, ...this.aggInput.columnsUsed(), ...(retracting ? [this.rowKindInput] : [])])];
    const outCols: ColumnDef[] = [
      ...options.groupKeys.map((k) => inputColumns[k]),
      ...this.factories.map((f) => ({ name: f.call.name, type: f.resultType })),
    ];
    this.out = new RowsBuilder(outCols, true);
    this.outputColumns = [...outCols, { name: ROW_KIND_COLUMN, type: { kind: 'TINYINT', nullable: false } }];
    this.emitMode = options.emit ?? 'per-row';
    this.batchRowsMax = options.batchRowsMax ?? 8192;
    this.ttl = stateTtl<GroupKey>(options.stateTtlMs, options.clock);
    this.clock = options.clock ?? Date.now;
    const mb = options.miniBatch;
    if (mb !== undefined && !(mb.latencyMs > 0 && mb.size > 0)) {
      throw new InvalidPlanError('INVALID_PLAN', `${this.name}: mini-batch latencyMs and size must be positive`);
    }
  }

  protected onBatch(_input: number, batch: RecordBatch, out: StreamMessage[]): void {
    const cols = new Array<Column | undefined>(this.inputColumns.length);
    for (const c of this.used) {
      const data = batch.data.children[c] as Data, interner = this.interners[c];
      cols[c] = interner === null ? readColumn(data, this.inputColumns[c].type) : interner.read(data, this.inputColumns[c].type);
    }
    this.keyReader.bind(cols);
    this.index?.bind(cols);
    this.aggInput.bind(cols);
    const kinds = this.rowKindInput >= 0 ? ((cols[this.rowKindInput] as Column).values as Int8Array) : null;
    if (this.ttl !== null) {
      // Expired keys vanish without output (Flink): a later row for one starts a new group.
      this.ttlNow = this.ttl.now();
      this.ttl.expire(this.ttlNow, (key) => { const g = this.groups.get(key); if (g !== undefined) this.dropGroup(g); });
    }
    if (this.emitMode === 'per-row') this.applyPerRow(kinds, batch.numRows, out);
    else {
      if (this.bufferedRows === 0) this.bufferedSinceMs = this.clock();
      this.bufferedRows += batch.numRows;
      this.applyPerBatch(kinds, batch.numRows);
      const mb = this.options.miniBatch;
      if (mb === undefined || this.bufferedRows >= mb.size) this.flush(out);
    }
    this.emitRows(this.out, out);
  }

  onProcessingTime(nowMs: number, out: StreamMessage[]): void {
    const mb = this.options.miniBatch;
    if (mb === undefined || this.bufferedRows === 0 || nowMs - this.bufferedSinceMs < mb.latencyMs) return;
    this.flush(out);
    this.emitRows(this.out, out);
  }

  protected override onBarrier(input: number, checkpointId: number, out: StreamMessage[]): void {
    this.flush(out);
    this.emitRows(this.out, out);
    super.onBarrier(input, checkpointId, out);
  }

  protected override onEnd(input: number, out: StreamMessage[]): void {
    this.flush(out);
    this.emitRows(this.out, out);
    super.onEnd(input, out);
  }

  /** Flink's default: the changelog after every row. -U/+U pairs whose values are equal are withdrawn. */
  private applyPerRow(kinds: Int8Array | null, n: number, out: StreamMessage[]): void {
    for (let i = 0; i < n; i++) {
      const accumulate = kinds === null || kinds[i] === RowKind.INSERT || kinds[i] === RowKind.UPDATE_AFTER;
      let g = this.lookup(i);
      if (g === undefined) {
        if (!accumulate) { this.retractionsIgnored++; continue; }
        g = this.newGroup(i);
        this.grow(this.aggInput.apply(g.st, i, false));
        g.count = 1;
        this.writeValues(g.keys, this.aggInput.values(g.st), RowKind.INSERT);
      } else {
        const mark = this.out.length;
        this.writeValues(g.keys, this.aggInput.values(g.st), RowKind.UPDATE_BEFORE);
        this.grow(this.aggInput.apply(g.st, i, !accumulate));
        g.count += accumulate ? 1 : -1;
        if (g.count <= 0) {
          this.out.kinds[mark] = RowKind.DELETE;
          this.dropGroup(g);
        } else {
          this.writeValues(g.keys, this.aggInput.values(g.st), RowKind.UPDATE_AFTER);
          if (this.sameRows(mark, mark + 1)) this.out.truncate(mark);
        }
      }
      this.ttl?.touch(g.key, this.ttlNow);
      this.log.written(g.key);
      if (this.out.length >= this.batchRowsMax) this.emitRows(this.out, out);
    }
  }

  /** Mini-batch: fold the whole batch; its keys join the dirty ones. A key whose count reaches zero stays until the flush (Flink's bundle). */
  private applyPerBatch(kinds: Int8Array | null, n: number): void {
    const touched = this.dirty;
    const batchNo = this.batchNo;
    const states = this.states;
    states.length = n;
    for (let i = 0; i < n; i++) {
      const accumulate = kinds === null || kinds[i] === RowKind.INSERT || kinds[i] === RowKind.UPDATE_AFTER;
      let g = this.lookup(i);
      if (g === undefined) {
        if (!accumulate) { this.retractionsIgnored++; states[i] = undefined; continue; }
        g = this.newGroup(i);
      }
      if (g.touchedIn !== batchNo) {
        g.touchedIn = batchNo;
        touched.push(g);
      }
      this.ttl?.touch(g.key, this.ttlNow);
      states[i] = g.st;
      g.count += accumulate ? 1 : -1;
    }
    this.grow(this.aggInput.applyRows(states, kinds, n));
  }

  /** One change per dirty key, from the values last emitted to the values now, in first-touch order. */
  private flush(out: StreamMessage[]): void {
    const touched = this.dirty;
    this.dirty = [];
    this.bufferedRows = 0;
    this.batchNo++;
    for (const g of touched) {
      if (this.ttl !== null && this.groups.get(g.key) !== g) continue; // expired by the state TTL meanwhile: gone without output
      const before = g.emitted;
      if (g.count <= 0) {
        if (before !== null) this.writeValues(g.keys, before, RowKind.DELETE);
        this.dropGroup(g);
      } else {
        const now = this.aggInput.values(g.st);
        if (before === null) this.writeValues(g.keys, now, RowKind.INSERT);
        else if (!now.every((v, j) => v === before[j])) {
          this.writeValues(g.keys, before, RowKind.UPDATE_BEFORE);
          this.writeValues(g.keys, now, RowKind.UPDATE_AFTER);
        }
        g.emitted = now;
        this.log.written(g.key);
      }
      if (this.out.length >= this.batchRowsMax) this.emitRows(this.out, out);
    }
  }

  /** The group of row `i` of the bound batch. */
  private lookup(i: number): Group | undefined {
    return this.index !== null ? this.index.get(i) : this.groups.get(this.keyReader.keyAt(i));
  }

  private newGroup(i: number): Group {
    const key = this.keyReader.keyAt(i);
    const g: Group = { key, keys: this.keyReader.valuesAt(i), st: this.aggInput.create(), count: 0, emitted: null, touchedIn: 0 };
    this.groups.set(key, g);
    this.index?.set(g.keys, g);
    this.grow(groupBytes(key, this.factories.length) + this.aggInput.distinctBytes(g.st));
    return g;
  }

  private dropGroup(g: Group): void {
    this.log.removed(g.key);
    this.groups.delete(g.key);
    this.index?.delete(g.keys);
    this.ttl?.forget(g.key);
    this.bytes -= groupBytes(g.key, this.factories.length) + this.aggInput.distinctBytes(g.st);
    if (this.groups.size === 0) this.bytes = 0;
  }

  private writeValues(keys: readonly unknown[], values: readonly unknown[], kind: number): void {
    let c = 0;
    for (const k of keys) this.out.set(c++, k);
    for (const v of values) this.out.set(c++, v);
    this.out.endRow(kind);
  }

  private sameRows(a: number, b: number): boolean {
    for (const col of this.out.columns) if (col[a] !== col[b]) return false;
    return true;
  }

  private grow(delta: number): void {
    this.bytes += delta;
    if (this.bytes > this.options.stateBytesMax) {
      throw new ResourcesExhaustedError(this.name, 'stateBytesMax',
        `state reached ${this.bytes} bytes with ${this.groups.size} groups, over stateBytesMax=${this.options.stateBytesMax}; raise the limit or set a state TTL`);
    }
  }

  protected override stateBytes(): number {
    return this.bytes;
  }

  override snapshotState(): Uint8Array {
    const groups = [...this.groups.values()].map((g) => [g.key, g.keys, g.count, g.emitted, this.aggInput.save(g.st)]);
    return encodeState({ v: STATE_VERSION, wm: this.watermarkMs, bytes: this.bytes, ignored: this.retractionsIgnored, groups, ttl: this.ttl?.save() ?? [], expired: this.ttl?.expiredKeys ?? 0 });
  }

  override restoreState(bytes: Uint8Array): void {
    const s = this.restoreMeta(bytes) as { groups: [GroupKey, unknown[], number, unknown[] | null, unknown[]][]; ttl?: [GroupKey, number][]; expired?: number };
    for (const [key, keys, count, emitted, saved] of s.groups) this.putGroup(key, keys, count, emitted, saved);
    this.ttl?.load(s.ttl ?? [], s.expired ?? 0);
  }

  /** Empties the state and restores the counters of a snapshot or meta snapshot; returns it decoded. */
  private restoreMeta(bytes: Uint8Array): Record<string, unknown> {
    const s = decodeState(bytes) as { v: number; wm: number; bytes: number; ignored: number; expired?: number };
    this.checkVersion(s.v);
    this.groups.clear();
    this.index?.clear();
    this.watermarkMs = s.wm;
    this.bytes = s.bytes;
    this.retractionsIgnored = s.ignored;
    this.ttl?.load([], s.expired ?? 0);
    return s;
  }

  private putGroup(key: GroupKey, keys: unknown[], count: number, emitted: unknown[] | null, saved: unknown[]): void {
    const old = this.groups.get(key);
    if (old !== undefined) this.index?.delete(old.keys);
    const g: Group = { key, keys, st: this.aggInput.load(saved), count, emitted, touchedIn: 0 };
    this.groups.set(key, g);
    this.index?.set(keys, g);
  }

  /**
   * Incremental checkpoints: the groups written since the previous checkpoint (mini-batches are
   * flushed before a barrier, so every touched group is written by then) and the keys dropped.
   */
  readonly changelog: StateChangelog = {
    snapshotMeta: () => encodeState({ v: STATE_VERSION, wm: this.watermarkMs, bytes: this.bytes, ignored: this.retractionsIgnored, expired: this.ttl?.expiredKeys ?? 0 }),
    restoreMeta: (bytes) => {
      this.restoreMeta(bytes);
      this.log.track();
    },
    takeChanges: (full) => this.log.take(full, () => this.ttl?.keys() ?? this.groups.keys(), (key) => {
      const g = this.groups.get(key);
      return g === undefined ? null : [g.key, g.keys, g.count, g.emitted, this.aggInput.save(g.st), this.ttl?.timeOf(key) ?? null];
    }),
    applyChange: (record) => this.log.apply(record, (entry) => {
      const [key, keys, count, emitted, saved, at] = entry as [GroupKey, unknown[], number, unknown[] | null, unknown[], number | null];
      this.putGroup(key, keys, count, emitted, saved);
      if (at !== null) this.ttl?.touch(key, at);
    }, (key) => {
      const g = this.groups.get(key);
      if (g === undefined) return;
      this.groups.delete(key);
      this.index?.delete(g.keys);
      this.ttl?.forget(key);
    }),
    liveBytes: () => this.bytes,
  };

  private checkVersion(v: number): void {
    if (v !== STATE_VERSION) {
      throw new ExecutionError('STATE_CORRUPT', `${this.name}: snapshot version ${v} is not this version's ${STATE_VERSION}; start the statement without its saved state`);
    }
  }

  display(): string {
    const keys = this.options.groupKeys.map((k) => this.inputColumns[k].name).join(', ');
    const input = this.rowKindInput >= 0 ? 'updating' : 'append-only';
    return `GroupAggregateExec: keys=[${keys}] aggs=[${this.options.aggregates.map(displayCall).join(', ')}] mode=Single input=${input} emit=${this.emitMode}${this.options.miniBatch === undefined ? '' : ` miniBatch=${this.options.miniBatch.latencyMs}ms/${this.options.miniBatch.size}rows`} changelog=retract stateBytesMax=${this.options.stateBytesMax}${this.ttl === null ? '' : ` stateTtlMs=${this.ttl.ttlMs}`}`;
  }
}

function groupBytes(key: GroupKey, aggs: number): number {
  return GROUP_BYTES + (typeof key === 'string' ? 2 * key.length : 8) + 40 * aggs;
}
