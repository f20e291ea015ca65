/**
 * Connect sink benchmark (`npm run bench:connect-sink`, the second half of `bench:connect`): rows per second through the DuckDB sink
 * (topic → Avro converter → DuckDBSink → DuckDB file, exactly-once offsets in the same
 * transaction) beside DuckDB's own bulk insert of the same rows (the appender fed data chunks
 * from already-decoded JS values, the fastest way into DuckDB from Node) in the same run.
 * Target: the sink at half of DuckDB's own speed or better.
 *
 * Env: BENCH_ROWS (default 500000), BENCH_MODE (insert | upsert, default both).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBDataChunk, BIGINT, DOUBLE, INTEGER, VARCHAR, type DuckDBValue } from '@duckdb/node-api';
import pino from 'pino';
import { Broker } from '../src/broker/index.ts';
import { InProcessTopicClient } from '../src/client/in-process.ts';
import { RegistryConverter } from '../src/connectors/converters/index.ts';
import { quickstarts, seededRandom } from '../src/connectors/datagen/index.ts';
import { withDuckDB } from '../src/connectors/duckdb/index.ts';
import { startConnect } from '../src/connectors/index.ts';
import { Schemas } from '../src/connectors/data.ts';
import type { SinkTaskRunner } from '../src/connectors/worker/sink-task-runner.ts';
import { createSchemaRegistry, InProcessRegistryClient } from '../src/schema-registry/index.ts';

const rows = Number(process.env.BENCH_ROWS ?? 500_000);
const modes = (process.env.BENCH_MODE ?? 'insert,upsert').split(',');
/** Records per produce call while filling the topic. */
const produceBatch = 5_000;
const chunkRows = 2048;

/** The orders quickstart, flattened (DuckDB's own insert gets the same columns). */
const schema = Schemas.struct('bench.orders', [
  Schemas.field('ordertime', Schemas.int64()),
  Schemas.field('orderid', Schemas.int32()),
  Schemas.field('itemid', Schemas.string()),
  Schemas.field('orderunits', Schemas.float64()),
  Schemas.field('city', Schemas.string()),
]);
type Row = { ordertime: number; orderid: number; itemid: string; orderunits: number; city: string };

function makeRow(i: number): Row {
  const r = quickstarts.orders.row(i, seededRandom(i + 1)) as { ordertime: number; orderid: number; itemid: string; orderunits: number; address: { city: string } };
  return { ordertime: r.ordertime, orderid: r.orderid, itemid: r.itemid, orderunits: r.orderunits, city: r.address.city };
}

