/**
 * FileSystemSink: the SQL sink of `'connector' = 'filesystem'` tables, writing Parquet files
 * through DuckDB, committed with the statement's checkpoints.
 *
 * Layout (as Flink's filesystem connector): `<path>/<k1>=<v1>/<k2>=<v2>/part-<id>-<n>-<i>.parquet`
 * for `PARTITIONED BY (k1, k2)`; partition values are escaped as Hive does (`23:59` is
 * `23%3A59`) and the partition columns are not repeated inside the files.
 *
 * Commit protocol (the Sink contract of src/operators/pipeline.ts):
 * - `write` buffers rows in memory per partition; past `rollRows` buffered rows they are written
 *   early, to in-progress files of the next checkpoint;
 * - `preCommit(n)` writes what is buffered to in-progress files `.part-<id>-<n>-<i>.parquet.inprogress`
 *   (hidden, and not `*.parquet`: readers never see them);
 * - `commit(n)` renames the in-progress files of checkpoints up to n to their visible names.
 * A rename within one directory is atomic, so a reader sees a file whole or not at all. After a
 * crash, `restore(n)` commits what checkpoint n (persisted) had pre-committed and deletes the
 * in-progress files of later checkpoints, whose rows the statement reads again from the source;
 * `restore(0)` (no checkpoint) deletes every in-progress file of `id`. A sink used without
 * `restore` does the latter before its first write.
 *
 * @example
 *   const sink = new FileSystemSink({ path: 'out/q10', columns, partitionKeys: ['dt', 'hm'], id: statementId });
 */
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { BIGINT, BLOB, BOOLEAN, DOUBLE, DuckDBBlobValue, DuckDBDataChunk, DuckDBInstance, FLOAT, INTEGER, SMALLINT, TINYINT, VARCHAR } from '@duckdb/node-api';
import type { DuckDBConnection, DuckDBType, DuckDBValue } from '@duckdb/node-api';
import type { RecordBatch } from 'apache-arrow';
import { batchToRows, displayType, ROW_KIND_COLUMN } from '../../operators/index.ts';
import type { ColumnDef, Sink, SqlType } from '../../operators/index.ts';

export class FileSystemSinkError extends Error {}

export interface FileSystemSinkOptions {
  /** Directory of the table (created when missing). */
  readonly path: string;
  /** Columns of the written rows, partition columns included. */
  readonly columns: readonly ColumnDef[];
  readonly partitionKeys: readonly string[];
  /** Stable across restarts of the writer (the statement id): names its files. */
  readonly id: string;
  /** Buffered rows past which they are written to an in-progress file before the checkpoint. */
  readonly rollRows?: number;
  readonly name?: string;
}

export const ROLL_ROWS_DEFAULT = 500_000;
/** Rows per DuckDB data chunk (its vector size). */
const CHUNK_ROWS = 2048;
/** Distinct partitions buffered between checkpoints at most. */
export const PARTITIONS_MAX = 10_000;

/** How one SQL type travels: the chunk type the appender takes, and the SELECT that makes the file's type. */
interface ColumnCarrier {
  readonly chunkType: DuckDBType;
  readonly stagingType: string;
  readonly toChunk: (v: unknown) => DuckDBValue;
  readonly select: (col: string) => string;
}

function carrierOf(name: string, t: SqlType): ColumnCarrier {
  const plain = (chunkType: DuckDBType, stagingType: string, toChunk: (v: unknown) => DuckDBValue = (v) => v as DuckDBValue): ColumnCarrier => ({ chunkType, stagingType, toChunk, select: (c) => c });
  const micros = (precision: number) => (v: unknown) => BigInt(Math.round((v as number) * (precision <= 3 ? 1000 : precision <= 6 ? 1 : 0.001)));
  switch (t.kind) {
    case 'BOOLEAN': return plain(BOOLEAN, 'BOOLEAN');
    case 'TINYINT': return plain(TINYINT, 'TINYINT');
    case 'SMALLINT': return plain(SMALLINT, 'SMALLINT');
    case 'INT': return plain(INTEGER, 'INTEGER');
    case 'BIGINT': return plain(BIGINT, 'BIGINT', (v) => BigInt(v as number));
    case 'FLOAT': return plain(FLOAT, 'FLOAT');
    case 'DOUBLE': return plain(DOUBLE, 'DOUBLE');
    case 'CHAR': case 'VARCHAR': return plain(VARCHAR, 'VARCHAR');
    case 'BINARY': case 'VARBINARY': return plain(BLOB, 'BLOB', (v) => new DuckDBBlobValue(v as Uint8Array));
    case 'DECIMAL': return { ...plain(VARCHAR, 'VARCHAR'), select: (c) => `CAST(${c} AS DECIMAL(${t.precision}, ${t.scale}))` };
    case 'DATE': return { ...plain(INTEGER, 'INTEGER'), select: (c) => `CAST(DATE '1970-01-01' + ${c} AS DATE)` };
    case 'TIME': return { ...plain(BIGINT, 'BIGINT', micros(t.precision)), select: (c) => `(TIME '00:00:00' + to_microseconds(${c}))` };
    case 'TIMESTAMP': return { ...plain(BIGINT, 'BIGINT', micros(t.precision)), select: (c) => `make_timestamp(${c})` };
    case 'TIMESTAMP_LTZ': return { ...plain(BIGINT, 'BIGINT', micros(t.precision)), select: (c) => `CAST(make_timestamp(${c}) AS TIMESTAMPTZ)` };
    default:
      throw new FileSystemSinkError(`column '${name}' is ${displayType(t)}; the filesystem sink writes scalar columns only (cast it, e.g. to STRING)`);
  }
}

