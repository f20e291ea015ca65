/**
 * What flows between operators, and the contract every operator implements.
 *
 * Data and control travel on one channel, in order: a watermark promises that no later batch on
 * that input holds a row with an event time at or below it; a barrier marks the point in the
 * stream a checkpoint covers; `end` closes an input (bounded sources, tests).
 */
import type { StateChangelog } from './state/changelog.ts';
import type { RecordBatch } from 'apache-arrow';
import type { ColumnDef } from './arrow-types.ts';

export type StreamMessage =
  | { readonly kind: 'batch'; readonly batch: RecordBatch }
  | { readonly kind: 'watermark'; readonly timestampMs: number }
  | { readonly kind: 'barrier'; readonly checkpointId: number }
  | { readonly kind: 'end' };

export interface OperatorMetrics {
  readonly rowsIn: number;
  readonly rowsOut: number;
  readonly batchesIn: number;
  readonly batchesOut: number;
  /** Estimated bytes of state the operator holds now. */
  readonly stateBytes: number;
  /** Rows that arrived after the watermark had closed their window; counted, then dropped. */
  readonly lateRecordsDropped: number;
  /** Time spent in `process`, in nanoseconds. */
  readonly busyNs: number;
  /** Last watermark the operator emitted (-Infinity before the first). */
  readonly watermarkMs: number;
}

/**
 * A physical operator. `process` is synchronous: it handles one message from input `input`
 * (0-based) and appends what it emits to `out`, which the caller owns and reuses.
 */
export interface Operator {
  /** Operator class and a short label, e.g. 'CalcExec' -- used in errors and metrics. */
  readonly name: string;
  readonly inputCount: number;
  readonly outputColumns: readonly ColumnDef[];
  process(input: number, msg: StreamMessage, out: StreamMessage[]): void;
  /**
   * Processing-time timer: the pipeline calls this every polling round with the wall clock, also
   * when no input arrives (processing-time windows fire, idle partitions are released).
   */
  onProcessingTime?(nowMs: number, out: StreamMessage[]): void;
  /** Serializes the operator's state; `restoreState` on a fresh instance resumes identically. */
  snapshotState(): Uint8Array;
  restoreState(bytes: Uint8Array): void;
  /** Incremental checkpoints through a state changelog (large keyed state), when the operator offers them. */
  readonly changelog?: StateChangelog;
  metrics(): OperatorMetrics;
  /** One line for EXPLAIN, e.g. `CalcExec: filter=... project=[...]`. */
  display(): string;
}
