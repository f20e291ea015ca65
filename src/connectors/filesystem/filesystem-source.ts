/**
 * FileSystemSource: a `'connector' = 'filesystem'` table read as a bounded source (CSV or Parquet,
 * read through DuckDB's `read_csv`/`read_parquet` with the table's declared column types). It is
 * Nexmark q13's side input: small, read whole at the first poll, then the source ends.
 *
 * `readFirst` asks the pipeline to read it to its end before any other source is polled, so a
 * processing-time lookup join (LookupJoinExec) has the whole table loaded, keyed by the join key,
 * before the first probe row arrives, as Flink's filesystem lookup source loads it on open.
 * Offsets say whether the rows were emitted: a restore from a checkpoint taken after that emits
 * only the end (the operators' restored state already holds the rows; emitting them again would
 * double a lookup join's table).
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { batchFromRows, displayType } from '../../operators/index.ts';
import type { ColumnDef, Source, SourceOffsets, SqlType, StreamMessage } from '../../operators/index.ts';

export class FileSystemSourceError extends Error {}

export interface FileSystemSourceOptions {
  /** A file, or (Parquet) a directory whose `**\/*.parquet` files are read (the sink's layout). */
  readonly path: string;
  readonly format: 'csv' | 'parquet';
  readonly columns: readonly ColumnDef[];
  readonly name?: string;
  /** Rows per emitted batch. */
  readonly batchRows?: number;
}

/** The DuckDB type a column is read as, and the expression turning it into the JS value batchFromRows takes. */
function readAs(c: ColumnDef): { duckType: string; select: (col: string) => string } {
  const t: SqlType = c.type;
  const same = (duckType: string) => ({ duckType, select: (col: string) => col });
  switch (t.kind) {
    case 'BOOLEAN': return same('BOOLEAN');
    case 'TINYINT': return same('TINYINT');
    case 'SMALLINT': return same('SMALLINT');
    case 'INT': return same('INTEGER');
    case 'BIGINT': return { duckType: 'BIGINT', select: (col) => `CAST(${col} AS DOUBLE)` };
    case 'FLOAT': return same('FLOAT');
    case 'DOUBLE': return same('DOUBLE');
    case 'CHAR': case 'VARCHAR': return same('VARCHAR');
    case 'DECIMAL': return { duckType: `DECIMAL(${t.precision}, ${t.scale})`, select: (col) => `CAST(${col} AS VARCHAR)` };
    case 'DATE': return { duckType: 'DATE', select: (col) => `CAST(${col} - DATE '1970-01-01' AS INTEGER)` };
    case 'TIMESTAMP': return { duckType: 'TIMESTAMP', select: (col) => `CAST(epoch_ms(${col}) AS DOUBLE)` };
    default:
      throw new FileSystemSourceError(`column '${c.name}' is ${displayType(t)}; a filesystem table is read with scalar columns only (BOOLEAN, integers, FLOAT, DOUBLE, DECIMAL, CHAR, VARCHAR, DATE, TIMESTAMP)`);
  }
}

const quote = (s: string): string => `'${s.replace(/'/g, "''")}'`;
const ident = (s: string): string => `"${s.replace(/"/g, '""')}"`;

export class FileSystemSource implements Source {
  readonly name: string;
  readonly outputColumns: readonly ColumnDef[];
  readonly readFirst = true;
  private done = false;
  /** Restored from a checkpoint taken after the rows were emitted. */
  private restoredRead = false;

  constructor(private readonly options: FileSystemSourceOptions) {
    this.name = options.name ?? `FileSystemSource(${options.path})`;
    this.outputColumns = options.columns;
    options.columns.forEach(readAs);
  }

  /** The whole file as rows of JS values in the declared column order. */
  async readRows(): Promise<unknown[][]> {
    const { path, format, columns } = this.options;
    const info = await stat(path).catch(() => null);
    if (info === null) throw new FileSystemSourceError(`${this.name}: '${path}' does not exist (a filesystem table's 'path' resolves against the data directory)`);
    const types = columns.map(readAs);
    const select = columns.map((c, i) => `${types[i].select(format === 'csv' ? ident(c.name) : `CAST(${ident(c.name)} AS ${types[i].duckType})`)}`).join(', ');
    let from: string;
    if (format === 'csv') {
      if (info.isDirectory()) throw new FileSystemSourceError(`${this.name}: '${path}' is a directory; a CSV filesystem table reads one file`);
      const cols = columns.map((c, i) => `${quote(c.name)}: ${quote(types[i].duckType)}`).join(', ');
      from = `read_csv(${quote(path)}, header = false, delim = ',', quote = '"', auto_detect = false, columns = {${cols}})`;
    } else {
      from = `read_parquet(${quote(info.isDirectory() ? join(path, '**', '*.parquet') : path)}, hive_partitioning = true)`;
    }
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    try {
      const reader = await conn.runAndReadAll(`SELECT ${select} FROM ${from}`);
      return reader.getRows() as unknown[][];
    } catch (e) {
      throw new FileSystemSourceError(`${this.name}: cannot read '${path}' as ${format} with columns (${columns.map((c) => `${c.name} ${displayType(c.type)}`).join(', ')}): ${(e as Error).message}`);
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  }

  async poll(): Promise<StreamMessage[]> {
    if (this.done) return [];
    this.done = true;
    if (this.restoredRead) return [{ kind: 'end' }];
    const rows = await this.readRows();
    const size = this.options.batchRows ?? 4096;
    const out: StreamMessage[] = [];
    for (let i = 0; i < rows.length; i += size) out.push({ kind: 'batch', batch: batchFromRows(this.outputColumns, rows.slice(i, i + size)) });
    out.push({ kind: 'end' });
    return out;
  }

  offsets(): SourceOffsets {
    return this.done ? { rows: 'emitted' } : {};
  }

  restoreOffsets(offsets: SourceOffsets): void {
    this.restoredRead = offsets.rows === 'emitted';
  }

  async close(): Promise<void> {}
}
