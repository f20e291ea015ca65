/**
 * WindowAggregateExec: GROUP BY keys + window over window TVF output (Flink's window
 * aggregation), in mode Single (no local/global split), emitting final results only.
 *
 * Windows come either from the input's `window_start`/`window_end` columns (TUMBLE, HOP,
 * CUMULATE, assigned by WindowAssignerExec) or, for SESSION, from the time column itself: each
 * row opens [ts, ts + gap) and intersecting sessions of the same key merge (accumulators merge).
 *
 * Emits: each window once, when the watermark reaches window_end - 1 (Flink fires at the window's
 * max timestamp), windows in order of end then start, groups in arrival order; then forwards the
 * watermark. `end` fires every open window. A row whose window has already fired is late: it is
 * counted in `lateRecordsDropped` and dropped. State is bounded by `stateBytesMax`.
 *
 * Output columns: group keys, window_start, window_end, window_time, aggregates.
 */
import type { Data, RecordBatch } from 'apache-arrow';
import type { ColumnDef } from './arrow-types.ts';
import { readColumn } from './column.ts';
import type { Column } from './column.ts';
import { AggregateInput } from './agg-input.ts';
import { aggregateFactory } from './aggregates/index.ts';
import type { AggregateCall, AggregateFactory } from './aggregates/index.ts';
import type { AggState } from './agg-input.ts';
import { InvalidPlanError, ResourcesExhaustedError } from './errors.ts';
import { GroupKeyReader } from './group-key.ts';
import type { GroupKey } from './group-key.ts';
import type { StreamMessage } from './message.ts';
import { BaseExec, checkColumn } from './operator-base.ts';
import { ROW_KIND_COLUMN } from './row-kind.ts';
import { RowsBuilder } from './rows-builder.ts';
import { decodeState, encodeState } from './state/codec.ts';
import { T, isTimestampKind } from './types.ts';
import { windowColumns } from './window-assigner-exec.ts';

export type WindowSource =
  | { readonly kind: 'assigned'; readonly startColumn: number; readonly endColumn: number }
  | { readonly kind: 'session'; readonly timeColumn: number; readonly gapMs: number };

export interface WindowAggregateOptions {
  readonly window: WindowSource;
  readonly groupKeys: readonly number[];
  readonly aggregates: readonly AggregateCall[];
  /** Upper bound on estimated state; past it the operator fails with ResourcesExhaustedError. */
  readonly stateBytesMax: number;
  /** Most rows per output batch. */
  readonly batchRowsMax?: number;
}

export const BATCH_ROWS_MAX_DEFAULT = 8192;
const GROUP_BYTES = 96;

interface Group { readonly key: GroupKey; readonly keys: unknown[]; readonly accs: AggState }
interface Session { start: number; end: number; accs: AggState }
interface SessionGroup { readonly key: GroupKey; readonly keys: unknown[]; sessions: Session[] }

export class WindowAggregateExec extends BaseExec {
  readonly name = 'WindowAggregateExec';
  readonly inputCount = 1;
  readonly outputColumns: readonly ColumnDef[];
  private readonly factories: AggregateFactory[];
  private readonly aggInput: AggregateInput;
  private readonly keyReader: GroupKeyReader;
  private readonly used: number[];
  private readonly out: RowsBuilder;
  /** Assigned windows: end -> start -> key -> group; `ends` sorted ascending. */
  private readonly windows = new Map<number, Map<number, Map<GroupKey, Group>>>();
  private ends: number[] = [];
  private readonly sessions = new Map<GroupKey, SessionGroup>();
  private bytes = 0;
  private readonly batchRowsMax: number;

