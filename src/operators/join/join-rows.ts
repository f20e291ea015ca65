/**
 * Rows as joins keep them: one array of scalar values per row (the in-memory scalars of
 * column.ts), read once from a batch, plus an estimate of the bytes such a row holds. Joins keep
 * rows, not batches, because a row lives as long as its key does while its batch-mates expire.
 */
import type { Data, RecordBatch } from 'apache-arrow';
import type { ColumnDef } from '../arrow-types.ts';
import { readColumn, scalarAt } from '../column.ts';
import type { Column } from '../column.ts';

/** Fixed overhead of one stored row (array header, entry object, Map slot), in bytes. */
const ROW_OVERHEAD_BYTES = 64;

/** Reads the first `count` columns of a batch (the data columns; `$row_kind` comes after). */
export function readColumns(batch: RecordBatch, defs: readonly ColumnDef[], count: number): Column[] {
  const cols = new Array<Column>(count);
  for (let c = 0; c < count; c++) cols[c] = readColumn(batch.data.children[c] as Data, defs[c].type);
  return cols;
}

/** The values of row `i`; BINARY values are copied so the row does not pin its batch. */
export function rowAt(cols: readonly Column[], i: number): unknown[] {
  const row = new Array<unknown>(cols.length);
  for (let c = 0; c < cols.length; c++) {
    const v = scalarAt(cols[c], i);
    row[c] = v instanceof Uint8Array ? v.slice() : v;
  }
  return row;
}

/** Estimated bytes of a stored row; text counts one byte per character (V8 keeps Latin-1 strings one byte wide). */
export function rowBytes(row: readonly unknown[]): number {
  let b = ROW_OVERHEAD_BYTES + 8 * row.length;
  for (const v of row) {
    if (typeof v === 'string') b += 16 + v.length;
    else if (v instanceof Uint8Array) b += 32 + v.length;
    else if (typeof v === 'bigint') b += 24;
  }
  return b;
}

/** SQL-agnostic equality of two stored rows (same values in every column; NULL equals NULL). */
export function sameRow(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let c = 0; c < a.length; c++) {
    const x = a[c], y = b[c];
    if (x === y) continue;
    if (x instanceof Uint8Array && y instanceof Uint8Array) {
      if (Buffer.compare(x, y) !== 0) return false;
      continue;
    }
    if (typeof x === 'number' && typeof y === 'number' && Number.isNaN(x) && Number.isNaN(y)) continue;
    if (x !== null && y !== null && typeof x === 'object' && typeof y === 'object' && JSON.stringify(x) === JSON.stringify(y)) continue;
    return false;
  }
  return true;
}

/** True when any of `keys` is NULL at row `i` (SQL equality never matches NULL). */
export function keyHasNull(cols: readonly Column[], keys: readonly number[], i: number): boolean {
  for (const k of keys) {
    const n = cols[k].nulls;
    if (n !== null && n[i] === 1) return true;
  }
  return false;
}
