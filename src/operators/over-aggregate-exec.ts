/**
 * OverAggregateExec: aggregates over event-time OVER windows (Flink's RowTimeRowsBoundedPreceding,
 * RowTimeRangeBoundedPreceding and their unbounded variants):
 *
 *   SUM(price) OVER (PARTITION BY auction ORDER BY ts ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)
 *   COUNT(*)   OVER (PARTITION BY auction ORDER BY ts RANGE BETWEEN INTERVAL '10' SECOND PRECEDING AND CURRENT ROW)
 *
 * Every input row comes out once, with the aggregates over its frame appended. Rows wait until
 * the watermark reaches their time (only then is the order of earlier rows final) and are then
 * emitted in event-time order (arrival order among equal times). ROWS frames count rows back
 * from the current one; RANGE frames take every row with a time in [t - preceding, t], so rows
 * with equal times (peers) get the same result. Rows at or behind the watermark when they
 * arrive are late: counted in `lateRecordsDropped` and dropped, as Flink does.
 *
 * State per partition: the accumulators and the rows still inside a bounded frame (retracted as
 * they leave it); a RANGE partition whose rows all aged out is dropped when the watermark passes.
 * Unbounded frames and ROWS frames keep per-partition state for every key seen, bounded by
 * `stateBytesMax` and, with a state TTL, dropped for keys not written for `stateTtlMs`.
 * Output: the first `passColumns` input columns, then one column per aggregate. Append-only.
 */
import type { Data, RecordBatch } from 'apache-arrow';
import type { ColumnDef } from './arrow-types.ts';
import { readColumn, scalarAt } from './column.ts';
import type { Column } from './column.ts';
import { aggregateFactory } from './aggregates/index.ts';
import type { Accumulator, AggregateCall, AggregateFactory } from './aggregates/index.ts';
import { InvalidPlanError, ResourcesExhaustedError } from './errors.ts';
import { GroupKeyReader } from './group-key.ts';
import type { GroupKey } from './group-key.ts';
import type { StreamMessage } from './message.ts';
import { BaseExec, checkColumn } from './operator-base.ts';
import { rowBytes } from './rank-exec.ts';
import { ROW_KIND_COLUMN } from './row-kind.ts';
import { RowsBuilder } from './rows-builder.ts';
import { decodeState, encodeState } from './state/codec.ts';
import { stateTtl } from './state/ttl.ts';
import type { Clock, StateTtl } from './state/ttl.ts';
import { displayCall } from './window-aggregate-exec.ts';

export interface OverAggregateOptions {
  readonly partitionKeys: readonly number[];
  /** The rowtime column the window is ordered by. */
  readonly timeColumn: number;
  /** ROWS: `preceding` rows back; RANGE: `preceding` ms back; null: unbounded. */
  readonly frame: { readonly units: 'ROWS' | 'RANGE'; readonly preceding: number | null };
  readonly aggregates: readonly AggregateCall[];
  /** Leading input columns repeated in the output. */
  readonly passColumns: number;
  readonly stateBytesMax: number;
  readonly stateTtlMs?: number | null;
  readonly clock?: Clock;
}

interface Pending {
  readonly key: GroupKey;
  readonly time: number;
  readonly seq: number;
  readonly row: unknown[];
}

interface Partition {
  readonly accs: Accumulator[];
  /** Rows inside a bounded frame, oldest first, with their times. */
  readonly window: { time: number; row: unknown[] }[];
  bytes: number;
  lastTime: number;
}

const PARTITION_BYTES = 128;

export class OverAggregateExec extends BaseExec {
  readonly name = 'OverAggregateExec';
  readonly inputCount = 1;
  readonly outputColumns: readonly ColumnDef[];
  private readonly factories: AggregateFactory[];
  private readonly keyReader: GroupKeyReader;
  private readonly partitions = new Map<GroupKey, Partition>();
  private pending: Pending[] = [];
  private seq = 0;
  private readonly ttl: StateTtl<GroupKey> | null;
  private readonly out: RowsBuilder;
  private readonly bounded: boolean;
  private bytes = 0;