async function duckdbOwnInsert(path: string, data: readonly Row[]): Promise<number> {
  return withDuckDB(path, async (conn) => {
    await conn.run('CREATE OR REPLACE TABLE own (ordertime BIGINT, orderid INTEGER, itemid VARCHAR, orderunits DOUBLE, city VARCHAR)');
    const t0 = performance.now();
    await conn.run('BEGIN TRANSACTION');
    const appender = await conn.createAppender('own');
    const chunk = DuckDBDataChunk.create([BIGINT, INTEGER, VARCHAR, DOUBLE, VARCHAR], chunkRows);
    for (let base = 0; base < data.length; base += chunkRows) {
      const n = Math.min(chunkRows, data.length - base);
      const cols: DuckDBValue[][] = [new Array(n), new Array(n), new Array(n), new Array(n), new Array(n)];
      for (let k = 0; k < n; k++) {
        const r = data[base + k];
        cols[0][k] = BigInt(r.ordertime);
        cols[1][k] = r.orderid;
        cols[2][k] = r.itemid;
        cols[3][k] = r.orderunits;
        cols[4][k] = r.city;
      }
      chunk.reset();
      chunk.rowCount = n;
      cols.forEach((c, i) => chunk.setColumnValues(i, c));
      appender.appendDataChunk(chunk);
    }
    appender.closeSync();
    await conn.run('COMMIT');
    return performance.now() - t0;
  });
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'runnel-bench-connect-'));
  const logger = pino({ level: 'warn' }, pino.destination(2));
  const broker = await Broker.start({ host: '127.0.0.1', port: 0, dataDir: join(dir, 'data'), logger });
  const topics = new InProcessTopicClient(broker);
  const registry = await createSchemaRegistry({ topics, host: '127.0.0.1', port: 0, logger });
  const registryClient = new InProcessRegistryClient(registry.registry);
  const connect = await startConnect({ topics, registry: registryClient, registryUrl: registry.url, host: '127.0.0.1', port: 0, logger });
  try {
    process.stdout.write(`Connect sink benchmark: ${rows} orders rows (5 columns), Avro values\n`);
    const data = Array.from({ length: rows }, (_, i) => makeRow(i));
    const value = new RegistryConverter('AVRO', { registry: registryClient });
    value.configure({}, false);
    await topics.createTopic('orders', { partitions: 1 });
    let t0 = performance.now();
    for (let base = 0; base < rows; base += produceBatch) {
      const batch = [];
      for (let i = base; i < Math.min(rows, base + produceBatch); i++) batch.push({ key: null, value: await value.fromConnectData('orders', schema, data[i]), partition: 0 });
      await topics.produce('orders', batch);
    }
    process.stdout.write(`  topic filled in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);

    const ownPath = join(dir, 'own.duckdb');
    // Best of three: DuckDB's side gets a warm JIT too.
    let ownMs = Infinity;
    for (let i = 0; i < 3; i++) ownMs = Math.min(ownMs, await duckdbOwnInsert(ownPath, data));
    const ownRate = rows / (ownMs / 1000);
    process.stdout.write(`  DuckDB's own bulk insert (appender, data chunks, best of 3): ${ownRate.toFixed(0)} rows/s (${ownMs.toFixed(0)} ms)\n`);

    for (const mode of modes) {
      const path = join(dir, `sink-${mode}.duckdb`);
      const name = `duck-${mode}`;
      t0 = performance.now();
      await connect.worker.createConnector(name, {
        'connector.class': 'DuckDBSink',
        topics: 'orders',
        'duckdb.path': path,
        'value.converter': 'io.confluent.connect.avro.AvroConverter',
        'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
        'insert.mode': mode,
        'pk.mode': mode === 'upsert' ? 'record_value' : 'none',
        'pk.fields': mode === 'upsert' ? 'orderid' : '',
        'delete.enabled': 'false',
        'auto.create': 'true',
        'table.name.format': 'orders',
        'batch.size': '50000',
      });
      for (;;) {
        const status = connect.worker.status(name);
        if (status.tasks.some((t) => t.state === 'FAILED')) throw new Error(`sink failed: ${status.tasks[0].trace}`);
        // The file's connection is shared and queued (withDuckDB): a query every 20 ms made each of
        // the sink's transactions wait behind one. Its table is read once every record reached the sink.
        const runner = connect.worker.taskRunners(name)[0] as SinkTaskRunner | undefined;
        if ((runner?.delivered ?? 0) < rows) {
          await new Promise((r) => setTimeout(r, 5));
          continue;
        }
        const done = await withDuckDB(path, async (conn) => {
          try {
            const r = await conn.runAndReadAll(`SELECT next_offset FROM _runnel_connect_offsets WHERE connector = '${name}'`);
            return Number(r.getRows()[0]?.[0] ?? 0) >= rows;
          } catch {
            return false;
          }
        });
        if (done) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      const sinkMs = performance.now() - t0;
      const sinkRate = rows / (sinkMs / 1000);
      const count = await withDuckDB(path, async (conn) => Number((await conn.runAndReadAll('SELECT count(*) FROM orders')).getRows()[0][0]));
      if (count !== rows) throw new Error(`sink wrote ${count} rows, expected ${rows}`);
      process.stdout.write(`  DuckDBSink (${mode}): ${sinkRate.toFixed(0)} rows/s (${sinkMs.toFixed(0)} ms) = ${(sinkRate / ownRate).toFixed(2)}x DuckDB's own (target >= 0.5x)\n`);
      await connect.worker.deleteConnector(name);
    }
  } finally {
    await connect.close();
    await registry.close();
    await broker.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
