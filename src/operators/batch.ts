/**
 * Building and reading record batches: `makeBatch` from Arrow `Data` columns, and the row-wise
 * helpers `batchFromRows` / `batchToRows` that tests and `ValuesExec` use (not the hot path).
 */
import { RecordBatch, Struct, makeData } from 'apache-arrow';
import type { Data } from 'apache-arrow';
import { toArrowSchema, fromArrowSchema } from './arrow-types.ts';
import type { ColumnDef } from './arrow-types.ts';
import { allocValues, physicalKind, readColumn, scalarAt, toArrowData } from './column.ts';
import type { Column } from './column.ts';
import { formatDecimal, parseDecimal } from './functions/decimal.ts';
import { ROW_KIND_COLUMN, rowKindData } from './row-kind.ts';
import { T } from './types.ts';
import type { SqlType } from './types.ts';
import { InvalidPlanError } from './errors.ts';

export function makeBatch(columns: readonly ColumnDef[], data: readonly Data[], numRows: number): RecordBatch {
  const schema = toArrowSchema(columns);
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: numRows, nullCount: 0, children: [...data] }));
}

/** A column from JS scalars; DECIMAL accepts a decimal string ('1.50') or an unscaled bigint. */
export function columnFromValues(type: SqlType, values: readonly unknown[]): Column {
  const n = values.length;
  const kind = physicalKind(type);
  const out = allocValues(kind, n) as unknown[];
  let nulls: Uint8Array | null = null;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      nulls ??= new Uint8Array(n);
      nulls[i] = 1;
      continue;
    }
    if (kind === 'bool') out[i] = v === true ? 1 : 0;
    else if (kind === 'decimal' && type.kind === 'DECIMAL') out[i] = typeof v === 'bigint' ? v : parseDecimal(String(v), type.scale);
    else if (kind === 'binary' && typeof v === 'string') out[i] = new TextEncoder().encode(v);
    else out[i] = v;
  }
  return { type, length: n, values: out as Column['values'], nulls };
}

/** Builds a batch from rows of JS values; `rowKinds` adds a `$row_kind` column. */
export function batchFromRows(columns: readonly ColumnDef[], rows: readonly (readonly unknown[])[], rowKinds?: readonly number[]): RecordBatch {
  const data = columns.map((c, ci) => toArrowData(columnFromValues(c.type, rows.map((r) => r[ci]))));
  if (rowKinds === undefined) return makeBatch(columns, data, rows.length);
  if (rowKinds.length !== rows.length) throw new InvalidPlanError('INVALID_ARGUMENT', 'one row kind per row');
  return makeBatch([...columns, { name: ROW_KIND_COLUMN, type: T.tinyint(false) }], [...data, rowKindData(Int8Array.from(rowKinds))], rows.length);
}

/**
 * Reads a batch back as rows of JS values: numbers, strings, booleans, NULL as null, DECIMAL as
 * its decimal string ('0.908'), timestamps as epoch milliseconds.
 */
export function batchToRows(batch: RecordBatch): unknown[][] {
  const defs = fromArrowSchema(batch.schema);
  const cols = defs.map((d, i) => readColumn(batch.data.children[i] as Data, d.type));
  const rows: unknown[][] = [];
  for (let r = 0; r < batch.numRows; r++) {
    rows.push(cols.map((c) => {
      const v = scalarAt(c, r);
      return c.type.kind === 'DECIMAL' && v !== null ? formatDecimal(v as bigint, c.type.scale) : v;
    }));
  }
  return rows;
}

export { fromArrowSchema };
