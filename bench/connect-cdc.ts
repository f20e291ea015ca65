/**
 * Postgres CDC benchmark (`npm run bench:connect-cdc`, the first half of `bench:connect`): rows per second the PostgresCdcTask
 * turns into Debezium change records (pgoutput/cursor reads, type mapping, envelopes, offsets,
 * durable-record bookkeeping), from a snapshot of a 1-million-row table and from a stream of
 * updates, against a throwaway PostgreSQL 15; printed beside DuckDB's own bulk insert (the
 * appender) of the same rows in the same run. Targets: snapshot 100 000 rows/s, streaming
 * 50 000 rows/s. Converters and the broker are not in this path (see bench:connect-sink).
 *
 * Env: BENCH_ROWS (default 1000000), BENCH_UPDATES (default 200000).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBDataChunk, DOUBLE, INTEGER, VARCHAR, type DuckDBValue } from '@duckdb/node-api';
import pino from 'pino';
import { withDuckDB } from '../src/connectors/duckdb/index.ts';
import { PostgresCdcTask } from '../src/connectors/postgres-cdc/index.ts';
import type { SourceOffset, SourceRecord } from '../src/connectors/api.ts';
import { startTestPostgres, type TestPostgres } from '../test/helpers/postgres.ts';

const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
const updates = Number(process.env.BENCH_UPDATES ?? 200_000);

async function startTask(pg: TestPostgres, extra: Record<string, string>, stored: SourceOffset | null = null): Promise<PostgresCdcTask> {
  const task = new PostgresCdcTask();
  await task.start({
    connectorName: 'bench',
    taskId: 0,
    logger: pino({ level: 'warn' }),
    config: {
      'database.hostname': pg.host,
      'database.port': String(pg.port),
      'database.user': pg.user,
      'database.dbname': pg.database,
      'topic.prefix': 'bench',
      'table.include.list': 'public.items',
      'poll.interval.ms': '20',
      'max.batch.size': '8192',
      ...extra,
    },
    offsets: { offset: () => stored, offsets: (ps) => new Map(ps.map((p) => [p, stored])) },
    requestCommit: () => undefined,
  });
  return task;
}

/** Polls until `count` change records came; marks each durable as the worker would. */
async function drain(task: PostgresCdcTask, count: number, timeoutMs: number): Promise<{ ms: number; last: SourceRecord | null }> {
  const t0 = performance.now();
  let n = 0;
  let last: SourceRecord | null = null;
  const meta = { topic: 'bench.public.items', partition: 0, offset: 0n };
  while (n < count) {
    if (performance.now() - t0 > timeoutMs) throw new Error(`timed out after ${n} of ${count} records`);
    for (const r of (await task.poll()) ?? []) {
      if (r.value !== null && r.topic === 'bench.public.items') n++;
      last = r;
      await task.commitRecord(r, meta);
    }
  }
  return { ms: performance.now() - t0, last };
}

async function duckdbBulkInsert(dir: string): Promise<number> {
  return withDuckDB(join(dir, 'bench.duckdb'), async (conn) => {
    await conn.run('CREATE TABLE items (id INTEGER PRIMARY KEY, name VARCHAR, qty INTEGER, price DOUBLE)');
    const t0 = performance.now();
    const appender = await conn.createAppender('items');
    const chunkRows = 2048;
    const chunk = DuckDBDataChunk.create([INTEGER, VARCHAR, INTEGER, DOUBLE], chunkRows);
    const cols: DuckDBValue[][] = [[], [], [], []];
    for (let base = 0; base < rows; base += chunkRows) {
      const n = Math.min(chunkRows, rows - base);
      for (const c of cols) c.length = n;
      for (let k = 0; k < n; k++) {
        const id = base + k + 1;
        cols[0][k] = id;
        cols[1][k] = `item-${id}`;
        cols[2][k] = id % 100;
        cols[3][k] = (id % 10000) / 100;
      }
      chunk.reset();
      chunk.rowCount = n;
      for (let c = 0; c < 4; c++) chunk.setColumnValues(c, cols[c]);
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
    appender.closeSync();
    return performance.now() - t0;
  });
}

const rate = (n: number, ms: number) => Math.round((n / ms) * 1000).toLocaleString('en-US');

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'runnel-bench-cdc-'));
  const pg = await startTestPostgres({ settings: { max_wal_size: "'4GB'", checkpoint_timeout: "'30min'" } });
  try {
    const sql = await pg.connect();
    sql.on('error', () => undefined);
    await sql.query('CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, qty int, price numeric(10,2))');
    await sql.query(`INSERT INTO items SELECT g, 'item-' || g, g % 100, (g % 10000) / 100.0 FROM generate_series(1, ${rows}) g`);
    await sql.query('VACUUM ANALYZE items');

    const task = await startTask(pg, { 'snapshot.mode': 'initial', 'slot.name': 'bench' });
    const snap = await drain(task, rows, 600_000);
    const snapshotOffset = snap.last!.sourceOffset;
    await task.stop();

    // Updates committed while the connector is stopped, then streamed from the slot in one go.
    await sql.query(`UPDATE items SET qty = qty + 1 WHERE id <= ${updates}`);
    const streamTask = await startTask(pg, { 'slot.name': 'bench' }, snapshotOffset);
    const stream = await drain(streamTask, updates, 600_000);
    await streamTask.stop();
    await sql.end();

    const duckMs = await duckdbBulkInsert(dir);
    console.log(`Postgres CDC (PostgresCdcTask → Debezium change records), PostgreSQL 15, ${process.version}`);
    console.log(`  snapshot   ${rows.toLocaleString('en-US').padStart(10)} rows  ${(snap.ms / 1000).toFixed(2).padStart(7)} s  ${rate(rows, snap.ms).padStart(10)} rows/s   (target 100,000)`);
    console.log(`  streaming  ${updates.toLocaleString('en-US').padStart(10)} rows  ${(stream.ms / 1000).toFixed(2).padStart(7)} s  ${rate(updates, stream.ms).padStart(10)} rows/s   (target 50,000; one UPDATE of ${updates.toLocaleString('en-US')} rows)`);
    console.log(`  DuckDB appender bulk insert of the same ${rows.toLocaleString('en-US')} rows: ${(duckMs / 1000).toFixed(2)} s, ${rate(rows, duckMs)} rows/s`);
  } catch (err) {
    console.error(err);
    process.exitCode = 1;
  } finally {
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
