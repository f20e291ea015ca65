/**
 * The thin execution loop every operator shares (STYLE rule 9): count and time the work, hand
 * batches to the operator's pure per-batch function, drop empty output batches, and pass control
 * messages on. Subclasses override only the hooks they need.
 */
import type { RecordBatch } from 'apache-arrow';
import type { ColumnDef } from './arrow-types.ts';
import type { Operator, OperatorMetrics, StreamMessage } from './message.ts';
import { InvalidPlanError } from './errors.ts';
import type { RowsBuilder } from './rows-builder.ts';

export abstract class BaseExec implements Operator {
  abstract readonly name: string;
  abstract readonly inputCount: number;
  abstract readonly outputColumns: readonly ColumnDef[];

  protected rowsIn = 0;
  protected rowsOut = 0;
  protected batchesIn = 0;
  protected batchesOut = 0;
  protected lateRecordsDropped = 0;
  protected busyNs = 0;
  protected watermarkMs = -Infinity;

  process(input: number, msg: StreamMessage, out: StreamMessage[]): void {
    if (input < 0 || input >= this.inputCount) throw new InvalidPlanError('INVALID_PLAN', `${this.name} has no input ${input}`);
    const t0 = performance.now();
    switch (msg.kind) {
      case 'batch':
        this.rowsIn += msg.batch.numRows;
        this.batchesIn += 1;
        this.onBatch(input, msg.batch, out);
        break;
      case 'watermark': this.onWatermark(input, msg.timestampMs, out); break;
      case 'barrier': this.onBarrier(input, msg.checkpointId, out); break;
      case 'end': this.onEnd(input, out); break;
      default: {
        const never: never = msg;
        throw new InvalidPlanError('INVALID_PLAN', `unknown message ${JSON.stringify(never)}`);
      }
    }
    this.busyNs += (performance.now() - t0) * 1e6;
  }

  protected abstract onBatch(input: number, batch: RecordBatch, out: StreamMessage[]): void;

  protected onWatermark(_input: number, timestampMs: number, out: StreamMessage[]): void {
    this.emitWatermark(timestampMs, out);
  }

  protected onBarrier(_input: number, checkpointId: number, out: StreamMessage[]): void {
    out.push({ kind: 'barrier', checkpointId });
  }

  protected onEnd(_input: number, out: StreamMessage[]): void {
    out.push({ kind: 'end' });
  }

  protected emitBatch(batch: RecordBatch, out: StreamMessage[]): void {
    if (batch.numRows === 0) return;
    this.rowsOut += batch.numRows;
    this.batchesOut += 1;
    out.push({ kind: 'batch', batch });
  }

  /** Emits what a RowsBuilder collected (nothing when it is empty). */
  protected emitRows(rows: RowsBuilder, out: StreamMessage[]): void {
    const b = rows.flush();
    if (b !== null) this.emitBatch(b, out);
  }

  /** Forwards a watermark only when it advances. */
  protected emitWatermark(timestampMs: number, out: StreamMessage[]): void {
    if (timestampMs <= this.watermarkMs) return;
    this.watermarkMs = timestampMs;
    out.push({ kind: 'watermark', timestampMs });
  }

  protected stateBytes(): number {
    return 0;
  }

  metrics(): OperatorMetrics {
    return {
      rowsIn: this.rowsIn,
      rowsOut: this.rowsOut,
      batchesIn: this.batchesIn,
      batchesOut: this.batchesOut,
      stateBytes: this.stateBytes(),
      lateRecordsDropped: this.lateRecordsDropped,
      busyNs: this.busyNs,
      watermarkMs: this.watermarkMs,
    };
  }

  snapshotState(): Uint8Array {
    return new Uint8Array(0);
  }

  restoreState(_bytes: Uint8Array): void {}

  abstract display(): string;
}

/** Checks a column index against the input at construction time. */
export function checkColumn(op: string, columns: readonly ColumnDef[], index: number, what: string): ColumnDef {
  const c = columns[index];
  if (c === undefined || !Number.isInteger(index)) {
    throw new InvalidPlanError('INVALID_PLAN', `${op}: ${what} refers to column ${index}, but the input has ${columns.length} columns`);
  }
  return c;
}
