/**
 * The DuckDB side of the relational sink: one connection to a database file (instances are
 * shared per file within the process, as DuckDB allows one writer instance per file), bulk
 * writes through the appender in data chunks of 2048 rows, and the offsets table. Upserts append
 * the batch (its keys are distinct) into a temporary staging table shaped like the target, then
 * run one `DELETE … USING staging` and one `INSERT … SELECT` (a hash join instead of literal key
 * lists); no PRIMARY KEY constraint is created, because DuckDB's unique indexes reject a delete
 * and re-insert of one key inside a transaction, and slow appends. Deletes by key use literal
 * VALUES lists (tombstones are few).
 */
import { DuckDBDataChunk, DuckDBDateValue, DuckDBInstance, DuckDBTimeValue, DuckDBTimestampValue, DuckDBBlobValue, BIGINT, BLOB, BOOLEAN, DATE, DOUBLE, FLOAT, INTEGER, SMALLINT, TIME, TIMESTAMP, TIMESTAMPTZ, TINYINT, VARCHAR, DECIMAL } from '@duckdb/node-api';
import type { DuckDBConnection, DuckDBType, DuckDBValue } from '@duckdb/node-api';
import type { ColumnKind, ColumnSpec } from '../sql-sink/columns.ts';
import type { RowShape } from '../sql-sink/row-ops.ts';
import type { TargetSession, WireBuffer } from '../sql-sink/target-session.ts';
import type { WirePlan } from '../sql-sink/wire-rows.ts';
import { chunkRows, DuckDBWireRows } from './wire-chunks.ts';
/** Keys per DELETE statement. */
const deleteKeysPerStatement = 2000;

/** A normalized value (see `columns.ts`) as SQL literal text. */
export function sqlLiteral(kind: ColumnKind, v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  switch (kind) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
    case 'float32':
    case 'float64':
      return String(v);
    case 'boolean':
      return v ? 'TRUE' : 'FALSE';
    case 'timestamp':
      return `make_timestamp(${String(v)})`;
    case 'time':
      return `(TIME '00:00:00' + to_microseconds(${String(v)}))`;
    case 'date':
      return `(DATE '1970-01-01' + ${String(v)}::INTEGER)`;
    case 'bytes':
      return `from_hex('${(v as Buffer).toString('hex')}')`;
    default:
      return `'${String(v).replace(/'/g, "''")}'`;
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function sqlType(c: ColumnSpec): string {
  switch (c.kind) {
    case 'int8':
      return 'TINYINT';
    case 'int16':
      return 'SMALLINT';
    case 'int32':
      return 'INTEGER';
    case 'int64':
      return 'BIGINT';
    case 'float32':
      return 'FLOAT';
    case 'float64':
      return 'DOUBLE';
    case 'boolean':
      return 'BOOLEAN';
    case 'string':
      return 'VARCHAR';
    case 'bytes':
      return 'BLOB';
    case 'decimal':
      return `DECIMAL(38, ${Math.min(c.scale ?? 0, 37)})`;
    case 'date':
      return 'DATE';
    case 'time':
      return 'TIME';
    case 'timestamp':
      return 'TIMESTAMP';
    case 'timestamptz':
      return 'TIMESTAMPTZ';
    case 'json':
      return 'JSON';
    default: {
      const never: never = c.kind;
      throw new Error(String(never));
    }
  }
}

function duckType(kind: ColumnKind, scale?: number): DuckDBType {
  switch (kind) {
    case 'int8':
      return TINYINT;
    case 'int16':
      return SMALLINT;
    case 'int32':
      return INTEGER;
    case 'int64':
      return BIGINT;
    case 'float32':
      return FLOAT;
    case 'float64':
      return DOUBLE;
    case 'boolean':
      return BOOLEAN;
    case 'bytes':
      return BLOB;
    case 'decimal':
      return DECIMAL(38, Math.min(scale ?? 0, 37));
    case 'date':
      return DATE;
    case 'time':
      return TIME;
    case 'timestamp':
      return TIMESTAMP;
    case 'timestamptz':
      return TIMESTAMPTZ;
    case 'string':
    case 'json':
      return VARCHAR;
    default: {
      const never: never = kind;
      throw new Error(String(never));
    }
  }
}

/**
 * A normalized value (see `columns.ts`) as the DuckDB value the chunk vector takes; null where
 * the normalized value already is one (strings, bigints, booleans), so it is copied as is.
 */
function toDuck(kind: ColumnKind): ((v: unknown) => DuckDBValue) | null {
  switch (kind) {
    case 'timestamp':
      return (v) => (v === null ? null : new DuckDBTimestampValue(v as bigint));
    case 'time':
      return (v) => (v === null ? null : new DuckDBTimeValue(v as bigint));
    case 'date':
      return (v) => (v === null ? null : new DuckDBDateValue(v as number));
    case 'bytes':
      return (v) => (v === null ? null : new DuckDBBlobValue(v as Buffer));
    case 'int8':
    case 'int16':
    case 'int32':
    case 'float32':
    case 'float64':
      return (v) => (v === null ? null : typeof v === 'bigint' ? Number(v) : (v as number));
    default:
      return null;
  }
}

/** Columns the chunk writes as VARCHAR and DuckDB casts (decimal, timestamptz, json). */
function chunkKind(kind: ColumnKind): ColumnKind {
  return kind === 'decimal' || kind === 'timestamptz' || kind === 'json' ? 'string' : kind;
}

/**
 * One connection per database file in this process, used by one caller at a time. Connections
 * of one instance that interleave queries with an open write transaction were seen to stall each
 * other (and with them libuv's small thread pool), so sinks and readers of a file queue here.
 */
class DuckDBFile {
  private static readonly files = new Map<string, Promise<DuckDBFile>>();
  private tail: Promise<void> = Promise.resolve();
  private constructor(readonly conn: DuckDBConnection) {}

  static get(path: string): Promise<DuckDBFile> {
    let f = DuckDBFile.files.get(path);
    if (f === undefined) {
      f = (async () => new DuckDBFile(await (await DuckDBInstance.fromCache(path)).connect()))();
      f.catch(() => DuckDBFile.files.delete(path));
      DuckDBFile.files.set(path, f);
    }
    return f;
  }

  /** Waits for the file, then holds it until the returned release is called. */
  async acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => (release = r));
    const prev = this.tail;
    this.tail = prev.then(() => next);
    await prev;
    return release;
  }
}

