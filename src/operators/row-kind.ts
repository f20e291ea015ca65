/**
 * Changelog row kinds, as Flink's `RowKind` defines them, with Flink's byte values.
 *
 * Batches of an updating stream carry one Int8 column named `$row_kind`; a batch without it is
 * all inserts (an append-only stream).
 */
import { Int8, makeData } from 'apache-arrow';
import type { Data, Schema } from 'apache-arrow';

export const ROW_KIND_COLUMN = '$row_kind';

export const RowKind = {
  INSERT: 0,
  UPDATE_BEFORE: 1,
  UPDATE_AFTER: 2,
  DELETE: 3,
} as const;
export type RowKind = (typeof RowKind)[keyof typeof RowKind];

/** Flink's short strings: +I, -U, +U, -D. */
export const ROW_KIND_SHORT = ['+I', '-U', '+U', '-D'] as const;

/** True for +I and +U (a row is added), false for -U and -D (a row is retracted). */
export function isAccumulate(kind: number): boolean {
  return kind === RowKind.INSERT || kind === RowKind.UPDATE_AFTER;
}

/** Index of the `$row_kind` column, or -1 for an append-only schema. */
export function rowKindIndex(schema: Schema): number {
  return schema.fields.findIndex((f) => f.name === ROW_KIND_COLUMN);
}

export function rowKindData(kinds: Int8Array): Data {
  return makeData({ type: new Int8(), length: kinds.length, nullCount: 0, data: kinds });
}