  constructor(private readonly inputColumns: readonly ColumnDef[], private readonly options: OverAggregateOptions) {
    super();
    const o = options;
    if (!(o.stateBytesMax > 0)) throw new InvalidPlanError('INVALID_PLAN', `${this.name}: stateBytesMax must be positive`);
    if (inputColumns.some((c) => c.name === ROW_KIND_COLUMN)) throw new InvalidPlanError('INVALID_PLAN', `${this.name}: needs an append-only input`);
    for (const k of o.partitionKeys) checkColumn(this.name, inputColumns, k, 'a partition key');
    const t = checkColumn(this.name, inputColumns, o.timeColumn, 'the time column').type.kind;
    if (t !== 'TIMESTAMP' && t !== 'TIMESTAMP_LTZ') throw new InvalidPlanError('INVALID_PLAN', `${this.name}: the time column must be a TIMESTAMP, got ${t}`);
    if (o.frame.preceding !== null && !(o.frame.preceding >= 0)) throw new InvalidPlanError('INVALID_PLAN', `${this.name}: frame must start 0 or more back`);
    if (!(o.passColumns >= 0 && o.passColumns <= inputColumns.length)) throw new InvalidPlanError('INVALID_PLAN', `${this.name}: passColumns out of range`);
    this.bounded = o.frame.preceding !== null;
    this.factories = o.aggregates.map((a) => aggregateFactory(this.name, a, inputColumns, this.bounded));
    this.keyReader = new GroupKeyReader(o.partitionKeys, inputColumns.map((c) => c.type));
    const outDefs = [...inputColumns.slice(0, o.passColumns), ...this.factories.map((f) => ({ name: f.call.name, type: f.resultType }))];
    this.out = new RowsBuilder(outDefs, false);
    this.outputColumns = outDefs;
    this.ttl = stateTtl<GroupKey>(o.stateTtlMs, o.clock);
  }

  protected onBatch(_input: number, batch: RecordBatch, _out: StreamMessage[]): void {
    const cols: Column[] = this.inputColumns.map((c, i) => readColumn(batch.data.children[i] as Data, c.type));
    this.keyReader.bind(cols);
    const time = cols[this.options.timeColumn];
    for (let i = 0; i < batch.numRows; i++) {
      if (time.nulls !== null && time.nulls[i] === 1) { this.lateRecordsDropped++; continue; }
      const t = (time.values as Float64Array)[i];
      if (t <= this.watermarkMs) { this.lateRecordsDropped++; continue; }
      const row = new Array<unknown>(cols.length);
      for (let c = 0; c < cols.length; c++) row[c] = scalarAt(cols[c], i);
      this.pending.push({ key: this.keyReader.keyAt(i), time: t, seq: this.seq++, row });
      this.grow(rowBytes(row));
    }
  }

  protected override onWatermark(_input: number, timestampMs: number, out: StreamMessage[]): void {
    const due: Pending[] = [];
    const waiting: Pending[] = [];
    for (const p of this.pending) (p.time <= timestampMs ? due : waiting).push(p);
    this.pending = waiting;
    due.sort((a, b) => a.time - b.time || a.seq - b.seq);
    const now = this.ttl === null ? 0 : this.ttl.now();
    if (this.ttl !== null) this.ttl.expire(now, (key) => this.dropPartition(key));
    const range = this.options.frame.units === 'RANGE';
    for (let j = 0; j < due.length;) {
      // One block of rows with the same time; under RANGE, a partition's rows in it are peers.
      let k = j + 1;
      while (k < due.length && due[k].time === due[j].time) k++;
      const groups = new Map<GroupKey, Pending[]>();
      for (let m = j; m < k; m++) {
        const p = due[m];
        this.bytes -= rowBytes(p.row);
        if (!range) {
          const part = this.partitionOf(p.key);
          this.addRow(part, p.time, p.row);
          this.write(p.row, part.accs);
          this.ttl?.touch(p.key, now);
          continue;
        }
        const g = groups.get(p.key);
        if (g === undefined) groups.set(p.key, [p]);
        else g.push(p);
      }
      for (const [key, peers] of groups) {
        const part = this.partitionOf(key);
        for (const q of peers) this.addRow(part, q.time, q.row);
        for (const q of peers) this.write(q.row, part.accs);
        this.ttl?.touch(key, now);
      }
      j = k;
    }
    if (this.options.frame.units === 'RANGE' && this.bounded) this.dropAgedOut(timestampMs);
    const b = this.out.flush();
    if (b !== null) this.emitBatch(b, out);
    this.emitWatermark(timestampMs, out);
  }

  private partitionOf(key: GroupKey): Partition {
    let part = this.partitions.get(key);
    if (part === undefined) {
      part = { accs: this.factories.map((f) => f.create()), window: [], bytes: PARTITION_BYTES, lastTime: -Infinity };
      this.partitions.set(key, part);
      this.grow(PARTITION_BYTES);
    }
    return part;
  }

  /** Adds a row to the partition's frame and retracts the rows that leave it. */
  private addRow(part: Partition, time: number, row: unknown[]): void {
    this.apply(part, row, false);
    part.lastTime = time;
    const preceding = this.options.frame.preceding;
    if (preceding === null) return;
    const bytes = rowBytes(row);
    part.window.push({ time, row });
    part.bytes += bytes;
    this.grow(bytes);
    const w = part.window;
    if (this.options.frame.units === 'ROWS') {
      while (w.length > preceding + 1) this.retractOldest(part);
    } else {
      while (w.length > 0 && w[0].time < time - preceding) this.retractOldest(part);
    }
  }

