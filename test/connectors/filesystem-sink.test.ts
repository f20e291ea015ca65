import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FileSystemSink, escapePartitionValue } from '../../src/connectors/filesystem/index.ts';
import { batchFromRows, T } from '../../src/operators/index.ts';
import type { ColumnDef } from '../../src/operators/index.ts';

const columns: ColumnDef[] = [
  { name: 'id', type: T.bigint(false) },
  { name: 'name', type: T.string(true) },
  { name: 'price', type: T.decimal(10, 2, true) },
  { name: 'at', type: T.timestamp(3, true) },
  { name: 'dt', type: T.string(true) },
];
const rows = (from: number, n: number, dt: string) => Array.from({ length: n }, (_, i) => [from + i, i % 3 === 0 ? null : `n${from + i}`, `${from + i}.25`, 1_700_000_000_000 + i, dt]);

describe('FileSystemSink', () => {
  let dir: string;
  let db: DuckDBInstance;
  let conn: DuckDBConnection;
  beforeAll(async () => {
    db = await DuckDBInstance.create(':memory:');
    conn = await db.connect();
  });
  afterAll(() => {
    conn.closeSync();
    db.closeSync();
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'runnel-fs-sink-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const files = async () => (await readdir(dir, { recursive: true })).map(String).filter((f) => f.includes('part-')).sort();
  const visible = async () => {
    if (!(await files()).some((f) => f.endsWith('.parquet'))) return [];
    const r = await conn.runAndReadAll(`SELECT id, name, CAST(price AS VARCHAR) AS price, epoch_ms("at") AS "at", dt FROM read_parquet('${dir}/**/*.parquet', hive_partitioning = true, hive_types_autocast = false) ORDER BY id`);
    return r.getRowsJS().map((row) => row.map((v) => (typeof v === 'bigint' ? Number(v) : v)));
  };
  const sink = (id = 'stmt-1') => new FileSystemSink({ path: dir, columns, partitionKeys: ['dt'], id });

  it('keeps files in progress until the checkpoint commits, then shows them whole, partitioned Hive-style', async () => {
    const s = sink();
    await s.write(batchFromRows(columns, [...rows(0, 5, '2024-01-01'), ...rows(5, 3, 'a/b:c')]));
    expect(await files()).toEqual([]); // buffered in memory
    await s.preCommit(1);
    expect((await files()).every((f) => f.endsWith('.inprogress'))).toBe(true);
    expect(await visible()).toEqual([]);
    await s.commit(1);
    expect((await files()).map((f) => f.split('/')[0])).toEqual(['dt=2024-01-01', `dt=${escapePartitionValue('a/b:c')}`]);
    expect(await visible()).toEqual([...rows(0, 5, '2024-01-01'), ...rows(5, 3, 'a/b:c')]);
    await s.close();
  });

  it('after a crash, commits what the restored checkpoint pre-committed and drops what came after it', async () => {
    const a = sink();
    await a.write(batchFromRows(columns, rows(0, 4, 'd1')));
    await a.preCommit(1);
    await a.commit(1);
    await a.write(batchFromRows(columns, rows(4, 4, 'd1')));
    await a.preCommit(2); // checkpoint 2 persisted, crash before its commit
    await a.write(batchFromRows(columns, rows(8, 4, 'd1')));
    await a.preCommit(3); // checkpoint 3 never persisted
    await a.close();
    const other = new FileSystemSink({ path: dir, columns, partitionKeys: ['dt'], id: 'stmt-2' });
    await other.write(batchFromRows(columns, rows(100, 1, 'd1')));
    await other.preCommit(1); // another statement's file in progress
    expect(await visible()).toEqual(rows(0, 4, 'd1'));

    const b = sink();
    await b.restore(2);
    await b.write(batchFromRows(columns, rows(8, 2, 'd1'))); // the replay after checkpoint 2
    await b.preCommit(3);
    await b.commit(3);
    expect(await visible()).toEqual([...rows(0, 4, 'd1'), ...rows(4, 4, 'd1'), ...rows(8, 2, 'd1')]);
    expect((await files()).filter((f) => f.endsWith('.inprogress'))).toHaveLength(1); // stmt-2's, untouched
    await b.close();
    await other.close();
  });

  it('a writer without a checkpoint deletes its own in-progress files; updating results and non-scalar columns are refused', async () => {
    const a = sink();
    await a.write(batchFromRows(columns, rows(0, 2, 'd1')));
    await a.preCommit(1);
    await a.close();
    const b = sink();
    await b.preCommit(1);
    expect(await files()).toEqual([]);
    await expect(b.write(batchFromRows(columns, rows(0, 1, 'd1'), [0]))).rejects.toThrow(/append-only/);
    await b.close();
    expect(() => new FileSystemSink({ path: dir, columns: [{ name: 'tags', type: T.array(T.string()) }], partitionKeys: [], id: 'x' })).toThrow(/scalar columns/);
    expect(() => new FileSystemSink({ path: dir, columns, partitionKeys: ['nope'], id: 'x' })).toThrow(/PARTITIONED BY column 'nope'/);
  });
});
