/**
 * What every join shares: two inputs (0 = left, 1 = right) whose watermarks combine by minimum
 * (an ended input no longer holds it back), checkpoint barriers aligned across both inputs (the
 * input that delivered barrier n is held until the other delivers it too, so the snapshot covers
 * exactly the rows before the barrier on both sides), and `end` once both inputs ended.
 *
 * Subclasses implement `onBatch` and may act when the combined watermark advances
 * (`onCombinedWatermark`: expire state, emit closed windows) before it is forwarded.
 */
import type { StreamMessage } from '../message.ts';
import { BaseExec } from '../operator-base.ts';
import { InvalidPlanError, ResourcesExhaustedError } from '../errors.ts';

/** Rows held on one input while waiting for the other input's barrier. */
export const JOIN_ALIGNMENT_ROWS_MAX = 1_000_000;

export abstract class TwoInputExec extends BaseExec {
  readonly inputCount = 2;
  private readonly inputWatermarks = [-Infinity, -Infinity];
  private readonly ended = [false, false];
  private readonly held: [StreamMessage[], StreamMessage[]] = [[], []];
  private waitingBarrier: number | null = null;
  /** The input that delivered `waitingBarrier` first. */
  private blockedInput = -1;
  private heldRows = 0;
  /** Combined watermark the subclass last saw. */
  protected combinedWatermarkMs = -Infinity;
  /** Estimated bytes of state (subclasses keep it current). */
  protected bytes = 0;

  protected override stateBytes(): number {
    return this.bytes;
  }

  /** Adds `delta` bytes of state; past `stateBytesMax` fails with a resources error saying what is held. */
  protected growState(delta: number, stateBytesMax: number, held: () => string): void {
    this.bytes += delta;
    if (this.bytes > stateBytesMax) {
      throw new ResourcesExhaustedError(this.name, 'stateBytesMax', `state reached ${this.bytes} bytes (${held()}), over stateBytesMax=${stateBytesMax}; raise the limit or set a state TTL`);
    }
  }

  override process(input: number, msg: StreamMessage, out: StreamMessage[]): void {
    if (input === this.blockedInput && msg.kind !== 'barrier') {
      if (msg.kind === 'batch') {
        this.heldRows += msg.batch.numRows;
        if (this.heldRows > JOIN_ALIGNMENT_ROWS_MAX) {
          throw new ResourcesExhaustedError(this.name, 'alignmentRowsMax', `holding ${this.heldRows} rows while aligning checkpoint ${this.waitingBarrier}`);
        }
      }
      this.held[input].push(msg);
      return;
    }
    super.process(input, msg, out);
  }

  protected override onWatermark(input: number, timestampMs: number, out: StreamMessage[]): void {
    if (timestampMs > this.inputWatermarks[input]) this.inputWatermarks[input] = timestampMs;
    this.advance(out);
  }

  protected override onBarrier(input: number, checkpointId: number, out: StreamMessage[]): void {
    // An ended input still gets barriers (the pipeline injects one at every source); it has nothing
    // left to align, and opening an alignment for it would wait for a barrier already passed.
    if (this.ended[input]) return;
    const other = 1 - input;
    if (this.waitingBarrier === null && !this.ended[other]) {
      this.waitingBarrier = checkpointId;
      this.blockedInput = input;
      return;
    }
    if (this.waitingBarrier !== null && this.waitingBarrier !== checkpointId) {
      throw new InvalidPlanError('INVALID_PLAN', `${this.name}: barrier ${checkpointId} arrived while aligning ${this.waitingBarrier}`);
    }
    this.release(checkpointId, out);
  }

  protected override onEnd(input: number, out: StreamMessage[]): void {
    this.ended[input] = true;
    if (this.waitingBarrier !== null && this.blockedInput !== input) this.release(this.waitingBarrier, out);
    this.advance(out);
    if (this.ended[0] && this.ended[1]) {
      this.onBothEnded(out);
      out.push({ kind: 'end' });
    }
  }

  /** Called once both inputs ended, before `end` goes out (bounded runs). */
  protected onBothEnded(_out: StreamMessage[]): void {}

  /** The combined watermark advanced to `timestampMs` (subclasses expire state here). */
  protected onCombinedWatermark(_timestampMs: number, _out: StreamMessage[]): void {}

  private release(checkpointId: number, out: StreamMessage[]): void {
    out.push({ kind: 'barrier', checkpointId });
    const blocked = this.blockedInput;
    this.waitingBarrier = null;
    this.blockedInput = -1;
    this.heldRows = 0;
    if (blocked >= 0) for (const m of this.held[blocked].splice(0)) this.process(blocked, m, out);
  }

  private advance(out: StreamMessage[]): void {
    // An ended input counts as +Infinity; once both ended the watermark is +Infinity (flush all).
    let wm = Infinity;
    for (let i = 0; i < 2; i++) if (!this.ended[i] && this.inputWatermarks[i] < wm) wm = this.inputWatermarks[i];
    if (wm === -Infinity) return;
    if (wm > this.combinedWatermarkMs) {
      this.combinedWatermarkMs = wm;
      this.onCombinedWatermark(wm, out);
    }
    this.emitWatermark(this.outputWatermark(wm), out);
  }

  /** The watermark forwarded for combined watermark `wm` (joins that emit rows older than it hold it back). */
  protected outputWatermark(wm: number): number {
    return wm;
  }
}