  constructor(private readonly inputColumns: readonly ColumnDef[], private readonly options: WindowAggregateOptions) {
    super();
    const w = options.window;
    if (inputColumns.some((c) => c.name === ROW_KIND_COLUMN)) {
      throw new InvalidPlanError('INVALID_PLAN', `${this.name}: window aggregation needs an append-only input`);
    }
    let timeType = T.timestamp(3, false);
    const timeCols = w.kind === 'assigned' ? [w.startColumn, w.endColumn] : [w.timeColumn];
    for (const c of timeCols) {
      const def = checkColumn(this.name, inputColumns, c, 'a window column');
      if (!isTimestampKind(def.type.kind)) throw new InvalidPlanError('TYPE_MISMATCH', `${this.name}: ${def.name} must be a TIMESTAMP`);
      timeType = def.type;
    }
    if (w.kind === 'session' && !(Number.isInteger(w.gapMs) && w.gapMs > 0)) {
      throw new InvalidPlanError('INVALID_PLAN', `${this.name}: SESSION gap must be a positive number of milliseconds`);
    }
    if (w.kind === 'assigned') {
      const wt = inputColumns.find((c) => c.name === 'window_time');
      if (wt !== undefined) timeType = wt.type;
    }
    if (!(options.stateBytesMax > 0)) throw new InvalidPlanError('INVALID_PLAN', `${this.name}: stateBytesMax must be positive`);
    for (const k of options.groupKeys) checkColumn(this.name, inputColumns, k, 'a group key');
    this.factories = options.aggregates.map((a) => aggregateFactory(this.name, a, inputColumns, false));
    this.aggInput = new AggregateInput(this.factories, inputColumns, false);
    this.keyReader = new GroupKeyReader(options.groupKeys, inputColumns.map((c) => c.type));
    this.used = [...new Set([...options.groupKeys, ...timeCols, ...this.aggInput.columnsUsed()])];
    this.outputColumns = [
      ...options.groupKeys.map((k) => inputColumns[k]),
      ...windowColumns(timeType),
      ...this.factories.map((f) => ({ name: f.call.name, type: f.resultType })),
    ];
    this.out = new RowsBuilder(this.outputColumns, false);
    this.batchRowsMax = options.batchRowsMax ?? BATCH_ROWS_MAX_DEFAULT;
  }

  /** Accumulates a batch; nothing is emitted until the watermark closes windows. */
  protected onBatch(_input: number, batch: RecordBatch): void {
    const cols = new Array<Column | undefined>(this.inputColumns.length);
    for (const c of this.used) cols[c] = readColumn(batch.data.children[c] as Data, this.inputColumns[c].type);
    this.keyReader.bind(cols);
    this.aggInput.bind(cols);
    const w = this.options.window;
    if (w.kind === 'assigned') this.accumulateAssigned(cols[w.startColumn] as Column, cols[w.endColumn] as Column, batch.numRows);
    else this.accumulateSessions(cols[w.timeColumn] as Column, w.gapMs, batch.numRows);
  }

  /** Adds rows to their windows; rows of already-fired windows are counted as late. */
  private accumulateAssigned(startCol: Column, endCol: Column, n: number): void {
    const starts = startCol.values as Float64Array, ends = endCol.values as Float64Array;
    for (let i = 0; i < n; i++) {
      const end = ends[i];
      if (end - 1 <= this.watermarkMs) { this.lateRecordsDropped++; continue; }
      const start = starts[i];
      let byStart = this.windows.get(end);
      if (byStart === undefined) {
        byStart = new Map();
        this.windows.set(end, byStart);
        insertSorted(this.ends, end);
      }
      let groups = byStart.get(start);
      if (groups === undefined) { groups = new Map(); byStart.set(start, groups); }
      const key = this.keyReader.keyAt(i);
      let g = groups.get(key);
      if (g === undefined) {
        g = { key, keys: this.keyReader.valuesAt(i), accs: this.aggInput.create() };
        groups.set(key, g);
        this.grow(groupBytes(key, this.factories.length));
      }
      this.grow(this.aggInput.apply(g.accs, i, false));
    }
  }

