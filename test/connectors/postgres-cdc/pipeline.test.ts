/**
 * Postgres → Kafka → DuckDB and Postgres, through the real broker, registry and Connect worker:
 * connectors created over the REST API, Avro through the registry, inserts, updates, deletes,
 * truncates and ALTER TABLE arriving in both targets exactly as in the source.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../helpers/postgres.ts';
import { rest, startTestPlatform, waitFor, type TestPlatform } from '../platform.ts';
import { duckRows } from '../sink-helpers.ts';
import { cdcConfig } from './task-harness.ts';

let server: TestPostgres;
let admin: pg.Client;
let p: TestPlatform;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runnel-cdc-pipeline-'));
  server = await startTestPostgres();
  admin = await server.connect();
  p = await startTestPlatform(join(dir, 'data'));
});
afterAll(async () => {
  await p?.stop();
  await admin?.end();
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

const norm = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(Object.entries(r).map(([k, v]) => [k, v === null ? null : String(v)]))).sort();

const converters = [
  ['avro', 'io.confluent.connect.avro.AvroConverter'],
  ['json', 'io.confluent.connect.json.JsonSchemaConverter'],
] as const;

describe('Postgres CDC through the platform', () => {
  // Each converter gets its own source database, topics, slot, connectors and targets.
  for (const [tag, conv] of converters) {
    it(`carries inserts, updates, deletes, truncate and ALTER TABLE into DuckDB and a Postgres target (${conv.split('.').pop()})`, async () => {
      await admin.query(`CREATE DATABASE src_${tag}`);
      const sql = await server.connect(`src_${tag}`);
      const targetUrl = await server.createDatabase(`target_${tag}`);
      const target = await server.connect(`target_${tag}`);
      try {
        await pipeline(tag, conv, sql, target, targetUrl);
      } finally {
        await target.end();
        await sql.end();
      }
    }, 120_000);
  }
});

async function pipeline(tag: string, conv: string, sql: pg.Client, target: pg.Client, targetUrl: string): Promise<void> {
  await sql.query('CREATE TABLE orders (id int PRIMARY KEY, item text NOT NULL, qty int, price numeric(10,2))');
  await sql.query("INSERT INTO orders SELECT g, 'item' || g, g % 7, g * 1.25 FROM generate_series(1, 200) g");
  const duck = join(dir, `target_${tag}.duckdb`);
  const converters = { 'key.converter': conv, 'value.converter': conv };
  const topic = `shop_${tag}.public.orders`;
  // The sinks start before their topic exists: they pick it up when the CDC source creates it.
  const sink = { topics: topic, 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'delete.enabled': 'true', 'auto.create': 'true', 'auto.evolve': 'true', 'table.name.format': 'orders', ...converters };
  expect((await rest(p.connectUrl, 'POST', '/connectors', { name: `duck-${tag}`, config: { 'connector.class': 'DuckDBSink', 'duckdb.path': duck, ...sink } })).status).toBe(201);
  expect((await rest(p.connectUrl, 'POST', '/connectors', { name: `pgsink-${tag}`, config: { 'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector', 'connection.url': `jdbc:${targetUrl}`, ...sink } })).status).toBe(201);
  for (const name of [`duck-${tag}`, `pgsink-${tag}`]) {
    await waitFor(async () => ((await rest(p.connectUrl, 'GET', `/connectors/${name}/status`)).body as { tasks: { state: string }[] }).tasks[0]?.state === 'RUNNING', 20_000, `${name} running`);
  }
  // Running, and the topic is still missing: the sinks wait for it (a consumer does not create topics).
  expect(p.platform.broker.topics.get(topic)).toBeUndefined();

  const created = await rest(p.connectUrl, 'POST', '/connectors', {
    name: `cdc-${tag}`,
    config: cdcConfig(server, {
      'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
      'database.dbname': `src_${tag}`,
      'topic.prefix': `shop_${tag}`,
      'plugin.name': 'pgoutput',
      'slot.name': `shop_${tag}`,
      'publication.autocreate.mode': 'filtered',
      'table.include.list': 'public.orders',
      'heartbeat.interval.ms': '300',
      ...converters,
    }),
  });
  expect(created.status).toBe(201);

  const source = async () => norm((await sql.query('SELECT * FROM orders ORDER BY id')).rows);
  const duckNow = async () => norm(await duckRows(duck, 'SELECT * FROM orders ORDER BY id'));
  const pgNow = async () => norm((await target.query('SELECT * FROM orders ORDER BY id').catch(() => ({ rows: [] }))).rows);
  const converge = async (what: string) => {
    const want = await source();
    await waitFor(async () => JSON.stringify(await duckNow()) === JSON.stringify(want), 30_000, `DuckDB matches source (${what})`).catch(async (err) => {
      console.log(JSON.stringify((await rest(p.connectUrl, 'GET', '/connectors?expand=status')).body, null, 1).slice(0, 3000));
      console.log('duck', (await duckNow()).slice(0, 3), 'want', want.slice(0, 3));
      throw err;
    });
    await waitFor(async () => JSON.stringify(await pgNow()) === JSON.stringify(want), 30_000, `Postgres target matches source (${what})`);
  };
  await converge('snapshot');
  await sql.query("INSERT INTO orders VALUES (1001, 'new', 1, 9.99), (1002, 'other', NULL, NULL)");
  await sql.query('UPDATE orders SET qty = qty + 100 WHERE id <= 50');
  await sql.query('DELETE FROM orders WHERE id BETWEEN 60 AND 80');
  await converge('changes');
  // An added optional property is FORWARD-compatible in JSON Schema's open content model (and BACKWARD in Avro).
  const level = conv.includes('Avro') ? 'BACKWARD' : 'FORWARD';
  expect((await fetch(`${p.platform.registry.url}/config/${topic}-value`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ compatibility: level }) })).status).toBe(200);
  await sql.query('ALTER TABLE orders ADD COLUMN note text');
  await sql.query("UPDATE orders SET note = 'n' || id WHERE id % 10 = 0");
  await converge('new column');
  const versions = await fetch(`${p.platform.registry.url}/subjects/${topic}-value/versions`).then((r) => r.json() as Promise<number[]>);
  expect(versions.length).toBeGreaterThanOrEqual(2);
  await sql.query('TRUNCATE orders');
  await sql.query("INSERT INTO orders VALUES (1, 'after truncate', 1, 1.00, 'x')");
  await converge('truncate');
  // The slot is confirmed past every change (heartbeats carry it over WAL the sinks write to the target database).
  const wal = await sql.query<{ c: string }>("SELECT (pg_current_wal_lsn() - '0/0')::text AS c");
  await waitFor(async () => {
    const s = await sql.query<{ c: string }>(`SELECT (confirmed_flush_lsn - '0/0')::text AS c FROM pg_replication_slots WHERE slot_name = 'shop_${tag}'`);
    return BigInt(s.rows[0].c) >= BigInt(wal.rows[0].c);
  }, 20_000, 'slot confirmed position advanced');
}
