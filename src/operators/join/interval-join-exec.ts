/**
 * IntervalJoinExec: an equi-join of two append-only inputs whose rowtimes must lie within a
 * bound of each other, `lowerMs <= left.time - right.time <= upperMs` (Flink's interval join:
 * `l.ts BETWEEN r.ts - INTERVAL '10' SECOND AND r.ts`).
 *
 * Each row is matched on arrival against the other side's rows of its key within the bound and
 * kept while a future row of the other side could still match it: a left row until the combined
 * watermark passes `time - lowerMs`, a right row until it passes `time + upperMs`. Then it is
 * dropped -- and on an outer side, a row that never matched is emitted NULL-padded. The output is
 * append-only. Output rows can be older than the input watermark by up to
 * max(upperMs, -lowerMs), so the forwarded watermark is held back by that much.
 */
import type { RecordBatch } from 'apache-arrow';
import type { ColumnDef } from '../arrow-types.ts';
import type { Column } from '../column.ts';
import { scalarAt } from '../column.ts';
import { InvalidPlanError } from '../errors.ts';
import { GroupKeyReader } from '../group-key.ts';
import type { GroupKey } from '../group-key.ts';
import type { StreamMessage } from '../message.ts';
import { RowKind } from '../row-kind.ts';
import { decodeState, encodeState } from '../state/codec.ts';
import { JoinCondition } from './join-condition.ts';
import { keyHasNull, readColumns, rowAt, rowBytes } from './join-rows.ts';
import { keyedJoinParts } from './joined-output.ts';
import type { JoinedOutput, KeyedJoinOptions } from './joined-output.ts';
import { TwoInputExec } from './two-input-exec.ts';

export interface IntervalJoinOptions extends KeyedJoinOptions {
  /** Rowtime column of each input. */
  readonly leftTime: number;
  readonly rightTime: number;
  readonly lowerMs: number;
  readonly upperMs: number;
}

interface Entry {
  readonly row: unknown[];
  readonly time: number;
  matched: boolean;
}

export class IntervalJoinExec extends TwoInputExec {
  readonly name = 'IntervalJoinExec';
  readonly outputColumns: readonly ColumnDef[];
  private readonly output: JoinedOutput;
  private readonly counts: [number, number];
  private readonly keys: [readonly number[], readonly number[]];
  private readonly readers: [GroupKeyReader, GroupKeyReader];
  private readonly times: [number, number];
  private readonly condition: JoinCondition | null;
  private readonly outer: [boolean, boolean];
  private readonly state: [Map<GroupKey, Entry[]>, Map<GroupKey, Entry[]>] = [new Map(), new Map()];
  /** Sweeps for expired rows run when the watermark passed this (every `sweepStepMs`). */
  private nextSweepMs = -Infinity;
  private readonly sweepStepMs: number;

  constructor(private readonly inputs: readonly [readonly ColumnDef[], readonly ColumnDef[]], private readonly options: IntervalJoinOptions) {
    super();
    this.times = [options.leftTime, options.rightTime];
    ({ counts: this.counts, readers: this.readers, output: this.output, condition: this.condition, outer: this.outer } =
      keyedJoinParts(this.name, inputs, options, { 'the time column': this.times }, [true, true], false));
    if (!(options.lowerMs <= options.upperMs)) throw new InvalidPlanError('INVALID_PLAN', `${this.name}: the lower bound ${options.lowerMs} ms lies above the upper bound ${options.upperMs} ms`);
    this.keys = [options.leftKeys, options.rightKeys];
    this.outputColumns = this.output.columns;
    this.sweepStepMs = Math.max(1, Math.min(1000, Math.floor((options.upperMs - options.lowerMs) / 2)));
  }

  /** The time until which a row of `side` with time `t` can still be matched by the other side. */
  private expiresAt(side: number, t: number): number {
    return side === 0 ? t - this.options.lowerMs : t + this.options.upperMs;
  }