  private accumulateSessions(timeCol: Column, gap: number, n: number): void {
    const ts = timeCol.values as Float64Array;
    for (let i = 0; i < n; i++) {
      if (timeCol.nulls !== null && timeCol.nulls[i] === 1) continue;
      const t = ts[i];
      const key = this.keyReader.keyAt(i);
      let sg = this.sessions.get(key);
      // Bounds of the session this row would end up in, before touching state.
      let start = t, end = t + gap;
      if (sg !== undefined) {
        for (const s of sg.sessions) if (s.start <= t + gap && s.end >= t) { start = Math.min(start, s.start); end = Math.max(end, s.end); }
      }
      if (end - 1 <= this.watermarkMs) { this.lateRecordsDropped++; continue; }
      if (sg === undefined) {
        sg = { key, keys: this.keyReader.valuesAt(i), sessions: [] };
        this.sessions.set(key, sg);
        this.grow(groupBytes(key, 0));
      }
      const target = this.mergeInto(sg, start, end);
      this.grow(this.aggInput.apply(target.accs, i, false));
    }
  }

  /** Merges every session of `sg` intersecting [start, end] into one and returns it. */
  private mergeInto(sg: SessionGroup, start: number, end: number): Session {
    let target: Session | null = null;
    const keep: Session[] = [];
    for (const s of sg.sessions) {
      if (s.start <= end && s.end >= start) {
        if (target === null) target = s;
        else {
          this.grow(this.aggInput.merge(target.accs, s.accs));
          this.grow(-40 * this.factories.length - 64);
          continue;
        }
      }
      keep.push(s);
    }
    if (target === null) {
      target = { start, end, accs: this.aggInput.create() };
      keep.push(target);
      this.grow(40 * this.factories.length + 64);
    }
    target.start = start;
    target.end = end;
    sg.sessions = keep;
    return target;
  }

  private grow(delta: number): void {
    this.bytes += delta;
    if (this.bytes > this.options.stateBytesMax) {
      throw new ResourcesExhaustedError(this.name, 'stateBytesMax',
        `state reached ${this.bytes} bytes, over stateBytesMax=${this.options.stateBytesMax}; raise the limit or shorten the window`);
    }
  }

  protected override onWatermark(_input: number, timestampMs: number, out: StreamMessage[]): void {
    if (timestampMs <= this.watermarkMs) return;
    this.fire(timestampMs, out);
    this.emitWatermark(timestampMs, out);
  }

  protected override onEnd(_input: number, out: StreamMessage[]): void {
    this.fire(Infinity, out);
    this.emitWatermark(Infinity, out);
    out.push({ kind: 'end' });
  }

  /** Emits every window whose end - 1 <= watermark, then drops its state. */
  private fire(watermarkMs: number, out: StreamMessage[]): void {
    if (this.options.window.kind === 'assigned') {
      let fired = 0;
      while (fired < this.ends.length && this.ends[fired] - 1 <= watermarkMs) {
        const end = this.ends[fired++];
        const byStart = this.windows.get(end) as Map<number, Map<GroupKey, Group>>;
        for (const start of [...byStart.keys()].sort((a, b) => a - b)) {
          for (const g of (byStart.get(start) as Map<GroupKey, Group>).values()) {
            this.emitRow(g.keys, start, end, g.accs, out);
            this.bytes -= groupBytes(g.key, this.factories.length);
          }
        }
        this.windows.delete(end);
      }
      this.ends = this.ends.slice(fired);
    } else {
      for (const [key, sg] of this.sessions) {
        const open: Session[] = [];
        for (const s of [...sg.sessions].sort((a, b) => a.start - b.start)) {
          if (s.end - 1 <= watermarkMs) {
            this.emitRow(sg.keys, s.start, s.end, s.accs, out);
            this.bytes -= 40 * this.factories.length + 64;
          } else open.push(s);
        }
        sg.sessions = open;
        if (open.length === 0) { this.sessions.delete(key); this.bytes -= groupBytes(key, 0); }
      }
    }
    if (this.windows.size === 0 && this.sessions.size === 0) this.bytes = 0;
    this.emitRows(this.out, out);
  }

