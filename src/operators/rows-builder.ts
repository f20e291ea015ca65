/**
 * Collects output rows column by column (plain arrays, amortized growth, no per-row objects) and
 * turns them into a RecordBatch, optionally with a `$row_kind` column.
 */
import type { RecordBatch } from 'apache-arrow';
import type { ColumnDef } from './arrow-types.ts';
import { columnFromValues, makeBatch } from './batch.ts';
import { toArrowData } from './column.ts';
import { ROW_KIND_COLUMN, rowKindData } from './row-kind.ts';

export class RowsBuilder {
  readonly columns: unknown[][];
  kinds: number[] = [];

  constructor(private readonly defs: readonly ColumnDef[], private readonly withRowKind: boolean) {
    this.columns = defs.map(() => []);
  }

  get length(): number {
    return this.kinds.length;
  }

  /** Appends one value to column `c` of the row being built. */
  set(c: number, v: unknown): void {
    this.columns[c].push(v);
  }

  /** Finishes the row being built with its row kind. */
  endRow(kind: number): void {
    this.kinds.push(kind);
  }

  /** Appends a whole row (one value per column) with its row kind. */
  appendRow(row: readonly unknown[], kind: number): void {
    for (let c = 0; c < row.length; c++) this.columns[c].push(row[c]);
    this.kinds.push(kind);
  }

  /** Drops rows from `length` on (a tentative -U/+U pair that turned out unchanged). */
  truncate(length: number): void {
    for (const col of this.columns) col.length = length;
    this.kinds.length = length;
  }

  /** Builds the batch and resets the builder. Output columns are `defs` (+ `$row_kind`). */
  flush(): RecordBatch | null {
    const n = this.kinds.length;
    if (n === 0) return null;
    const data = this.defs.map((d, c) => toArrowData(columnFromValues(d.type, this.columns[c])));
    let batch: RecordBatch;
    if (this.withRowKind) {
      const kinds = Int8Array.from(this.kinds);
      batch = makeBatch([...this.defs, { name: ROW_KIND_COLUMN, type: { kind: 'TINYINT', nullable: false } }], [...data, rowKindData(kinds)], n);
    } else {
      batch = makeBatch(this.defs, data, n);
    }
    for (const col of this.columns) col.length = 0;
    this.kinds = [];
    return batch;
  }
}
