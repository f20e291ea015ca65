/**
 * WatermarkAssignerExec: `WATERMARK FOR ts AS ts - INTERVAL 'd' ...` per source partition.
 *
 * Each partition's watermark is the largest event time it has shown minus `delayMs`; the
 * operator's watermark is the minimum over partitions, so a slow partition holds it back. A
 * partition that has shown no rows for `idleTimeoutMs` of processing time stops holding it back
 * (Flink's `table.exec.source.idle-timeout`, Confluent's `sql.tables.scan.idle-timeout`) until it
 * sends rows again. When every partition is idle the watermark does not move.
 *
 * Emits: a watermark message after a batch (or an idleness check) that advances it. Rows pass
 * through unchanged; late rows are left for the window operators to count.
 */
import type { Data, RecordBatch } from 'apache-arrow';
import type { ColumnDef } from './arrow-types.ts';
import { readColumn } from './column.ts';
import { InvalidPlanError, ResourcesExhaustedError } from './errors.ts';
import type { StreamMessage } from './message.ts';
import { BaseExec, checkColumn } from './operator-base.ts';
import { decodeState, encodeState } from './state/codec.ts';
import { isIntegerKind, isTimestampKind } from './types.ts';

export interface WatermarkAssignerOptions {
  readonly timeColumn: number;
  readonly delayMs: number;
  /** INT/BIGINT column holding the source partition of each row; null when the input is one partition. */
  readonly partitionColumn?: number | null;
  /** Partitions known up front; they hold the watermark back before their first row. */
  readonly partitions?: readonly number[];
  /** Processing time after which a silent partition is ignored; null/undefined disables idleness. */
  readonly idleTimeoutMs?: number | null;
  /**
   * PROCTIME(): the time column is the wall clock when each row was read; the watermark follows
   * the clock on the processing-time timer (now - 1 ms: a row read later is never late), so
   * windows close when their end passes, not when the next row comes.
   */
  readonly processingTime?: boolean;
  /** Processing-time clock, injectable for tests. */
  readonly nowMs?: () => number;
  /** Most partitions tracked. */
  readonly partitionsMax?: number;
}

export interface PartitionProgress {
  /** max event time - delay; -Infinity before the first row. */
  watermarkMs: number;
  /** Processing time of the partition's last row (or of its registration). */
  lastActiveMs: number;
}

export const PARTITIONS_MAX_DEFAULT = 65_536;

/**
 * The combined watermark: the minimum over partitions that are not idle. Returns null when all
 * partitions are idle (or there are none), meaning "do not advance".
 */
export function combineWatermarks(partitions: Iterable<PartitionProgress>, nowMs: number, idleTimeoutMs: number | null): number | null {
  let min = Infinity;
  let active = 0;
  for (const p of partitions) {
    if (idleTimeoutMs !== null && nowMs - p.lastActiveMs >= idleTimeoutMs) continue;
    active++;
    if (p.watermarkMs < min) min = p.watermarkMs;
  }
  return active === 0 ? null : min;
}

/** Folds one batch's event times into per-partition progress (pure apart from `progress`). */
export function observeEventTimes(
  times: Float64Array, timeNulls: Uint8Array | null, partitions: ArrayLike<number> | null, n: number,
  delayMs: number, nowMs: number, progress: Map<number, PartitionProgress>, partitionsMax: number, op: string,
): void {
  for (let i = 0; i < n; i++) {
    const part = partitions === null ? 0 : partitions[i];
    let p = progress.get(part);
    if (p === undefined) {
      if (progress.size >= partitionsMax) throw new ResourcesExhaustedError(op, 'partitionsMax', `more than ${partitionsMax} source partitions`);
      p = { watermarkMs: -Infinity, lastActiveMs: nowMs };
      progress.set(part, p);
    }
    p.lastActiveMs = nowMs;
    if (timeNulls !== null && timeNulls[i] === 1) continue;
    const wm = times[i] - delayMs;
    if (wm > p.watermarkMs) p.watermarkMs = wm;
  }
}