  private emitRow(keys: readonly unknown[], start: number, end: number, accs: AggState, out: StreamMessage[]): void {
    let c = 0;
    for (const k of keys) this.out.set(c++, k);
    this.out.set(c++, start);
    this.out.set(c++, end);
    this.out.set(c++, end - 1);
    for (const v of this.aggInput.values(accs)) this.out.set(c++, v);
    this.out.endRow(0);
    if (this.out.length >= this.batchRowsMax) this.emitRows(this.out, out);
  }

  protected override stateBytes(): number {
    return this.bytes;
  }

  override snapshotState(): Uint8Array {
    const assigned: unknown[] = [];
    for (const [end, byStart] of this.windows) {
      for (const [start, groups] of byStart) {
        for (const g of groups.values()) assigned.push([end, start, g.key, g.keys, this.aggInput.save(g.accs)]);
      }
    }
    const sessions = [...this.sessions.values()].map((sg) => [sg.key, sg.keys, sg.sessions.map((s) => [s.start, s.end, this.aggInput.save(s.accs)])]);
    return encodeState({ v: 1, wm: this.watermarkMs, late: this.lateRecordsDropped, bytes: this.bytes, assigned, sessions });
  }

  override restoreState(bytes: Uint8Array): void {
    const s = decodeState(bytes) as {
      wm: number; late: number; bytes: number;
      assigned: [number, number, GroupKey, unknown[], unknown[]][];
      sessions: [GroupKey, unknown[], [number, number, unknown[]][]][];
    };
    this.windows.clear();
    this.ends = [];
    this.sessions.clear();
    this.watermarkMs = s.wm;
    this.lateRecordsDropped = s.late;
    this.bytes = s.bytes;
    const load = (saved: unknown): AggState => this.aggInput.load(saved);
    for (const [end, start, key, keys, accs] of s.assigned) {
      let byStart = this.windows.get(end);
      if (byStart === undefined) { byStart = new Map(); this.windows.set(end, byStart); insertSorted(this.ends, end); }
      let groups = byStart.get(start);
      if (groups === undefined) { groups = new Map(); byStart.set(start, groups); }
      groups.set(key, { key, keys, accs: load(accs) });
    }
    for (const [key, keys, sessions] of s.sessions) {
      this.sessions.set(key, { key, keys, sessions: sessions.map(([start, end, accs]) => ({ start, end, accs: load(accs) })) });
    }
  }

  display(): string {
    const w = this.options.window;
    const win = w.kind === 'session' ? `SESSION(gap=${w.gapMs} ms)` : 'window=[window_start, window_end)';
    const keys = this.options.groupKeys.map((k) => this.inputColumns[k].name).join(', ');
    const aggs = this.options.aggregates.map(displayCall).join(', ');
    return `WindowAggregateExec: ${win} keys=[${keys}] aggs=[${aggs}] mode=Single emit=on-watermark stateBytesMax=${this.options.stateBytesMax}`;
  }
}

export function displayCall(c: AggregateCall): string {
  const arg = c.arg === null ? '*' : `${c.distinct === true ? 'DISTINCT ' : ''}$${c.arg}`;
  const filter = c.filter === undefined || c.filter === null ? '' : ` FILTER (WHERE $${c.filter})`;
  return `${c.fn === 'COUNT_STAR' ? 'COUNT' : c.fn}(${arg})${filter} AS ${c.name}`;
}

function groupBytes(key: GroupKey, aggs: number): number {
  return GROUP_BYTES + (typeof key === 'string' ? 2 * key.length : 8) + 40 * aggs;
}

function insertSorted(arr: number[], x: number): void {
  let lo = 0, hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  arr.splice(lo, 0, x);
}
