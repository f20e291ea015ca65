/**
 * UnionExec: UNION ALL of inputs with the same column types. Batches pass through in arrival
 * order; the output watermark is the minimum of the inputs' watermarks (an ended input no longer
 * holds it back); `end` is forwarded when every input has ended.
 *
 * Checkpoint barriers are aligned: after an input delivers barrier n, its batches are held until
 * every input has delivered barrier n, then the barrier goes out and the held batches follow.
 * Held rows are bounded by `alignmentRowsMax`.
 */
import type { RecordBatch } from 'apache-arrow';
import type { ColumnDef } from './arrow-types.ts';
import { InvalidPlanError, ResourcesExhaustedError } from './errors.ts';
import type { StreamMessage } from './message.ts';
import { BaseExec } from './operator-base.ts';
import { displayType, typesEqual } from './types.ts';

export interface UnionOptions {
  readonly alignmentRowsMax?: number;
}

export const ALIGNMENT_ROWS_MAX_DEFAULT = 1_000_000;

/** Minimum of per-input watermarks; ended inputs count as +Infinity. */
export function minWatermark(watermarks: readonly number[], ended: readonly boolean[]): number {
  let min = Infinity;
  for (let i = 0; i < watermarks.length; i++) if (!ended[i] && watermarks[i] < min) min = watermarks[i];
  return min;
}

export class UnionExec extends BaseExec {
  readonly name = 'UnionExec';
  readonly inputCount: number;
  readonly outputColumns: readonly ColumnDef[];
  private readonly inputWatermarks: number[];
  private readonly ended: boolean[];
  private readonly blocked: boolean[];
  private readonly held: StreamMessage[][];
  private heldRows = 0;
  private pendingBarrier: number | null = null;
  private readonly alignmentRowsMax: number;

  constructor(inputs: readonly (readonly ColumnDef[])[], options: UnionOptions = {}) {
    super();
    if (inputs.length < 1) throw new InvalidPlanError('INVALID_PLAN', 'UnionExec needs at least one input');
    const first = inputs[0];
    inputs.forEach((cols, i) => {
      if (cols.length !== first.length || cols.some((c, j) => !typesEqual(c.type, first[j].type, true))) {
        throw new InvalidPlanError('TYPE_MISMATCH', `UnionExec: input ${i} has columns (${cols.map((c) => displayType(c.type)).join(', ')}), expected (${first.map((c) => displayType(c.type)).join(', ')})`);
      }
    });
    this.inputCount = inputs.length;
    this.outputColumns = first;
    this.inputWatermarks = inputs.map(() => -Infinity);
    this.ended = inputs.map(() => false);
    this.blocked = inputs.map(() => false);
    this.held = inputs.map(() => []);
    this.alignmentRowsMax = options.alignmentRowsMax ?? ALIGNMENT_ROWS_MAX_DEFAULT;
  }

  override process(input: number, msg: StreamMessage, out: StreamMessage[]): void {
    if (this.blocked[input] && msg.kind !== 'barrier') {
      if (msg.kind === 'batch') {
        this.heldRows += msg.batch.numRows;
        if (this.heldRows > this.alignmentRowsMax) {
          throw new ResourcesExhaustedError(this.name, 'alignmentRowsMax', `holding ${this.heldRows} rows while aligning checkpoint ${this.pendingBarrier}`);
        }
      }
      this.held[input].push(msg);
      return;
    }
    super.process(input, msg, out);
  }

  protected onBatch(_input: number, batch: RecordBatch, out: StreamMessage[]): void {
    this.emitBatch(batch, out);
  }

  protected override onWatermark(input: number, timestampMs: number, out: StreamMessage[]): void {
    if (timestampMs > this.inputWatermarks[input]) this.inputWatermarks[input] = timestampMs;
    this.advance(out);
  }

  protected override onBarrier(input: number, checkpointId: number, out: StreamMessage[]): void {
    // An ended input's barrier (the pipeline injects one at every source) has nothing to align.
    if (this.ended[input]) return;
    if (this.pendingBarrier !== null && this.pendingBarrier !== checkpointId) {
      throw new InvalidPlanError('INVALID_PLAN', `UnionExec: barrier ${checkpointId} arrived while aligning ${this.pendingBarrier}`);
    }
    this.pendingBarrier = checkpointId;
    this.blocked[input] = true;
    this.releaseIfAligned(checkpointId, out);
  }

  /** Forwards barrier `checkpointId` and replays what was held once every live input delivered it. */
  private releaseIfAligned(checkpointId: number, out: StreamMessage[]): void {
    if (this.blocked.some((b, i) => !b && !this.ended[i])) return;
    out.push({ kind: 'barrier', checkpointId });
    this.pendingBarrier = null;
    this.blocked.fill(false);
    this.heldRows = 0;
    const held = this.held.map((h) => h.splice(0));
    held.forEach((msgs, i) => { for (const m of msgs) this.process(i, m, out); });
  }

  protected override onEnd(input: number, out: StreamMessage[]): void {
    this.ended[input] = true;
    if (this.pendingBarrier !== null) this.releaseIfAligned(this.pendingBarrier, out);
    this.advance(out);
    if (this.ended.every(Boolean)) out.push({ kind: 'end' });
  }

  private advance(out: StreamMessage[]): void {
    const wm = minWatermark(this.inputWatermarks, this.ended);
    if (wm !== Infinity || this.ended.every(Boolean)) this.emitWatermark(wm, out);
  }

  display(): string {
    return `UnionExec: inputs=${this.inputCount}`;
  }
}