/** Hive's escaping of partition values in paths (Flink's PartitionPathUtils does the same). */
export function escapePartitionValue(v: string): string {
  let out = '';
  for (const ch of v) {
    const c = ch.charCodeAt(0);
    out += c < 0x20 || c === 0x7f || '"#%\'*/:=?\\{[]^'.includes(ch) ? `%${c.toString(16).toUpperCase().padStart(2, '0')}` : ch;
  }
  return out;
}

/** Flink's name for a NULL or empty partition value. */
export const DEFAULT_PARTITION_NAME = '__DEFAULT_PARTITION__';

const IN_PROGRESS = /^\.part-(.+)-(\d+)-(\d+)\.parquet\.inprogress$/;

export class FileSystemSink implements Sink {
  readonly name: string;
  recordsWritten = 0;
  filesCommitted = 0;
  finished = false;
  private readonly carriers: ColumnCarrier[];
  /** Indexes of data (non-partition) and partition columns in the written rows. */
  private readonly dataCols: number[];
  private readonly partCols: number[];
  private readonly buffers = new Map<string, unknown[][]>();
  private buffered = 0;
  /** The checkpoint the rows written now belong to (the last pre-committed + 1). */
  private current = 1;
  private fileSeq = 0;
  /** Pre-committed, not yet committed: checkpoint id -> [in-progress path, final path]. */
  private readonly pending = new Map<number, [string, string][]>();
  private recovered = false;
  private db: { instance: DuckDBInstance; conn: DuckDBConnection } | null = null;

  constructor(private readonly options: FileSystemSinkOptions) {
    this.name = options.name ?? `FileSystemSink(${options.path})`;
    if (!/^[\w.-]+$/.test(options.id)) throw new FileSystemSinkError(`writer id '${options.id}' must be letters, digits, '.', '_' or '-'`);
    const cols = options.columns.filter((c) => c.name !== ROW_KIND_COLUMN);
    for (const k of options.partitionKeys) {
      if (!cols.some((c) => c.name === k)) throw new FileSystemSinkError(`PARTITIONED BY column '${k}' is not a column of the written rows (${cols.map((c) => c.name).join(', ')})`);
    }
    this.partCols = options.partitionKeys.map((k) => cols.findIndex((c) => c.name === k));
    this.dataCols = cols.map((_, i) => i).filter((i) => !this.partCols.includes(i));
    if (this.dataCols.length === 0) throw new FileSystemSinkError('a filesystem table needs at least one column outside PARTITIONED BY');
    this.carriers = this.dataCols.map((i) => carrierOf(cols[i].name, cols[i].type));
  }

  /** Continues after checkpoint `checkpointId` (0: none), before any write. */
  async restore(checkpointId: number): Promise<void> {
    if (this.recovered) throw new FileSystemSinkError(`${this.name}: restore comes before the first write`);
    this.current = checkpointId + 1;
    await this.recover(checkpointId);
  }

  /** Files have no transaction to hand to the checkpoint: in-progress names carry the checkpoint id. */
  pendingTransaction(): null {
    return null;
  }

  async write(batch: RecordBatch): Promise<void> {
    await this.recover(0);
    if (batch.schema.fields.some((f) => f.name === ROW_KIND_COLUMN)) {
      throw new FileSystemSinkError(`${this.name}: a filesystem table takes append-only results; this query updates its results (write it to an upsert table instead)`);
    }
    for (const row of batchToRows(batch)) {
      const key = this.partCols.map((i) => row[i] === null || row[i] === '' ? DEFAULT_PARTITION_NAME : escapePartitionValue(String(row[i]))).join('/');
      let buf = this.buffers.get(key);
      if (buf === undefined) {
        if (this.buffers.size >= PARTITIONS_MAX) throw new FileSystemSinkError(`${this.name}: more than ${PARTITIONS_MAX} partitions written within one checkpoint`);
        buf = [];
        this.buffers.set(key, buf);
      }
      buf.push(this.dataCols.map((i) => row[i]));
    }
    this.buffered += batch.numRows;
    if (this.buffered >= (this.options.rollRows ?? ROLL_ROWS_DEFAULT)) await this.flushTo(this.current);
  }

