/**
 * Grouping keys. A single non-NULL numeric key is its own Map key (no allocation); otherwise
 * the key columns are encoded into one string with type tags and length prefixes, so distinct
 * keys never collide.
 */
import { scalarAt } from './column.ts';
import type { Column } from './column.ts';

export type GroupKey = number | string;

export class GroupKeyReader {
  private cols: Column[] = [];
  private readonly numericSingle: boolean;

  constructor(private readonly keyIndexes: readonly number[], types: readonly { kind: string }[]) {
    const k = keyIndexes.length === 1 ? types[keyIndexes[0]].kind : '';
    this.numericSingle = ['TINYINT', 'SMALLINT', 'INT', 'BIGINT', 'DATE', 'TIMESTAMP', 'TIMESTAMP_LTZ', 'TIME'].includes(k);
  }

  /** Points the reader at a batch's columns (indexed like the input). */
  bind(cols: readonly (Column | undefined)[]): void {
    this.cols = this.keyIndexes.map((i) => cols[i] as Column);
  }

  keyAt(i: number): GroupKey {
    if (this.cols.length === 0) return 0;
    if (this.numericSingle) {
      const c = this.cols[0];
      if (c.nulls === null || c.nulls[i] === 0) return (c.values as Float64Array)[i];
      return '\u0001null';
    }
    let s = '';
    for (const c of this.cols) {
      if (c.nulls !== null && c.nulls[i] === 1) { s += 'N|'; continue; }
      const v = (c.values as ArrayLike<unknown>)[i];
      if (typeof v === 'string') s += `s${v.length}:${v}|`;
      else if (typeof v === 'bigint') s += `b${v}|`;
      else if (v instanceof Uint8Array) s += `x${Buffer.from(v).toString('hex')}|`;
      else s += `n${String(v)}|`;
    }
    return s;
  }

  /** The key's values at row `i`, kept with the group for output. */
  valuesAt(i: number): unknown[] {
    return this.cols.map((c) => scalarAt(c, i));
  }
}