export class WatermarkAssignerExec extends BaseExec {
  readonly name = 'WatermarkAssignerExec';
  readonly inputCount = 1;
  readonly outputColumns: readonly ColumnDef[];
  private readonly progress = new Map<number, PartitionProgress>();
  private readonly now: () => number;
  private readonly idleTimeoutMs: number | null;

  constructor(private readonly inputColumns: readonly ColumnDef[], private readonly options: WatermarkAssignerOptions) {
    super();
    const time = checkColumn(this.name, inputColumns, options.timeColumn, 'the time attribute');
    if (!isTimestampKind(time.type.kind)) throw new InvalidPlanError('TYPE_MISMATCH', `${this.name}: ${time.name} must be a TIMESTAMP, got ${time.type.kind}`);
    if (options.partitionColumn !== undefined && options.partitionColumn !== null) {
      const p = checkColumn(this.name, inputColumns, options.partitionColumn, 'the partition column');
      if (!isIntegerKind(p.type.kind)) throw new InvalidPlanError('TYPE_MISMATCH', `${this.name}: partition column must be an integer`);
    }
    if (!(options.delayMs >= 0)) throw new InvalidPlanError('INVALID_PLAN', `${this.name}: delayMs must be >= 0`);
    this.outputColumns = inputColumns;
    this.now = options.nowMs ?? Date.now;
    this.idleTimeoutMs = options.idleTimeoutMs ?? null;
    const start = this.now();
    for (const p of options.partitions ?? []) this.progress.set(p, { watermarkMs: -Infinity, lastActiveMs: start });
  }

  protected onBatch(_input: number, batch: RecordBatch, out: StreamMessage[]): void {
    const time = readColumn(batch.data.children[this.options.timeColumn] as Data, this.inputColumns[this.options.timeColumn].type);
    const pc = this.options.partitionColumn;
    const parts = pc === undefined || pc === null ? null : readColumn(batch.data.children[pc] as Data, this.inputColumns[pc].type).values as ArrayLike<number>;
    observeEventTimes(time.values as Float64Array, time.nulls, parts, batch.numRows, this.options.delayMs, this.now(), this.progress,
      this.options.partitionsMax ?? PARTITIONS_MAX_DEFAULT, this.name);
    this.emitBatch(batch, out);
    this.advance(out);
  }

  /** Upstream watermarks are replaced by this operator's own. */
  protected override onWatermark(): void {}

  protected override onEnd(_input: number, out: StreamMessage[]): void {
    this.emitWatermark(Infinity, out);
    out.push({ kind: 'end' });
  }

  /** Re-evaluates idleness, so an idle partition releases the watermark without new rows. */
  checkIdle(out: StreamMessage[]): void {
    this.advance(out);
  }

  onProcessingTime(nowMs: number, out: StreamMessage[]): void {
    if (this.options.processingTime === true) this.emitWatermark(nowMs - 1, out);
    else this.advance(out);
  }

  private advance(out: StreamMessage[]): void {
    const wm = combineWatermarks(this.progress.values(), this.now(), this.idleTimeoutMs);
    if (wm !== null && wm > -Infinity) this.emitWatermark(wm, out);
  }

  protected override stateBytes(): number {
    return this.progress.size * 48;
  }

  override snapshotState(): Uint8Array {
    return encodeState({ v: 1, wm: this.watermarkMs, parts: [...this.progress].map(([k, p]) => [k, p.watermarkMs]) });
  }

  override restoreState(bytes: Uint8Array): void {
    const s = decodeState(bytes) as { wm: number; parts: [number, number][] };
    this.watermarkMs = s.wm;
    this.progress.clear();
    const now = this.now();
    for (const [k, wm] of s.parts) this.progress.set(k, { watermarkMs: wm, lastActiveMs: now });
  }

  display(): string {
    const idle = this.idleTimeoutMs === null ? '' : ` idle-timeout=${this.idleTimeoutMs} ms`;
    return `WatermarkAssignerExec: ${this.inputColumns[this.options.timeColumn].name} - ${this.options.delayMs} ms${idle}`;
  }
}