  private retractOldest(part: Partition): void {
    const old = part.window.shift() as { time: number; row: unknown[] };
    this.apply(part, old.row, true);
    const bytes = rowBytes(old.row);
    part.bytes -= bytes;
    this.bytes -= bytes;
  }

  private apply(part: Partition, row: readonly unknown[], retract: boolean): void {
    for (let a = 0; a < this.factories.length; a++) {
      const call = this.factories[a].call;
      if (call.filter !== undefined && call.filter !== null && row[call.filter] !== true) continue;
      const v = call.arg === null ? null : row[call.arg];
      if (call.arg !== null && v === null) continue;
      const delta = retract ? part.accs[a].retract(v) : part.accs[a].add(v);
      part.bytes += delta;
      this.grow(delta);
    }
  }

  private write(row: readonly unknown[], accs: readonly Accumulator[]): void {
    let c = 0;
    for (; c < this.options.passColumns; c++) this.out.set(c, row[c]);
    for (const a of accs) this.out.set(c++, a.value());
    this.out.endRow(0);
  }

  /** RANGE frames: a partition whose newest row is older than the frame holds nothing any later row can see. */
  private dropAgedOut(watermarkMs: number): void {
    const limit = watermarkMs - (this.options.frame.preceding as number);
    for (const [key, part] of this.partitions) {
      if (part.lastTime < limit) { this.dropPartition(key); this.ttl?.forget(key); }
    }
  }

  private dropPartition(key: GroupKey): void {
    const part = this.partitions.get(key);
    if (part === undefined) return;
    this.partitions.delete(key);
    this.bytes -= part.bytes;
  }

  private grow(delta: number): void {
    this.bytes += delta;
    if (this.bytes > this.options.stateBytesMax) {
      throw new ResourcesExhaustedError(this.name, 'stateBytesMax',
        `state reached ${this.bytes} bytes with ${this.partitions.size} partitions and ${this.pending.length} rows waiting for the watermark, over stateBytesMax=${this.options.stateBytesMax}`);
    }
  }

  protected override stateBytes(): number {
    return this.bytes;
  }

  override snapshotState(): Uint8Array {
    const parts = [...this.partitions].map(([key, p]) => [key, p.accs.map((a) => a.save()), p.window.map((w) => [w.time, w.row]), p.lastTime]);
    const pending = this.pending.map((p) => [p.key, p.time, p.seq, p.row]);
    return encodeState({ v: 1, wm: this.watermarkMs, late: this.lateRecordsDropped, seq: this.seq, parts, pending, ttl: this.ttl?.save() ?? [], expired: this.ttl?.expiredKeys ?? 0 });
  }

  override restoreState(bytes: Uint8Array): void {
    const s = decodeState(bytes) as {
      wm: number; late: number; seq: number; parts: [GroupKey, unknown[], [number, unknown[]][], number][];
      pending: [GroupKey, number, number, unknown[]][]; ttl: [GroupKey, number][]; expired: number;
    };
    this.partitions.clear();
    this.bytes = 0;
    this.watermarkMs = s.wm;
    this.lateRecordsDropped = s.late;
    this.seq = s.seq;
    for (const [key, saved, window, lastTime] of s.parts) {
      const accs = this.factories.map((f) => f.create());
      accs.forEach((a, i) => a.load(saved[i]));
      const part: Partition = { accs, window: window.map(([time, row]) => ({ time, row })), bytes: PARTITION_BYTES, lastTime };
      for (const w of part.window) part.bytes += rowBytes(w.row);
      this.partitions.set(key, part);
      this.bytes += part.bytes;
    }
    this.pending = s.pending.map(([key, time, seq, row]) => ({ key, time, seq, row }));
    for (const p of this.pending) this.bytes += rowBytes(p.row);
    this.ttl?.load(s.ttl, s.expired);
  }

  display(): string {
    const n = this.inputColumns.map((c) => c.name);
    const f = this.options.frame;
    const frame = f.preceding === null ? `${f.units} UNBOUNDED PRECEDING` : `${f.units} ${f.preceding}${f.units === 'RANGE' ? ' ms' : ''} PRECEDING`;
    return `OverAggregateExec: partition=[${this.options.partitionKeys.map((k) => n[k]).join(', ')}] order=${n[this.options.timeColumn]} ${frame} aggs=[${this.options.aggregates.map(displayCall).join(', ')}]`;
  }
}