/**
 * Runs `fn` with the file's connection, queued behind sink transactions on the same file: the way
 * to read a sink's tables from inside this process.
 */
export async function withDuckDB<T>(path: string, fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  const file = await DuckDBFile.get(path);
  const release = await file.acquire();
  try {
    return await fn(file.conn);
  } finally {
    release();
  }
}

export class DuckDBSession implements TargetSession {
  private release: (() => void) | null = null;
  /** The offsets upsert `writeOffsets` left for `commit`. */
  private offsetsSql = '';
  private constructor(private readonly file: DuckDBFile) {}

  private get conn(): DuckDBConnection {
    return this.file.conn;
  }

  static async open(path: string): Promise<DuckDBSession> {
    return new DuckDBSession(await DuckDBFile.get(path));
  }

  /** Outside a transaction, one statement holds the file for its duration. */
  private async outside<T>(fn: () => Promise<T>): Promise<T> {
    if (this.release !== null) return fn();
    const release = await this.file.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }

  async begin(): Promise<void> {
    this.release = await this.file.acquire();
    try {
      await this.conn.run('BEGIN TRANSACTION');
    } catch (err) {
      this.end();
      throw err;
    }
  }
  private end(): void {
    const r = this.release;
    this.release = null;
    r?.();
  }
  async commit(): Promise<void> {
    const offsets = this.offsetsSql;
    this.offsetsSql = '';
    try {
      await this.conn.run(`${offsets}COMMIT`);
    } finally {
      this.end();
    }
  }
  async rollback(): Promise<void> {
    this.offsetsSql = '';
    // Temporary tables made in the transaction go with it.
    DuckDBSession.temps.delete(this.conn);
    try {
      await this.conn.run('ROLLBACK');
    } finally {
      this.end();
    }
  }

  async tableColumns(table: string): Promise<string[] | null> {
    const r = await this.outside(() => this.conn.runAndReadAll(`SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = current_schema() AND table_name = $1 ORDER BY column_index`, [table]));
    const rows = r.getRows();
    return rows.length === 0 ? null : rows.map((row) => String(row[0]));
  }

  async createTable(table: string, columns: readonly ColumnSpec[], _pk: readonly string[]): Promise<void> {
    const cols = columns.map((c) => `${quoteIdent(c.name)} ${sqlType(c)}${c.nullable ? '' : ' NOT NULL'}`);
    await this.conn.run(`CREATE TABLE IF NOT EXISTS ${quoteIdent(table)} (${cols.join(', ')})`);
  }

  async addColumns(table: string, columns: readonly ColumnSpec[]): Promise<void> {
    for (const c of columns) await this.conn.run(`ALTER TABLE ${quoteIdent(table)} ADD COLUMN IF NOT EXISTS ${quoteIdent(c.name)} ${sqlType(c)}`);
  }