  protected onBatch(side: number, batch: RecordBatch, out: StreamMessage[]): void {
    const other = 1 - side;
    const n = batch.numRows;
    const cols = readColumns(batch, this.inputs[side], this.counts[side]);
    const reader = this.readers[side];
    reader.bind(cols);
    const timeCol = cols[this.times[side]];
    // The other side's times that match a row at time t: [t - upper, t - lower] for a left row.
    const lo = side === 0 ? -this.options.upperMs : this.options.lowerMs;
    const hi = side === 0 ? -this.options.lowerMs : this.options.upperMs;
    const rows: number[] = [], entries: Entry[] = [];
    const keyOf = new Array<GroupKey | null>(n);
    for (let i = 0; i < n; i++) {
      const t = scalarAt(timeCol, i) as number | null;
      const key = t === null || keyHasNull(cols, this.keys[side], i) ? null : reader.keyAt(i);
      keyOf[i] = key;
      if (key === null || t === null) continue;
      const list = this.state[other].get(key);
      if (list === undefined) continue;
      for (const e of list) if (e.time >= t + lo && e.time <= t + hi) { rows.push(i); entries.push(e); }
    }
    const pass = this.testPairs(side, cols, rows, entries);
    let p = 0;
    for (let i = 0; i < n; i++) {
      const row = rowAt(cols, i);
      let matched = false;
      for (; p < rows.length && rows[p] === i; p++) {
        if (pass !== null && pass[p] !== 1) continue;
        matched = true;
        entries[p].matched = true;
        if (side === 0) this.output.write(row, entries[p].row, RowKind.INSERT);
        else this.output.write(entries[p].row, row, RowKind.INSERT);
      }
      const key = keyOf[i];
      const t = scalarAt(timeCol, i) as number | null;
      if (key === null || t === null || this.expiresAt(side, t) <= this.combinedWatermarkMs) {
        // Nothing can match this row any more.
        if (!matched && this.outer[side]) this.writePadded(side, row);
        continue;
      }
      const entry: Entry = { row, time: t, matched };
      const list = this.state[side].get(key);
      if (list === undefined) this.state[side].set(key, [entry]);
      else list.push(entry);
      this.grow(rowBytes(row));
    }
    this.emitRows(this.output.rows, out);
  }

  private testPairs(side: number, cols: readonly Column[], rows: readonly number[], entries: readonly Entry[]): Uint8Array | null {
    if (this.condition === null || rows.length === 0) return null;
    const nLeft = this.output.counts[0];
    return this.condition.test(rows.length, (c, q) => {
      const fromLeft = c < nLeft;
      const col = fromLeft ? c : c - nLeft;
      return (side === 0) === fromLeft ? scalarAt(cols[col], rows[q]) : entries[q].row[col];
    });
  }

  private writePadded(side: number, row: readonly unknown[]): void {
    if (side === 0) this.output.write(row, null, RowKind.INSERT);
    else this.output.write(null, row, RowKind.INSERT);
  }

  protected override onCombinedWatermark(timestampMs: number, out: StreamMessage[]): void {
    if (timestampMs < this.nextSweepMs) return;
    this.nextSweepMs = timestampMs + this.sweepStepMs;
    for (const side of [0, 1]) {
      for (const [key, list] of this.state[side]) {
        const keep = list.filter((e) => {
          if (this.expiresAt(side, e.time) > timestampMs) return true;
          if (!e.matched && this.outer[side]) this.writePadded(side, e.row);
          this.bytes -= rowBytes(e.row);
          return false;
        });
        if (keep.length === 0) this.state[side].delete(key);
        else if (keep.length !== list.length) this.state[side].set(key, keep);
      }
    }
    this.emitRows(this.output.rows, out);
  }

  protected override outputWatermark(wm: number): number {
    return wm - Math.max(0, this.options.upperMs, -this.options.lowerMs);
  }

  private grow(delta: number): void {
    this.growState(delta, this.options.stateBytesMax, () => `${this.state[0].size + this.state[1].size} keys`);
  }

  override snapshotState(): Uint8Array {
    const side = (m: Map<GroupKey, Entry[]>): [GroupKey, unknown[], number, boolean][] => [...m].flatMap(([k, list]) => list.map((e): [GroupKey, unknown[], number, boolean] => [k, e.row, e.time, e.matched]));
    return encodeState({ v: 1, wm: this.watermarkMs, combined: this.combinedWatermarkMs, bytes: this.bytes, left: side(this.state[0]), right: side(this.state[1]) });
  }

  override restoreState(bytes: Uint8Array): void {
    type Saved = [GroupKey, unknown[], number, boolean][];
    const s = decodeState(bytes) as { wm: number; combined: number; bytes: number; left: Saved; right: Saved };
    this.watermarkMs = s.wm;
    this.combinedWatermarkMs = s.combined;
    this.bytes = s.bytes;
    [s.left, s.right].forEach((saved, i) => {
      const m = new Map<GroupKey, Entry[]>();
      for (const [key, row, time, matched] of saved) {
        const list = m.get(key);
        if (list === undefined) m.set(key, [{ row, time, matched }]);
        else list.push({ row, time, matched });
      }
      this.state[i] = m;
    });
  }

  display(): string {
    const name = (s: number, k: number): string => this.inputs[s][k].name;
    const keys = this.options.leftKeys.map((k, i) => `${name(0, k)} = ${name(1, this.options.rightKeys[i])}`).join(', ');
    return `IntervalJoinExec: type=${this.options.joinType} keys=[${keys}] ${name(0, this.times[0])} - ${name(1, this.times[1])} in [${this.options.lowerMs}, ${this.options.upperMs}] ms${this.condition === null ? '' : ' residual'}`;
  }
}
