import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSystemSource } from '../../src/connectors/filesystem/index.ts';
import { batchToRows, T } from '../../src/operators/index.ts';
import type { ColumnDef, StreamMessage } from '../../src/operators/index.ts';

const columns: ColumnDef[] = [
  { name: 'id', type: T.bigint(true) },
  { name: 'name', type: T.string(true) },
  { name: 'price', type: T.decimal(10, 2, true) },
  { name: 'at', type: T.timestamp(3, true) },
  { name: 'day', type: T.date(true) },
  { name: 'ok', type: T.boolean(true) },
];

const rowsOf = (msgs: readonly StreamMessage[]): unknown[][] => msgs.flatMap((m) => (m.kind === 'batch' ? batchToRows(m.batch) : []));

describe('FileSystemSource', () => {
  let dir: string;
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'runnel-fs-source-')); });
  afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

  it('reads a CSV file whole with the declared types, in batches, then ends (and nothing after)', async () => {
    const path = join(dir, 'in.csv');
    await writeFile(path, '1,"a, b",1.50,2024-01-01 00:00:01.250,2024-01-02,true\n2,,,,,\n3,c,-2.05,1970-01-01 00:00:00,1970-01-01,false\n');
    const src = new FileSystemSource({ path, format: 'csv', columns, batchRows: 2 });
    expect(src.readFirst).toBe(true);
    const msgs = await src.poll();
    expect(msgs.map((m) => m.kind)).toEqual(['batch', 'batch', 'end']);
    expect(rowsOf(msgs)).toEqual([
      [1, 'a, b', '1.50', Date.UTC(2024, 0, 1, 0, 0, 1, 250), 19724, true],
      [2, null, null, null, null, null],
      [3, 'c', '-2.05', 0, 0, false],
    ]);
    expect(await src.poll()).toEqual([]);
    // restored from a checkpoint taken after the rows went out: only the end, the state has the rows
    const again = new FileSystemSource({ path, format: 'csv', columns });
    again.restoreOffsets(src.offsets());
    expect(await again.poll()).toEqual([{ kind: 'end' }]);
    const fresh = new FileSystemSource({ path, format: 'csv', columns });
    fresh.restoreOffsets({});
    expect(rowsOf(await fresh.poll())).toHaveLength(3);
  });

  it('reads the Parquet files of a directory (the sink\'s partitioned layout), columns by name', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const out = join(dir, 'table');
    await conn.run(`COPY (SELECT 10::BIGINT AS id, 'x' AS name, 3.25::DECIMAL(10,2) AS price, TIMESTAMP '2024-01-01 00:00:00' AS at, DATE '1970-01-03' AS day, true AS ok, 'p1' AS part
      UNION ALL SELECT 11, 'y', 0, TIMESTAMP '1970-01-01 00:00:00.001', DATE '1970-01-01', false, 'p2') TO '${out}' (FORMAT parquet, PARTITION_BY (part))`);
    conn.closeSync();
    db.closeSync();
    const src = new FileSystemSource({ path: out, format: 'parquet', columns: [columns[5], columns[0], columns[2], columns[3], columns[4]] });
    const rows = rowsOf(await src.poll()).sort((a, b) => (a[1] as number) - (b[1] as number));
    expect(rows).toEqual([[true, 10, '3.25', Date.UTC(2024, 0, 1), 2], [false, 11, '0.00', 1, 0]]);
  });

  it('a missing file or a row that does not parse fails naming the path', async () => {
    await expect(new FileSystemSource({ path: join(dir, 'nope.csv'), format: 'csv', columns }).poll()).rejects.toThrow(/nope\.csv' does not exist/);
    const path = join(dir, 'bad.csv');
    await writeFile(path, '1,a,1.00,2024-01-01 00:00:00,2024-01-01,true\nseven,b,1.00,2024-01-01 00:00:00,2024-01-01,true\n');
    await expect(new FileSystemSource({ path, format: 'csv', columns }).poll()).rejects.toThrow(/bad\.csv' as csv with columns \(id BIGINT/);
    expect(() => new FileSystemSource({ path, format: 'csv', columns: [{ name: 'a', type: T.array(T.int(true), true) }] })).toThrow(/scalar columns only/);
  });
});