  async write(table: string, tableColumns: readonly string[], columns: readonly ColumnSpec[], pk: readonly string[], data: readonly (readonly unknown[])[], rowCount: number, mode: 'insert' | 'upsert'): Promise<void> {
    if (mode === 'insert' || pk.length === 0) return this.append(table, null, tableColumns, columns, data, rowCount);
    const stage = await this.stagingFor(table, tableColumns);
    await this.append(stage, 'temp', tableColumns, columns, data, rowCount);
    const on = pk.map((c) => `${quoteIdent(table)}.${quoteIdent(c)} = s.${quoteIdent(c)}`).join(' AND ');
    await this.conn.run(`DELETE FROM ${quoteIdent(table)} USING temp.main.${quoteIdent(stage)} AS s WHERE ${on}`);
    await this.conn.run(`INSERT INTO ${quoteIdent(table)} SELECT * FROM temp.main.${quoteIdent(stage)}`);
    await this.conn.run(`DELETE FROM temp.main.${quoteIdent(stage)}`);
  }

  /** Temporary tables (staging, keys) by name, with the shape they were made for. */
  private static readonly temps = new WeakMap<DuckDBConnection, Map<string, string>>();

  /** The temporary staging table for `table`, (re)made when the table's columns changed. */
  private async stagingFor(table: string, tableColumns: readonly string[]): Promise<string> {
    return this.temporary(`__runnel_stage_${table}`, tableColumns.join('\u0001'), (name) => `CREATE TEMP TABLE ${quoteIdent(name)} AS SELECT * FROM ${quoteIdent(table)} LIMIT 0`);
  }

  /** The temporary table `name`, made by `create` unless it exists with the same `shape`. */
  private async temporary(name: string, shape: string, create: (name: string) => string): Promise<string> {
    let temps = DuckDBSession.temps.get(this.conn);
    if (temps === undefined) DuckDBSession.temps.set(this.conn, (temps = new Map()));
    if (temps.get(name) !== shape) {
      await this.conn.run(`DROP TABLE IF EXISTS temp.main.${quoteIdent(name)}`);
      await this.conn.run(create(name));
      temps.set(name, shape);
    }
    return name;
  }

