/**
 * Groups found by their key columns' values, one Map level per key column, so that finding a
 * row's group builds no composite key string (GroupKeyReader.keyAt concatenates the columns:
 * an allocation, and a hash of the whole string, per row). With interned strings
 * (utf8-intern.ts) each level is a hash the string already carries and a pointer comparison.
 *
 * Values map to Map keys as SQL compares them: NULL is one key, BOOLEAN is 0/1, bytes by content;
 * other values as they are. Key columns of nested types (ARRAY, MAP, ROW) are not supported
 * (`supports`): their operators keep the composite string keys.
 */
import type { Column } from './column.ts';
import { physicalKind } from './column.ts';
import { distinctKey } from './aggregates/index.ts';
import type { SqlType } from './types.ts';

const NULL_KEY = Symbol('NULL');

type Level = Map<unknown, unknown>;

export class GroupIndex<G> {
  private readonly root: Level = new Map();
  private values: ArrayLike<unknown>[] = [];
  private nulls: (Uint8Array | null)[] = [];
  private readonly binary: boolean[];

  static supports(types: readonly SqlType[]): boolean {
    return types.length > 0 && types.every((t) => physicalKind(t) !== 'object');
  }

  constructor(private readonly keyIndexes: readonly number[], types: readonly SqlType[]) {
    this.binary = keyIndexes.map((k) => physicalKind(types[k]) === 'binary');
  }

  /** Points the index at a batch's columns (indexed like the input). */
  bind(cols: readonly (Column | undefined)[]): void {
    this.values = this.keyIndexes.map((k) => (cols[k] as Column).values as ArrayLike<unknown>);
    this.nulls = this.keyIndexes.map((k) => (cols[k] as Column).nulls);
  }

  private at(c: number, i: number): unknown {
    const nulls = this.nulls[c];
    if (nulls !== null && nulls[i] === 1) return NULL_KEY;
    const v = this.values[c][i];
    return this.binary[c] ? distinctKey(v) : v;
  }

  /** The group of row `i` of the bound batch. */
  get(i: number): G | undefined {
    let level = this.root;
    const last = this.values.length - 1;
    for (let c = 0; c < last; c++) {
      const next = level.get(this.at(c, i)) as Level | undefined;
      if (next === undefined) return undefined;
      level = next;
    }
    return level.get(this.at(last, i)) as G | undefined;
  }

  /** Adds `g` under its key values (as `scalarAt` reads them). */
  set(keys: readonly unknown[], g: G): void {
    let level = this.root;
    for (let c = 0; c < keys.length - 1; c++) {
      const k = scalarKey(keys[c]);
      let next = level.get(k) as Level | undefined;
      if (next === undefined) { next = new Map(); level.set(k, next); }
      level = next;
    }
    level.set(scalarKey(keys[keys.length - 1]), g);
  }

  delete(keys: readonly unknown[]): void {
    const path: Level[] = [this.root];
    for (let c = 0; c < keys.length - 1; c++) {
      const next = path[c].get(scalarKey(keys[c])) as Level | undefined;
      if (next === undefined) return;
      path.push(next);
    }
    for (let c = keys.length - 1; c >= 0; c--) {
      path[c].delete(scalarKey(keys[c]));
      if (c > 0 && path[c].size > 0) return;
    }
  }

  clear(): void {
    this.root.clear();
  }
}

function scalarKey(v: unknown): unknown {
  if (v === null) return NULL_KEY;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return distinctKey(v);
}
