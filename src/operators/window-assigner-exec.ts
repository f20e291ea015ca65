/**
 * WindowAssignerExec: the TUMBLE, HOP and CUMULATE table functions. Appends `window_start`,
 * `window_end` (TIMESTAMP(3) NOT NULL) and `window_time` (the time attribute's type, end - 1 ms,
 * a rowtime) to every row, repeating a row once per window for HOP and CUMULATE. Stateless; the
 * input must be append-only, as Flink requires. SESSION windows merge, so they are assigned
 * inside WindowAggregateExec.
 */
import { makeData, TimestampMillisecond } from 'apache-arrow';
import type { Data, RecordBatch } from 'apache-arrow';
import type { ColumnDef } from './arrow-types.ts';
import { toArrowType } from './arrow-types.ts';
import { makeBatch } from './batch.ts';
import { readColumn, toArrowData } from './column.ts';
import { InvalidPlanError } from './errors.ts';
import type { StreamMessage } from './message.ts';
import { BaseExec, checkColumn } from './operator-base.ts';
import { ROW_KIND_COLUMN } from './row-kind.ts';
import { takeData } from './take.ts';
import { T, isTimestampKind } from './types.ts';
import type { SqlType } from './types.ts';
import { assignWindows, displayWindow, validateWindowSpec } from './windows.ts';
import type { WindowSpec } from './windows.ts';

export interface WindowAssignerOptions {
  readonly window: WindowSpec;
  /** The time attribute column (TIMESTAMP(3) or TIMESTAMP_LTZ(3)). */
  readonly timeColumn: number;
}

export function windowColumns(timeType: SqlType): ColumnDef[] {
  const ltz = timeType.kind === 'TIMESTAMP_LTZ';
  return [
    { name: 'window_start', type: T.timestamp(3, false) },
    { name: 'window_end', type: T.timestamp(3, false) },
    { name: 'window_time', type: ltz ? T.timestampLtz(3, false, 'ROWTIME') : T.timestamp(3, false, 'ROWTIME') },
  ];
}

/** Assigns windows to one batch: the input columns, repeated per window, plus the three window columns. */
export function assignWindowsBatch(batch: RecordBatch, input: readonly ColumnDef[], options: WindowAssignerOptions, output: readonly ColumnDef[]): RecordBatch {
  const time = readColumn(batch.data.children[options.timeColumn] as Data, input[options.timeColumn].type);
  const w = assignWindows(time.values as Float64Array, time.nulls, batch.numRows, options.window);
  const identity = w.count === batch.numRows && options.window.kind === 'tumble' && time.nulls === null;
  const data: Data[] = input.map((_, c) => {
    const d = batch.data.children[c] as Data;
    return identity ? d : takeData(d, w.rows, w.count);
  });
  const ts = (values: Float64Array): Data =>
    makeData({ type: new TimestampMillisecond(), length: w.count, nullCount: 0, data: toInt64(values) });
  const windowTime = new Float64Array(w.count);
  for (let i = 0; i < w.count; i++) windowTime[i] = w.ends[i] - 1;
  data.push(ts(w.starts), ts(w.ends), toArrowData({ type: output[output.length - 1].type, length: w.count, values: windowTime, nulls: null }));
  return makeBatch(output, data, w.count);
}

function toInt64(values: Float64Array): BigInt64Array {
  const out = new BigInt64Array(values.length);
  const words = new Int32Array(out.buffer);
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    const hi = Math.floor(x / 4294967296);
    words[2 * i] = (x - hi * 4294967296) | 0;
    words[2 * i + 1] = hi;
  }
  return out;
}

export class WindowAssignerExec extends BaseExec {
  readonly name = 'WindowAssignerExec';
  readonly inputCount = 1;
  readonly outputColumns: readonly ColumnDef[];

  constructor(private readonly inputColumns: readonly ColumnDef[], private readonly options: WindowAssignerOptions) {
    super();
    validateWindowSpec(options.window);
    const time = checkColumn(this.name, inputColumns, options.timeColumn, 'the time attribute');
    if (!isTimestampKind(time.type.kind)) {
      throw new InvalidPlanError('TYPE_MISMATCH', `${this.name}: the time attribute ${time.name} must be TIMESTAMP or TIMESTAMP_LTZ, got ${time.type.kind}`);
    }
    if (inputColumns.some((c) => c.name === ROW_KIND_COLUMN)) {
      throw new InvalidPlanError('INVALID_PLAN', `${this.name}: window table functions need an append-only input, got an updating stream`);
    }
    this.outputColumns = [...inputColumns, ...windowColumns(time.type)];
  }

  protected onBatch(_input: number, batch: RecordBatch, out: StreamMessage[]): void {
    this.emitBatch(assignWindowsBatch(batch, this.inputColumns, this.options, this.outputColumns), out);
  }

  display(): string {
    return `WindowAssignerExec: ${displayWindow(this.options.window)} on ${this.inputColumns[this.options.timeColumn].name}`;
  }
}
