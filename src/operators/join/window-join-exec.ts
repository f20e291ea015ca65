/**
 * WindowJoinExec: joins the rows of two windowed inputs that fall into the same window (Flink's
 * window join: `ON L.window_start = R.window_start AND L.window_end = R.window_end AND ...`).
 *
 * Rows wait in state per window (by window_end) until the combined watermark reaches
 * window_end - 1; then the window's rows are joined by key and residual condition, emitted
 * (INNER pairs; LEFT/RIGHT/FULL add NULL-padded rows for the unmatched) and dropped. The output
 * is append-only. A row whose window has already fired is late: counted in
 * `lateRecordsDropped`, then dropped.
 */
import type { RecordBatch } from 'apache-arrow';
import type { ColumnDef } from '../arrow-types.ts';
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

export interface WindowJoinOptions extends KeyedJoinOptions {
  /** window_end column of each input. */
  readonly leftEnd: number;
  readonly rightEnd: number;
}

interface Held {
  readonly row: unknown[];
  readonly key: GroupKey | null;
}

type WindowRows = [Held[], Held[]];

export class WindowJoinExec extends TwoInputExec {
  readonly name = 'WindowJoinExec';
  readonly outputColumns: readonly ColumnDef[];
  private readonly output: JoinedOutput;
  private readonly counts: [number, number];
  private readonly keys: [readonly number[], readonly number[]];
  private readonly readers: [GroupKeyReader, GroupKeyReader];
  private readonly ends: [number, number];
  private readonly condition: JoinCondition | null;
  private readonly outer: [boolean, boolean];
  private readonly windows = new Map<number, WindowRows>();

  constructor(private readonly inputs: readonly [readonly ColumnDef[], readonly ColumnDef[]], private readonly options: WindowJoinOptions) {
    super();
    this.ends = [options.leftEnd, options.rightEnd];
    ({ counts: this.counts, readers: this.readers, output: this.output, condition: this.condition, outer: this.outer } =
      keyedJoinParts(this.name, inputs, options, { window_end: this.ends }, [true, true], false));
    this.keys = [options.leftKeys, options.rightKeys];
    this.outputColumns = this.output.columns;
  }

  protected onBatch(side: number, batch: RecordBatch, _out: StreamMessage[]): void {
    const cols = readColumns(batch, this.inputs[side], this.counts[side]);
    const reader = this.readers[side];
    reader.bind(cols);
    const ends = cols[this.ends[side]];
    for (let i = 0; i < batch.numRows; i++) {
      const end = ends.values[i] as number;
      if (end - 1 <= this.combinedWatermarkMs) { this.lateRecordsDropped++; continue; }
      let w = this.windows.get(end);
      if (w === undefined) { w = [[], []]; this.windows.set(end, w); }
      const row = rowAt(cols, i);
      w[side].push({ row, key: keyHasNull(cols, this.keys[side], i) ? null : reader.keyAt(i) });
      this.grow(rowBytes(row));
    }
  }

  protected override onCombinedWatermark(timestampMs: number, out: StreamMessage[]): void {
    const due = [...this.windows.keys()].filter((end) => end - 1 <= timestampMs).sort((a, b) => a - b);
    for (const end of due) {
      this.fire(this.windows.get(end) as WindowRows);
      this.windows.delete(end);
      this.emitRows(this.output.rows, out);
    }
    if (this.windows.size === 0) this.bytes = 0;
  }

  /** Joins one window's rows and releases them. */
  private fire([left, right]: WindowRows): void {
    const byKey = new Map<GroupKey, number[]>();
    right.forEach((r, j) => {
      if (r.key === null) return;
      const list = byKey.get(r.key);
      if (list === undefined) byKey.set(r.key, [j]);
      else list.push(j);
    });
    const pl: number[] = [], pr: number[] = [];
    left.forEach((l, i) => {
      const list = l.key === null ? undefined : byKey.get(l.key);
      if (list !== undefined) for (const j of list) { pl.push(i); pr.push(j); }
    });
    const pass = this.condition?.test(pl.length, (c, q) => this.output.valueOf(c, left[pl[q]].row, right[pr[q]].row)) ?? null;
    const leftMatched = new Uint8Array(left.length), rightMatched = new Uint8Array(right.length);
    for (let q = 0; q < pl.length; q++) {
      if (pass !== null && pass[q] !== 1) continue;
      leftMatched[pl[q]] = 1;
      rightMatched[pr[q]] = 1;
      this.output.write(left[pl[q]].row, right[pr[q]].row, RowKind.INSERT);
    }
    if (this.outer[0]) left.forEach((l, i) => { if (leftMatched[i] === 0) this.output.write(l.row, null, RowKind.INSERT); });
    if (this.outer[1]) right.forEach((r, j) => { if (rightMatched[j] === 0) this.output.write(null, r.row, RowKind.INSERT); });
    for (const h of [...left, ...right]) this.bytes -= rowBytes(h.row);
  }

  private grow(delta: number): void {
    this.growState(delta, this.options.stateBytesMax, () => `${this.windows.size} open windows`);
  }

  override snapshotState(): Uint8Array {
    const windows = [...this.windows].map(([end, [l, r]]) => [end, l.map((h) => [h.key, h.row]), r.map((h) => [h.key, h.row])]);
    return encodeState({ v: 1, wm: this.watermarkMs, combined: this.combinedWatermarkMs, bytes: this.bytes, late: this.lateRecordsDropped, windows });
  }

  override restoreState(bytes: Uint8Array): void {
    type Saved = [GroupKey | null, unknown[]][];
    const s = decodeState(bytes) as { wm: number; combined: number; bytes: number; late: number; windows: [number, Saved, Saved][] };
    this.watermarkMs = s.wm;
    this.combinedWatermarkMs = s.combined;
    this.bytes = s.bytes;
    this.lateRecordsDropped = s.late;
    this.windows.clear();
    for (const [end, l, r] of s.windows) this.windows.set(end, [l.map(([key, row]) => ({ key, row })), r.map(([key, row]) => ({ key, row }))]);
  }

  display(): string {
    const name = (s: number, k: number): string => this.inputs[s][k].name;
    const keys = this.options.leftKeys.map((k, i) => `${name(0, k)} = ${name(1, this.options.rightKeys[i])}`).join(', ');
    return `WindowJoinExec: type=${this.options.joinType} keys=[${keys}] window_end=[${name(0, this.ends[0])} = ${name(1, this.ends[1])}]${this.condition === null ? '' : ' residual'} stateBytesMax=${this.options.stateBytesMax}`;
  }
}
