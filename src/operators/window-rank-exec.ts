/**
 * WindowRankExec: Top-N per window (Flink's WindowRankOperator), a Rank partitioned by
 * window_start and window_end of a window TVF or window aggregation:
 *
 *   SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end
 *     ORDER BY price DESC) AS rn FROM TABLE(TUMBLE(...))) WHERE rn <= 3
 *
 * Each (window, partition) keeps its best rows (at most N, plus ties for RANK and DENSE_RANK);
 * when the watermark reaches window_end - 1 the window's rows are emitted with their ranks and
 * its state is dropped. The output is append-only: a window is final when emitted. Rows of a
 * window the watermark already passed are late: counted in `lateRecordsDropped`, dropped.
 * Window deduplication (ROW_NUMBER = 1 ordered by the time column) is the Top-1 case.
 * Output: the input columns, then the rank (BIGINT) when `rankColumn` is set.
 */
import type { Data, RecordBatch } from 'apache-arrow';
import type { ColumnDef } from './arrow-types.ts';
import { readColumn, scalarAt } from './column.ts';
import type { Column } from './column.ts';
import { InvalidPlanError, ResourcesExhaustedError } from './errors.ts';
import { GroupKeyReader } from './group-key.ts';
import type { GroupKey } from './group-key.ts';
import type { StreamMessage } from './message.ts';
import { BaseExec, checkColumn } from './operator-base.ts';
import { compareSortValues, displaySortKey, sortValuesAt } from './sort-key.ts';
import { keepCount, rankRange, rowBytes, upperBound } from './rank-exec.ts';
import type { Entry, RankOptions } from './rank-exec.ts';
import { ROW_KIND_COLUMN } from './row-kind.ts';
import { RowsBuilder } from './rows-builder.ts';
import { decodeState, encodeState } from './state/codec.ts';
import { T } from './types.ts';

export interface WindowRankOptions extends Pick<RankOptions, 'partitionKeys' | 'orderKeys' | 'fn' | 'rankStart' | 'rankEnd' | 'rankColumn' | 'stateBytesMax'> {
  /** The window_end column (TIMESTAMP, epoch ms). */
  readonly endColumn: number;
}

export class WindowRankExec extends BaseExec {
  readonly name = 'WindowRankExec';
  readonly inputCount = 1;
  readonly outputColumns: readonly ColumnDef[];
  private readonly keyReader: GroupKeyReader;
  /** window_end -> partition key -> sorted rows. */
  private readonly windows = new Map<number, Map<GroupKey, Entry[]>>();
  private readonly out: RowsBuilder;
  private bytes = 0;

  constructor(private readonly inputColumns: readonly ColumnDef[], private readonly options: WindowRankOptions) {
    super();
    const o = options;
    if (!(o.stateBytesMax > 0)) throw new InvalidPlanError('INVALID_PLAN', `${this.name}: stateBytesMax must be positive`);
    if (inputColumns.some((c) => c.name === ROW_KIND_COLUMN)) throw new InvalidPlanError('INVALID_PLAN', `${this.name}: needs an append-only input`);
    if (!Number.isInteger(o.rankStart) || !Number.isInteger(o.rankEnd) || o.rankStart < 1 || o.rankEnd < o.rankStart) {
      throw new InvalidPlanError('INVALID_PLAN', `${this.name}: rank range [${o.rankStart}, ${o.rankEnd}] must be whole numbers with 1 <= start <= end`);
    }
    for (const k of o.partitionKeys) checkColumn(this.name, inputColumns, k, 'a partition key');
    for (const k of o.orderKeys) checkColumn(this.name, inputColumns, k.column, 'an ORDER BY key');
    checkColumn(this.name, inputColumns, o.endColumn, 'window_end');
    this.keyReader = new GroupKeyReader(o.partitionKeys, inputColumns.map((c) => c.type));
    const outDefs = o.rankColumn === null ? inputColumns : [...inputColumns, { name: o.rankColumn, type: T.bigint(false) }];
    this.out = new RowsBuilder(outDefs, false);
    this.outputColumns = outDefs;
  }