  /** Appends rows to `table` in its column order; columns the records lack are NULL. */
  private async append(table: string, catalog: string | null, tableColumns: readonly string[], columns: readonly ColumnSpec[], data: readonly (readonly unknown[])[], rowCount: number): Promise<void> {
    const byName = new Map(columns.map((c, i) => [c.name.toLowerCase(), i]));
    const map = tableColumns.map((name) => byName.get(name.toLowerCase()) ?? -1);
    const kinds = map.map((i) => (i < 0 ? 'string' : chunkKind(columns[i].kind)));
    const types = map.map((i, k) => (i < 0 ? VARCHAR : duckType(kinds[k], columns[i].scale)));
    const converters = kinds.map((k) => toDuck(k));
    const appender = await this.conn.createAppender(table, null, catalog);
    try {
      const chunk = DuckDBDataChunk.create(types, chunkRows);
      const cols: DuckDBValue[][] = map.map(() => new Array<DuckDBValue>(chunkRows));
      for (let base = 0; base < rowCount; base += chunkRows) {
        const n = Math.min(chunkRows, rowCount - base);
        for (let c = 0; c < map.length; c++) {
          const src = map[c] < 0 ? null : data[map[c]];
          const col = cols[c];
          col.length = n;
          const conv = converters[c];
          if (src === null) col.fill(null);
          else if (conv === null) for (let k = 0; k < n; k++) col[k] = src[base + k] as DuckDBValue;
          else for (let k = 0; k < n; k++) col[k] = conv(src[base + k]);
        }
        chunk.reset();
        chunk.rowCount = n;
        for (let c = 0; c < map.length; c++) chunk.setColumnValues(c, cols[c]);
        appender.appendDataChunk(chunk);
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
  }

  /** Written wire buffers, for reuse by their plan. */
  private readonly wirePool = new WeakMap<WirePlan, DuckDBWireRows[]>();

  wireBuffer(plan: WirePlan, shape: RowShape, upsert: boolean, capacity: number): WireBuffer {
    const pooled = this.wirePool.get(plan)?.find((r) => r.shape === shape && r.upsert === upsert);
    if (pooled === undefined) return new DuckDBWireRows(plan, shape, upsert, capacity);
    const pool = this.wirePool.get(plan)!;
    pool.splice(pool.indexOf(pooled), 1);
    return pooled;
  }

  /**
   * Appends the buffer's chunks to the table. Upserts first delete the table's rows with the
   * buffer's keys (one key per row: the buffer keeps the last), appended into a temporary key
   * table for one `DELETE … USING`. A table whose columns differ from the rows' takes the rows
   * as values through `write`.
   */
  async writeWire(table: string, tableColumns: readonly string[], buffer: WireBuffer, mode: 'insert' | 'upsert'): Promise<void> {
    const rows = buffer as DuckDBWireRows;
    const { shape } = rows;
    if (!rows.fits(tableColumns)) return this.write(table, tableColumns, shape.columns, shape.pk, rows.values(), rows.rows, mode);
    if (mode === 'upsert' && shape.pk.length > 0) {
      const keys = await this.keyTableFor(table, shape);
      await this.appendWire(keys, 'temp', rows, shape.pkIndexes);
      const on = shape.pk.map((c) => `${quoteIdent(table)}.${quoteIdent(c)} = k.${quoteIdent(c)}`).join(' AND ');
      await this.conn.run(`DELETE FROM ${quoteIdent(table)} USING temp.main.${quoteIdent(keys)} AS k WHERE ${on}; DELETE FROM temp.main.${quoteIdent(keys)}`);
    }
    await this.appendWire(table, null, rows, shape.columns.map((_, i) => i));
    rows.reset();
    let pool = this.wirePool.get(rows.plan);
    if (pool === undefined) this.wirePool.set(rows.plan, (pool = []));
    if (pool.length < 2) pool.push(rows);
  }

  private async appendWire(table: string, catalog: string | null, rows: DuckDBWireRows, which: readonly number[]): Promise<void> {
    const types = which.map((i) => duckType(chunkKind(rows.shape.columns[i].kind), rows.shape.columns[i].scale));
    const appender = await this.conn.createAppender(table, null, catalog);
    try {
      rows.appendTo(appender, which, types);
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
  }

  /** The temporary table of the key columns of `shape` for `table`, (re)made when they changed. */
  private async keyTableFor(table: string, shape: RowShape): Promise<string> {
    const cols = shape.pkIndexes.map((i) => shape.columns[i]);
    return this.temporary(`__runnel_keys_${table}`, cols.map((c) => `${quoteIdent(c.name)} ${sqlType(c)}`).join(', '), (name) => `CREATE TEMP TABLE ${quoteIdent(name)} (${cols.map((c) => `${quoteIdent(c.name)} ${sqlType(c)}`).join(', ')})`);
  }

  async deleteKeys(table: string, pk: readonly ColumnSpec[], keys: readonly unknown[][]): Promise<void> {
    if (keys.length === 0 || pk.length === 0) return;
    // Literal VALUES lists: no scratch table (DDL inside the write transaction stalled under concurrent readers).
    const on = pk.map((c, i) => `${quoteIdent(table)}.${quoteIdent(c.name)} = k.k${i}`).join(' AND ');
    const names = pk.map((_, i) => `k${i}`).join(', ');
    for (let base = 0; base < keys.length; base += deleteKeysPerStatement) {
      const tuples = keys.slice(base, base + deleteKeysPerStatement).map((key) => `(${pk.map((c, i) => sqlLiteral(c.kind, key[i])).join(', ')})`);
      await this.conn.run(`DELETE FROM ${quoteIdent(table)} USING (VALUES ${tuples.join(', ')}) AS k(${names}) WHERE ${on}`);
    }
  }

  async truncate(table: string): Promise<void> {
    await this.conn.run(`DELETE FROM ${quoteIdent(table)}`);
  }

  async ensureOffsetsTable(table: string): Promise<void> {
    await this.outside(() => this.conn.run(`CREATE TABLE IF NOT EXISTS ${quoteIdent(table)} (connector VARCHAR NOT NULL, topic VARCHAR NOT NULL, kafka_partition INTEGER NOT NULL, next_offset BIGINT NOT NULL, PRIMARY KEY (connector, topic, kafka_partition))`));
  }

  async readOffsets(table: string, connector: string): Promise<Map<string, bigint>> {
    const r = await this.outside(() => this.conn.runAndReadAll(`SELECT topic, kafka_partition, next_offset FROM ${quoteIdent(table)} WHERE connector = $1`, [connector]));
    return new Map(r.getRows().map((row) => [`${String(row[0])}/${Number(row[1])}`, BigInt(row[2] as bigint)]));
  }

  /**
   * The offsets upsert is run with the COMMIT, as one query: each query is a round trip through
   * DuckDB's threads and the event loop, which the sink's busy loop answers only between puts.
   */
  async writeOffsets(table: string, connector: string, offsets: ReadonlyMap<string, bigint>): Promise<void> {
    if (offsets.size === 0) return;
    const values: string[] = [];
    for (const [key, offset] of offsets) {
      const slash = key.lastIndexOf('/');
      values.push(`(${sqlLiteral('string', connector)}, ${sqlLiteral('string', key.slice(0, slash))}, ${Number(key.slice(slash + 1))}, ${offset})`);
    }
    this.offsetsSql = `INSERT INTO ${quoteIdent(table)} (connector, topic, kafka_partition, next_offset) VALUES ${values.join(', ')} ON CONFLICT (connector, topic, kafka_partition) DO UPDATE SET next_offset = excluded.next_offset; `;
  }

  async close(): Promise<void> {
    // The connection is shared by the file's users and lives as long as the process.
    if (this.release !== null) await this.rollback().catch(() => undefined);
  }
}