  async preCommit(checkpointId: number): Promise<void> {
    await this.recover(0);
    await this.flushTo(checkpointId);
    this.current = checkpointId + 1;
  }

  async commit(checkpointId: number): Promise<void> {
    await this.recover(0);
    for (const [id, files] of [...this.pending].sort((a, b) => a[0] - b[0])) {
      if (id > checkpointId) break;
      for (const [from, to] of files) await rename(from, to);
      this.filesCommitted += files.length;
      this.pending.delete(id);
    }
  }

  finish(): Promise<void> {
    this.finished = true;
    return Promise.resolve();
  }

  async close(): Promise<void> {
    if (this.db !== null) {
      this.db.conn.closeSync();
      this.db.instance.closeSync();
      this.db = null;
    }
  }

  /** Writes the buffered rows to in-progress files of checkpoint `id`, one per partition. */
  private async flushTo(id: number): Promise<void> {
    if (this.buffered === 0) return;
    const conn = await this.connection();
    const files = this.pending.get(id) ?? [];
    for (const [key, rows] of this.buffers) {
      const dir = key === '' ? this.options.path : join(this.options.path, ...key.split('/').map((v, i) => `${this.options.partitionKeys[i]}=${v}`));
      await mkdir(dir, { recursive: true });
      const base = `part-${this.options.id}-${id}-${this.fileSeq++}.parquet`;
      const inProgress = join(dir, `.${base}.inprogress`);
      await this.writeParquet(conn, rows, inProgress);
      files.push([inProgress, join(dir, base)]);
      this.recordsWritten += rows.length;
    }
    this.pending.set(id, files);
    this.buffers.clear();
    this.buffered = 0;
  }

  private async writeParquet(conn: DuckDBConnection, rows: readonly unknown[][], file: string): Promise<void> {
    await conn.run('DELETE FROM staging');
    const appender = await conn.createAppender('staging');
    try {
      const chunk = DuckDBDataChunk.create(this.carriers.map((c) => c.chunkType), CHUNK_ROWS);
      const cols: DuckDBValue[][] = this.carriers.map(() => []);
      for (let base = 0; base < rows.length; base += CHUNK_ROWS) {
        const n = Math.min(CHUNK_ROWS, rows.length - base);
        this.carriers.forEach((carrier, c) => {
          const col = cols[c];
          col.length = n;
          for (let k = 0; k < n; k++) {
            const v = rows[base + k][c];
            col[k] = v === null || v === undefined ? null : carrier.toChunk(v);
          }
        });
        chunk.reset();
        chunk.rowCount = n;
        cols.forEach((col, c) => chunk.setColumnValues(c, col));
        appender.appendDataChunk(chunk);
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    const names = this.dataCols.map((i) => this.options.columns[i].name);
    const select = this.carriers.map((c, k) => `${c.select(`c${k}`)} AS ${quote(names[k])}`).join(', ');
    await conn.run(`COPY (SELECT ${select} FROM staging) TO '${file.replace(/'/g, "''")}' (FORMAT PARQUET)`);
  }

  private async connection(): Promise<DuckDBConnection> {
    if (this.db === null) {
      const instance = await DuckDBInstance.create(':memory:');
      const conn = await instance.connect();
      await conn.run(`SET TimeZone = 'UTC'`);
      await conn.run(`CREATE TABLE staging (${this.carriers.map((c, k) => `c${k} ${c.stagingType}`).join(', ')})`);
      this.db = { instance, conn };
    }
    return this.db.conn;
  }

  /**
   * Once, before any write: in-progress files of this writer left by an earlier run are
   * committed when their checkpoint was persisted (id <= the restored one), deleted otherwise.
   */
  private async recover(upTo: number): Promise<void> {
    if (this.recovered) return;
    this.recovered = true;
    for (const { dir, file } of await listFiles(this.options.path)) {
      const m = IN_PROGRESS.exec(file);
      if (m === null || m[1] !== this.options.id) continue;
      const path = join(dir, file);
      if (Number(m[2]) <= upTo) await rename(path, join(dir, file.slice(1, -'.inprogress'.length)));
      else await rm(path, { force: true });
    }
  }
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

async function listFiles(root: string): Promise<{ dir: string; file: string }[]> {
  const out: { dir: string; file: string }[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const e of entries) {
      if (e.isDirectory()) await walk(join(dir, e.name));
      else out.push({ dir, file: e.name });
    }
  };
  await walk(root);
  return out;
}
