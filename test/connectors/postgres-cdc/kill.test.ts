/**
 * The crash test of issue 6, through `runnel start` as users run it: Postgres CDC into topics, a
 * DuckDB sink and a Postgres sink (upsert, deletes) from them. While 100 000 changes (inserts,
 * updates, deletes) stream through, the platform is SIGKILLed and started again on the same data
 * directory; when the writer is done both targets match the source row for row.
 *
 * The platform holds the DuckDB file while it runs, so DuckDB is read after a clean stop, once the
 * DuckDB sink has committed the end of its topic.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatformProcess, type PlatformProcess } from '../../helpers/platform-process.ts';
import { startTestPostgres, type TestPostgres } from '../../helpers/postgres.ts';
import { rest, waitFor } from '../platform.ts';
import { duckQuery } from '../sink-helpers.ts';
import { cdcConfig } from './task-harness.ts';

const changesTotal = 100_000;
const initialRows = 5_000;
/** Per transaction: 100 inserts, 60 updates, 40 deletes. */
const insertsPerTxn = 100;

let server: TestPostgres;
let sql: pg.Client;
let dir: string;
let platform: PlatformProcess | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runnel-cdc-kill-'));
  server = await startTestPostgres();
  sql = await server.connect();
});
afterAll(async () => {
  await platform?.stop('SIGKILL');
  await sql?.end();
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

const start = () => startPlatformProcess(['--data-dir', join(dir, 'data'), '--log-level', 'warn'], 60_000);

/** Rows as sorted JSON lines, every value as text (the targets' types differ in representation). */
const norm = (rows: Record<string, unknown>[]) =>
  rows.map((r) => JSON.stringify([Number(r.id), r.v === null ? null : String(r.v), r.note ?? null, r.amount === null ? null : Number(r.amount).toFixed(2)])).sort();

/** Writes `changesTotal` row changes in transactions of 200; returns the number of changes made. */
async function writeChanges(client: pg.Client, progress: { done: number }): Promise<number> {
  let base = initialRows + 1;
  while (progress.done < changesTotal) {
    await client.query('BEGIN');
    const ins = await client.query(`INSERT INTO items SELECT g, g % 1000, 'n' || g, g * 0.25 FROM generate_series($1::int, $2::int) g`, [base, base + insertsPerTxn - 1]);
    // Updates reach back over rows inserted earlier (also rows of the snapshot), deletes further back.
    const upd = await client.query(`UPDATE items SET v = v + 1, note = note || '+', amount = amount + 1 WHERE id >= $1 AND id < $2`, [base - 3_000, base - 2_940]);
    const del = await client.query(`DELETE FROM items WHERE id >= $1 AND id < $2`, [base - 4_000, base - 3_960]);
    await client.query('COMMIT');
    progress.done += (ins.rowCount ?? 0) + (upd.rowCount ?? 0) + (del.rowCount ?? 0);
    base += insertsPerTxn;
    // Spread the changes over some seconds, so the kill falls while they are still being made.
    await new Promise((r) => setTimeout(r, 10));
  }
  return progress.done;
}

describe('SIGKILL in the middle of a CDC stream', () => {
  it('after a restart, DuckDB and Postgres targets match the source row for row', async () => {
    await sql.query('CREATE TABLE items (id int PRIMARY KEY, v int, note text, amount numeric(12,2))');
    await sql.query(`INSERT INTO items SELECT g, g % 1000, 'n' || g, g * 0.25 FROM generate_series(1, ${initialRows}) g`);
    const targetUrl = await server.createDatabase('target');
    const duck = join(dir, 'target.duckdb');
    const conv = 'io.confluent.connect.avro.AvroConverter';
    const converters = { 'key.converter': conv, 'value.converter': conv };

    platform = await start();
    const connect = () => platform!.endpoints.connect;
    const created = await rest(connect(), 'POST', '/connectors', {
      name: 'cdc',
      config: cdcConfig(server, {
        'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
        'topic.prefix': 'app',
        'slot.name': 'app',
        'publication.autocreate.mode': 'filtered',
        'table.include.list': 'public.items',
        'heartbeat.interval.ms': '500',
        ...converters,
      }),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const sink = { topics: 'app.public.items', 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'delete.enabled': 'true', 'auto.create': 'true', 'auto.evolve': 'true', 'table.name.format': 'items', ...converters };
    expect((await rest(connect(), 'POST', '/connectors', { name: 'duck', config: { 'connector.class': 'DuckDBSink', 'duckdb.path': duck, ...sink } })).status).toBe(201);
    expect((await rest(connect(), 'POST', '/connectors', { name: 'pgsink', config: { 'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector', 'connection.url': `jdbc:${targetUrl}`, ...sink } })).status).toBe(201);

    const target = await server.connect('target');
    const writer = await server.connect();
    try {
      const targetCount = async () => Number((await target.query('SELECT count(*) AS n FROM items').catch(() => ({ rows: [{ n: 0 }] }))).rows[0].n);
      await waitFor(async () => (await targetCount()) >= initialRows, 60_000, 'the snapshot in the Postgres target').catch(async (err) => {
        console.log(JSON.stringify((await rest(connect(), 'GET', '/connectors?expand=status')).body).slice(0, 3000), platform?.stderr().slice(-3000));
        throw err;
      });

      const progress = { done: 0 };
      const writing = writeChanges(writer, progress);
      // Kill once the stream is well under way in the targets, with more to come.
      await waitFor(async () => (await target.query('SELECT max(id) AS m FROM items')).rows[0].m > initialRows + 10_000, 120_000, 'the stream under way');
      const doneAtKill = progress.done;
      await platform.stop('SIGKILL');
      const killedAt = { maxId: (await target.query('SELECT max(id) AS m FROM items')).rows[0].m as number };
      platform = await start();
      expect(await writing).toBeGreaterThanOrEqual(changesTotal);
      // The kill fell in the middle: the target was behind the last change.
      const insertedTotal = (await sql.query('SELECT max(id) AS m FROM items')).rows[0].m as number;
      expect(killedAt.maxId).toBeLessThan(insertedTotal);
      console.log(`killed after ${doneAtKill} changes written, the Postgres target at id ${killedAt.maxId} of ${insertedTotal}`);

      const want = norm((await sql.query('SELECT * FROM items')).rows);
      const pgNow = async () => norm((await target.query('SELECT * FROM items')).rows);
      await waitFor(async () => JSON.stringify(await pgNow()) === JSON.stringify(want), 180_000, 'the Postgres target to match the source').catch(async (err) => {
        console.log(JSON.stringify((await rest(connect(), 'GET', '/connectors?expand=status')).body).slice(0, 3000));
        throw err;
      });

      // The DuckDB sink has committed the topic's end: then stop cleanly and read the file.
      const kafka = new Kafka({ brokers: [platform.endpoints.kafka], logLevel: logLevel.NOTHING });
      const admin = kafka.admin();
      await admin.connect();
      try {
        await waitFor(async () => {
          const ends = await admin.fetchTopicOffsets('app.public.items');
          const offsets = ((await rest(connect(), 'GET', '/connectors/duck/offsets')).body as { offsets: { partition: { kafka_partition: number }; offset: { kafka_offset: number } }[] }).offsets;
          return ends.every((e) => offsets.some((o) => o.partition.kafka_partition === e.partition && o.offset.kafka_offset === Number(e.high)));
        }, 120_000, 'the DuckDB sink at the end of its topic');
      } finally {
        await admin.disconnect();
      }
      expect(await platform.stop('SIGTERM')).toBe(0);
      platform = undefined;
      const duckNow = norm(await duckQuery(duck, 'SELECT * FROM items'));
      expect(duckNow.length).toBe(want.length);
      expect(duckNow).toEqual(want);
      expect((await pgNow()).length).toBe(want.length);
    } finally {
      await writer.end();
      await target.end();
    }
  }, 600_000);
});
