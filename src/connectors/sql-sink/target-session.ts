/**
 * What a relational sink needs from its database, implemented by the DuckDB and Postgres
 * sinks: transactions, table introspection, DDL for auto.create/auto.evolve, bulk writes, deletes
 * by key, and the offsets table written in the same transaction as the rows.
 */
import type { ColumnSpec } from './columns.ts';
import type { RowShape } from './row-ops.ts';
import type { WirePlan } from './wire-rows.ts';

/**
 * Rows a target decodes from Avro record bytes straight into its own buffers (the wire fast
 * path, see wire-rows.ts), for one table and row shape.
 */
export interface WireBuffer {
  /** Rows held (in upsert mode one per key). */
  readonly rows: number;
  /** Decodes one record (with its 5-byte header) as the next row; false, keeping nothing, when it does not fit the plan or a key column is null. */
  add(value: Buffer): boolean;
  /** upsert: the key (`keyOf`) of the row `add` kept last; an earlier row with that key was dropped. */
  readonly lastKey: string;
  /** upsert: drops the row with this key, if any (a later change of the key took the general path). */
  drop(key: string): void;
}

export interface TargetSession {
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  /** The table's column names in table order, or null when it does not exist. */
  tableColumns(table: string): Promise<string[] | null>;
  createTable(table: string, columns: readonly ColumnSpec[], pk: readonly string[]): Promise<void>;
  addColumns(table: string, columns: readonly ColumnSpec[]): Promise<void>;
  /**
   * Writes `rowCount` rows given column by column (`data[i]` holds column `columns[i]`'s values:
   * the sink buffers columns, not per-row objects). `upsert`: rows replace those with the same
   * `pk` (the caller passes at most one row per key).
   */
  write(table: string, tableColumns: readonly string[], columns: readonly ColumnSpec[], pk: readonly string[], data: readonly (readonly unknown[])[], rowCount: number, mode: 'insert' | 'upsert'): Promise<void>;
  /** A buffer for rows of `shape` decoded by `plan` (targets without one take the rows as values through `write`). */
  wireBuffer?(plan: WirePlan, shape: RowShape, upsert: boolean, capacity: number): WireBuffer;
  /** Writes a buffer from `wireBuffer` as `write` would write its rows. */
  writeWire?(table: string, tableColumns: readonly string[], rows: WireBuffer, mode: 'insert' | 'upsert'): Promise<void>;
  deleteKeys(table: string, pk: readonly ColumnSpec[], keys: readonly unknown[][]): Promise<void>;
  truncate(table: string): Promise<void>;
  ensureOffsetsTable(table: string): Promise<void>;
  /** Next offsets to consume, by `topic/partition`. */
  readOffsets(table: string, connector: string): Promise<Map<string, bigint>>;
  /** Upserts the offsets in the open transaction (a target may send them with its COMMIT). */
  writeOffsets(table: string, connector: string, offsets: ReadonlyMap<string, bigint>): Promise<void>;
  close(): Promise<void>;
}
