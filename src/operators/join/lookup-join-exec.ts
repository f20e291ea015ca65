/**
 * LookupJoinExec: a processing-time temporal join, `JOIN t FOR SYSTEM_TIME AS OF l.proc_time`
 * where proc_time is `PROCTIME()`.
 *
 * What a Confluent Cloud user expects from it: each left row is enriched with the right table's
 * rows *as they are when the left row is processed*; later changes to the right table do not
 * revise rows already emitted. Runnel's tables are topics, so the right table is read as a
 * stream alongside the left and kept in memory as its current content: the latest row per
 * primary key for an upsert table, every row (inserted, then retracted by -U/-D) otherwise.
 * Right-side changes emit nothing; a left row emits its joined rows at once (INNER), or itself
 * NULL-padded when nothing matches (LEFT), with the left row's own row kind. The output
 * watermark is the left's: the right table does not hold it back.
 */
import type { RecordBatch } from 'apache-arrow';
import type { ColumnDef } from '../arrow-types.ts';
import { scalarAt } from '../column.ts';
import { GroupKeyReader } from '../group-key.ts';
import type { GroupKey } from '../group-key.ts';
import type { StreamMessage } from '../message.ts';
import { ROW_KIND_COLUMN, RowKind } from '../row-kind.ts';
import { decodeState, encodeState } from '../state/codec.ts';
import { JoinCondition } from './join-condition.ts';
import { keyHasNull, readColumns, rowAt } from './join-rows.ts';
import { SideState } from './join-state.ts';
import type { Entry } from './join-state.ts';
import { keyedJoinParts } from './joined-output.ts';
import type { JoinedOutput, KeyedJoinOptions } from './joined-output.ts';
import { TwoInputExec } from './two-input-exec.ts';

export interface LookupJoinOptions extends KeyedJoinOptions {
  readonly joinType: 'INNER' | 'LEFT';
  /** The right table's primary key columns, or null. */
  readonly rightUniqueKey: readonly number[] | null;
}

export class LookupJoinExec extends TwoInputExec {
  readonly name = 'LookupJoinExec';
  readonly outputColumns: readonly ColumnDef[];
  private readonly output: JoinedOutput;
  private readonly counts: [number, number];
  private readonly readers: [GroupKeyReader, GroupKeyReader];
  private readonly unique: GroupKeyReader | null;
  private readonly condition: JoinCondition | null;
  private readonly rowKinds: [number, number];
  private table = new SideState(1, false);

  constructor(private readonly inputs: readonly [readonly ColumnDef[], readonly ColumnDef[]], private readonly options: LookupJoinOptions) {
    super();
    this.rowKinds = [inputs[0].findIndex((c) => c.name === ROW_KIND_COLUMN), inputs[1].findIndex((c) => c.name === ROW_KIND_COLUMN)];
    ({ counts: this.counts, readers: this.readers, output: this.output, condition: this.condition } =
      keyedJoinParts(this.name, inputs, options, {}, [false, false], this.rowKinds[0] >= 0));
    this.unique = options.rightUniqueKey === null ? null : new GroupKeyReader(options.rightUniqueKey, inputs[1].map((c) => c.type));
    this.outputColumns = this.output.columns;
  }

  protected onBatch(side: number, batch: RecordBatch, out: StreamMessage[]): void {
    const cols = readColumns(batch, this.inputs[side], this.counts[side]);
    const reader = this.readers[side];
    reader.bind(cols);
    const keys = side === 0 ? this.options.leftKeys : this.options.rightKeys;
    const kinds = this.rowKinds[side] >= 0 ? (batch.data.children[this.rowKinds[side]].values as Int8Array) : null;
    if (side === 1) {
      this.unique?.bind(cols);
      for (let i = 0; i < batch.numRows; i++) {
        const key = keyHasNull(cols, keys, i) ? null : reader.keyAt(i);
        this.update(key, rowAt(cols, i), kinds === null ? RowKind.INSERT : kinds[i], this.unique?.keyAt(i) ?? null);
      }
      return;
    }
    const rows: number[] = [], entries: Entry[] = [];
    for (let i = 0; i < batch.numRows; i++) {
      const list = keyHasNull(cols, keys, i) ? undefined : this.table.byKey.get(reader.keyAt(i));
      if (list !== undefined) for (const e of list) { rows.push(i); entries.push(e); }
    }
    const nLeft = this.output.counts[0];
    const pass = this.condition?.test(rows.length, (c, q) => (c < nLeft ? scalarAt(cols[c], rows[q]) : this.table.row(entries[q])[c - nLeft])) ?? null;
    let p = 0;
    for (let i = 0; i < batch.numRows; i++) {
      const kind = kinds === null ? RowKind.INSERT : kinds[i];
      const row = rowAt(cols, i);
      let matched = false;
      for (; p < rows.length && rows[p] === i; p++) {
        if (pass !== null && pass[p] !== 1) continue;
        matched = true;
        this.output.write(row, this.table.row(entries[p]), kind);
      }
      if (!matched && this.options.joinType === 'LEFT') this.output.write(row, null, kind);
    }
    this.emitRows(this.output.rows, out);
  }

  /** Applies one change of the right table to its current content (by primary key when it has one). */
  private update(key: GroupKey | null, row: unknown[], kind: number, unique: GroupKey | null): void {
    const stored = key ?? NULL_KEY;
    const accumulate = kind === RowKind.INSERT || kind === RowKind.UPDATE_AFTER;
    if (unique !== null) {
      const previous = this.table.byUnique.get(unique);
      if (previous !== undefined) {
        this.table.remove(previous.key, [], previous.entry);
        this.bytes = this.table.bytes();
      }
      if (!accumulate) return;
    } else if (!accumulate) {
      this.table.remove(stored, row, null);
      this.bytes = this.table.bytes();
      return;
    }
    this.grow(this.table.add(stored, row, 0, unique));
  }

  /** The left's watermark only: the right table never holds the output back. */
  protected override onWatermark(input: number, timestampMs: number, out: StreamMessage[]): void {
    if (input === 0) this.emitWatermark(timestampMs, out);
  }

  private grow(delta: number): void {
    this.growState(delta, this.options.stateBytesMax, () => `${this.table.rows} right rows`);
  }

  override snapshotState(): Uint8Array {
    const rows = [...this.table.byKey].flatMap(([k, list]) => list.map((e) => [k, this.table.row(e), e.unique]));
    return encodeState({ v: 1, wm: this.watermarkMs, rows });
  }

  override restoreState(bytes: Uint8Array): void {
    const s = decodeState(bytes) as { wm: number; bytes: number; rows: [GroupKey, unknown[], GroupKey | null][] };
    this.watermarkMs = s.wm;
    this.table = new SideState(1, false);
    for (const [k, row, u] of s.rows) this.table.add(k, row, 0, u);
    this.bytes = this.table.bytes();
  }

  display(): string {
    const name = (s: number, k: number): string => this.inputs[s][k].name;
    const keys = this.options.leftKeys.map((k, i) => `${name(0, k)} = ${name(1, this.options.rightKeys[i])}`).join(', ');
    return `LookupJoinExec: type=${this.options.joinType} keys=[${keys}] processing time`;
  }
}

const NULL_KEY = '\u0000null-key';
