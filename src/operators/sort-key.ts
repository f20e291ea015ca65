/**
 * ORDER BY keys of ranking and OVER operators: a column, its direction, and where NULLs go
 * (Flink's default: NULLs first in ascending order, last in descending order).
 */
import type { Column } from './column.ts';
import { scalarAt } from './column.ts';

export interface SortKey {
  readonly column: number;
  readonly descending: boolean;
  readonly nullsFirst: boolean;
}

/** Compares two non-NULL scalars of one SQL type (numbers, strings, bigints, booleans, bytes). */
export function compareScalars(x: unknown, y: unknown): number {
  if (x instanceof Uint8Array && y instanceof Uint8Array) return Buffer.compare(x, y);
  return (x as number) < (y as number) ? -1 : (x as number) > (y as number) ? 1 : 0;
}

/** Compares two rows' sort values (`a[k]` is the value of `keys[k]`). */
export function compareSortValues(keys: readonly SortKey[], a: readonly unknown[], b: readonly unknown[]): number {
  for (let k = 0; k < keys.length; k++) {
    const x = a[k];
    const y = b[k];
    if (x === y) continue;
    let c: number;
    if (x === null) c = keys[k].nullsFirst ? -1 : 1;
    else if (y === null) c = keys[k].nullsFirst ? 1 : -1;
    else {
      c = compareScalars(x, y);
      if (keys[k].descending) c = -c;
    }
    if (c !== 0) return c;
  }
  return 0;
}

/** The sort values of row `i`. */
export function sortValuesAt(keys: readonly SortKey[], cols: readonly (Column | undefined)[], i: number): unknown[] {
  const out = new Array<unknown>(keys.length);
  for (let k = 0; k < keys.length; k++) out[k] = scalarAt(cols[keys[k].column] as Column, i);
  return out;
}

export function displaySortKey(k: SortKey, name: string): string {
  const defaultNulls = k.nullsFirst !== k.descending;
  return `${name}${k.descending ? ' DESC' : ''}${defaultNulls ? '' : k.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST'}`;
}