  protected onBatch(_input: number, batch: RecordBatch, out: StreamMessage[]): void {
    const cols: Column[] = this.inputColumns.map((c, i) => readColumn(batch.data.children[i] as Data, c.type));
    this.keyReader.bind(cols);
    const ends = cols[this.options.endColumn].values as Float64Array;
    const { orderKeys, fn, rankEnd } = this.options;
    for (let i = 0; i < batch.numRows; i++) {
      const end = ends[i];
      if (end - 1 <= this.watermarkMs) { this.lateRecordsDropped++; continue; }
      let parts = this.windows.get(end);
      if (parts === undefined) {
        parts = new Map();
        this.windows.set(end, parts);
      }
      const key = this.keyReader.keyAt(i);
      let rows = parts.get(key);
      if (rows === undefined) {
        rows = [];
        parts.set(key, rows);
      }
      const sort = sortValuesAt(orderKeys, cols, i);
      if (fn === 'ROW_NUMBER' && rows.length >= rankEnd && compareSortValues(orderKeys, sort, rows[rows.length - 1].sort) >= 0) continue;
      const row = new Array<unknown>(cols.length);
      for (let c = 0; c < cols.length; c++) row[c] = scalarAt(cols[c], i);
      const entry = { sort, row, bytes: rowBytes(row) };
      rows.splice(upperBound(rows, sort, orderKeys), 0, entry);
      this.bytes += entry.bytes;
      const keep = keepCount(rows, this.options);
      for (let at = keep; at < rows.length; at++) this.bytes -= rows[at].bytes;
      rows.length = keep;
    }
    if (this.bytes > this.options.stateBytesMax) {
      throw new ResourcesExhaustedError(this.name, 'stateBytesMax', `state reached ${this.bytes} bytes in ${this.windows.size} open windows, over stateBytesMax=${this.options.stateBytesMax}`);
    }
  }

  protected override onWatermark(_input: number, timestampMs: number, out: StreamMessage[]): void {
    const due = [...this.windows.keys()].filter((end) => end - 1 <= timestampMs).sort((a, b) => a - b);
    for (const end of due) {
      for (const rows of (this.windows.get(end) as Map<GroupKey, Entry[]>).values()) {
        const { entries, ranks } = rankRange(rows, this.options);
        entries.forEach((e, j) => {
          for (let c = 0; c < e.row.length; c++) this.out.set(c, e.row[c]);
          if (this.options.rankColumn !== null) this.out.set(e.row.length, ranks[j]);
          this.out.endRow(0);
        });
        for (const e of rows) this.bytes -= e.bytes;
      }
      this.windows.delete(end);
    }
    if (this.windows.size === 0) this.bytes = 0;
    const b = this.out.flush();
    if (b !== null) this.emitBatch(b, out);
    this.emitWatermark(timestampMs, out);
  }

  protected override stateBytes(): number {
    return this.bytes;
  }

  override snapshotState(): Uint8Array {
    const windows = [...this.windows].map(([end, parts]) => [end, [...parts].map(([key, rows]) => [key, rows.map((e) => e.row)])]);
    return encodeState({ v: 1, wm: this.watermarkMs, late: this.lateRecordsDropped, windows });
  }

  override restoreState(bytes: Uint8Array): void {
    const s = decodeState(bytes) as { wm: number; late: number; windows: [number, [GroupKey, unknown[][]][]][] };
    this.windows.clear();
    this.bytes = 0;
    this.watermarkMs = s.wm;
    this.lateRecordsDropped = s.late;
    for (const [end, parts] of s.windows) {
      const m = new Map<GroupKey, Entry[]>();
      for (const [key, rows] of parts) {
        m.set(key, rows.map((row) => {
          const e = { sort: this.options.orderKeys.map((k) => row[k.column]), row, bytes: rowBytes(row) };
          this.bytes += e.bytes;
          return e;
        }));
      }
      this.windows.set(end, m);
    }
  }

  display(): string {
    const n = this.inputColumns.map((c) => c.name);
    const o = this.options;
    return `WindowRankExec: ${o.fn} partition=[${o.partitionKeys.map((k) => n[k]).join(', ')}] order=[${o.orderKeys.map((k) => displaySortKey(k, n[k.column])).join(', ')}] range=[${o.rankStart}, ${o.rankEnd}] rank=${o.rankColumn ?? 'hidden'} window_end=${n[o.endColumn]} stateBytesMax=${o.stateBytesMax}`;
  }
}
