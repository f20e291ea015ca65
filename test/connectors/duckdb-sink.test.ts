import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessTopicClient } from '../../src/client/in-process.ts';
import { Schemas } from '../../src/connectors/index.ts';
import { RegistryConverter } from '../../src/connectors/converters/index.ts';
import { SemanticTypes } from '../../src/connectors/data.ts';
import type { SinkTaskRunner } from '../../src/connectors/worker/sink-task-runner.ts';
import { InProcessRegistryClient } from '../../src/schema-registry/index.ts';
import { randomTopic } from '../helpers/broker.ts';
import { rest, startTestPlatform, waitFor, type TestPlatform } from './platform.ts';
import { duckQuery, duckRows, produceJson } from './sink-helpers.ts';

const keySchema = Schemas.struct('users.Key', [Schemas.field('id', Schemas.int32())]);
const v1 = Schemas.struct('users.Value', [Schemas.field('id', Schemas.int32()), Schemas.field('name', Schemas.string({ optional: true }))]);
const v2 = Schemas.struct('users.Value', [Schemas.field('id', Schemas.int32()), Schemas.field('name', Schemas.string({ optional: true })), Schemas.field('email', Schemas.string({ optional: true }))]);

describe('DuckDBSink', () => {
  let p: TestPlatform;
  let dir: string;
  beforeAll(async () => {
    p = await startTestPlatform();
    dir = await mkdtemp(join(tmpdir(), 'runnel-duck-'));
  });
  afterAll(async () => {
    await p?.stop();
    await rm(dir, { recursive: true, force: true });
  });
  const topics = () => new InProcessTopicClient(p.platform.broker);

  it('writes Datagen orders into an auto-created table, upserting by key, with the offsets in the same file', async () => {
    const topic = randomTopic('orders');
    const db = join(dir, 'orders.duckdb');
    const gen = await rest(p.connectUrl, 'POST', '/connectors', { name: `gen-${topic}`, config: { 'connector.class': 'io.confluent.kafka.connect.datagen.DatagenConnector', 'kafka.topic': topic, quickstart: 'orders', 'max.interval': '0', iterations: '3000' } });
    expect(gen.status).toBe(201);
    const sink = await rest(p.connectUrl, 'POST', '/connectors', {
      name: `duck-${topic}`,
      config: { 'connector.class': 'DuckDBSink', topics: topic, 'duckdb.path': db, 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'pk.fields': 'orderid', 'auto.create': 'true', 'table.name.format': 'orders_${topic}' },
    });
    expect(sink.status).toBe(201);
    const table = `orders_${topic}`;
    await waitFor(async () => Number((await duckRows(db, `SELECT count(*) AS n FROM "${table}"`))[0]?.n ?? 0) === 3000, 30_000, '3000 rows');
    const rows = await duckQuery(db, `SELECT orderid, itemid, address FROM "${table}" WHERE orderid = 7`);
    expect(rows[0].orderid).toBe(7);
    expect(String(rows[0].itemid)).toMatch(/^Item_\d+$/);
    expect(JSON.parse(String(rows[0].address))).toHaveProperty('city');
    const offsets = await waitFor(async () => {
      const o = await duckQuery(db, `SELECT topic, kafka_partition, next_offset FROM _runnel_connect_offsets WHERE connector = 'duck-${topic}'`);
      return o.length > 0 && Number(o[0].next_offset) === 3000 ? o : null;
    });
    expect(offsets[0].topic).toBe(topic);
    const describe = await duckQuery(db, `DESCRIBE "${table}"`);
    expect(describe.map((d) => d.column_name)).toEqual(['ordertime', 'orderid', 'itemid', 'orderunits', 'address']);
    expect(describe.find((d) => d.column_name === 'ordertime')?.column_type).toBe('BIGINT');
  });

  it('a sink on topics.regex waits for matching topics and picks them up, with every partition, when they appear', async () => {
    const prefix = randomTopic('late');
    const db = join(dir, 'late.duckdb');
    const sink = await rest(p.connectUrl, 'POST', '/connectors', {
      name: `duck-${prefix}`,
      config: { 'connector.class': 'DuckDBSink', 'topics.regex': `${prefix}\\..*`, 'duckdb.path': db, 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'auto.create': 'true', 'table.name.format': 'late' },
    });
    expect(sink.status).toBe(201);
    await waitFor(async () => ((await rest(p.connectUrl, 'GET', `/connectors/duck-${prefix}/status`)).body as { tasks: { state: string }[] }).tasks[0]?.state === 'RUNNING', 20_000, 'the sink running');
    const t = topics();
    await t.createTopic(`${prefix}.a`, { partitions: 3 });
    await produceJson(t, `${prefix}.a`, Array.from({ length: 30 }, (_, i) => ({ keySchema, key: { id: i }, valueSchema: v1, value: { id: i, name: `n${i}` } })));
    await waitFor(async () => Number((await duckRows(db, 'SELECT count(*) AS n FROM late'))[0]?.n ?? 0) === 30, 30_000, '30 rows from three partitions');
  });

  it('upserts, deletes on tombstones, and adds columns for new fields (auto.evolve)', async () => {
    const topic = randomTopic('users');
    const db = join(dir, 'users.duckdb');
    const t = topics();
    await t.createTopic(topic, { partitions: 2 });
    await produceJson(t, topic, [
      { keySchema, key: { id: 1 }, valueSchema: v1, value: { id: 1, name: 'ada' } },
      { keySchema, key: { id: 2 }, valueSchema: v1, value: { id: 2, name: 'bob' } },
      { keySchema, key: { id: 3 }, valueSchema: v1, value: { id: 3, name: 'cy' } },
      { keySchema, key: { id: 1 }, valueSchema: v1, value: { id: 1, name: 'ada lovelace' } },
      { keySchema, key: { id: 2 }, valueSchema: null, value: null },
    ]);
    const res = await rest(p.connectUrl, 'POST', '/connectors', {
      name: `duck-${topic}`,
      config: { 'connector.class': 'DuckDBSink', topics: topic, 'duckdb.path': db, 'insert.mode': 'upsert', 'auto.create': 'true', 'auto.evolve': 'true', 'table.name.format': 'users' },
    });
    expect(res.status).toBe(201);
    await waitFor(async () => (await duckRows(db, 'SELECT id, name FROM users ORDER BY id')).length === 2, 20_000, 'two users');
    expect(await duckQuery(db, 'SELECT id, name FROM users ORDER BY id')).toEqual([
      { id: 1, name: 'ada lovelace' },
      { id: 3, name: 'cy' },
    ]);
    await produceJson(t, topic, [
      { keySchema, key: { id: 4 }, valueSchema: v2, value: { id: 4, name: 'dee', email: 'dee@example.com' } },
      { keySchema, key: { id: 3 }, valueSchema: v2, value: { id: 3, name: 'cy', email: 'cy@example.com' } },
      { keySchema, key: { id: 2 }, valueSchema: v1, value: { id: 2, name: 'bob again' } },
    ]);
    await waitFor(async () => (await duckRows(db, 'SELECT id FROM users')).length === 4, 20_000, 'four users');
    expect(await duckQuery(db, 'SELECT id, name, email FROM users ORDER BY id')).toEqual([
      { id: 1, name: 'ada lovelace', email: null },
      { id: 2, name: 'bob again', email: null },
      { id: 3, name: 'cy', email: 'cy@example.com' },
      { id: 4, name: 'dee', email: 'dee@example.com' },
    ]);
  });

  it('applies Debezium change events natively and through ExtractNewRecordState', async () => {
    const row = Schemas.struct('srv.public.items.Value', [Schemas.field('id', Schemas.int32()), Schemas.field('qty', Schemas.int32({ optional: true })), Schemas.field('at', Schemas.microTimestamp({ optional: true }))]);
    const env = Schemas.struct('srv.public.items.Envelope', [
      Schemas.field('before', Schemas.optional(row)),
      Schemas.field('after', Schemas.optional(row)),
      Schemas.field('op', Schemas.string()),
      Schemas.field('ts_ms', Schemas.int64({ optional: true })),
    ]);
    const key = Schemas.struct('srv.public.items.Key', [Schemas.field('id', Schemas.int32())]);
    const ev = (op: string, before: unknown, after: unknown) => ({ keySchema: key, key: { id: ((after ?? before) as { id: number }).id }, valueSchema: env, value: { before, after, op, ts_ms: 1 } });
    const events = [
      ev('r', null, { id: 1, qty: 5, at: 1_700_000_000_000_000 }),
      ev('c', null, { id: 2, qty: 6, at: null }),
      ev('u', { id: 1, qty: 5, at: null }, { id: 1, qty: 50, at: 1_700_000_000_000_000 }),
      ev('d', { id: 2, qty: 6, at: null }, null),
      { keySchema: key, key: { id: 2 }, valueSchema: null, value: null },
      ev('c', null, { id: 3, qty: 7, at: null }),
    ];
    const t = topics();
    for (const [name, extra] of [
      ['native', {}],
      ['unwrapped', { transforms: 'unwrap', 'transforms.unwrap.type': 'io.debezium.transforms.ExtractNewRecordState', 'transforms.unwrap.delete.tombstone.handling.mode': 'tombstone' }],
    ] as const) {
      const topic = randomTopic(`cdc-${name}`);
      await t.createTopic(topic);
      await produceJson(t, topic, events);
      const db = join(dir, `${name}.duckdb`);
      const res = await rest(p.connectUrl, 'POST', '/connectors', {
        name: `duck-${topic}`,
        config: { 'connector.class': 'DuckDBSink', topics: topic, 'duckdb.path': db, 'insert.mode': 'upsert', 'auto.create': 'true', 'table.name.format': 'items', ...extra },
      });
      expect(res.status).toBe(201);
      await waitFor(async () => Number((await duckRows(db, `SELECT next_offset FROM _runnel_connect_offsets`))[0]?.next_offset ?? 0) === events.length, 20_000, `${name}: all events`);
      expect(await duckQuery(db, 'SELECT id, qty, CAST("at" AS VARCHAR) AS at FROM items ORDER BY id'), name).toEqual([
        { id: 1, qty: 50, at: '2023-11-14 22:13:20' },
        { id: 3, qty: 7, at: null },
      ]);
    }
  });

  it('insert mode appends every record', async () => {
    const topic = randomTopic('log');
    const db = join(dir, 'log.duckdb');
    const t = topics();
    await t.createTopic(topic);
    await produceJson(t, topic, [1, 1, 2].map((id) => ({ keySchema, key: { id }, valueSchema: v1, value: { id, name: `n${id}` } })));
    await rest(p.connectUrl, 'POST', '/connectors', { name: `duck-${topic}`, config: { 'connector.class': 'DuckDBSink', topics: topic, 'duckdb.path': db, 'auto.create': 'true', 'table.name.format': 'log', 'delete.enabled': 'false' } });
    await waitFor(async () => (await duckRows(db, 'SELECT * FROM log')).length === 3, 20_000, 'three rows');
  });

  it.each(['insert', 'upsert'])('%s mode: plain Avro rows decoded from their bytes (fast path) give the same table as the general path', async (mode) => {
    const topic = randomTopic(`wire-${mode}`);
    const t = topics();
    await t.createTopic(topic);
    const plain = Schemas.struct('wire.Row', [
      Schemas.field('id', Schemas.int32()),
      Schemas.field('tiny', Schemas.int8()),
      Schemas.field('small', Schemas.int16({ optional: true })),
      Schemas.field('big', Schemas.int64({ optional: true })),
      Schemas.field('f', Schemas.float32()),
      Schemas.field('d', Schemas.float64({ optional: true })),
      Schemas.field('ok', Schemas.boolean({ optional: true })),
      Schemas.field('s', Schemas.string({ optional: true })),
    ]);
    // A semantic type: this schema takes the general path inside the same stream.
    const stamped = Schemas.struct('wire.Row', [...(plain.fields ?? []), Schemas.field('at', Schemas.int64({ name: SemanticTypes.Timestamp, optional: true }))]);
    const bigs = [0, -1, 1, 2 ** 31, -(2 ** 40), 2 ** 49 - 1, 2 ** 49, -(2 ** 49) - 1, Number.MAX_SAFE_INTEGER, 9_223_372_036_854_775_807n, -9_223_372_036_854_775_808n, 1_800_000_000_123_456_789n, null];
    const strings = ['', 'plain', 'ünïcödé ✓', '😀 emoji', 'x'.repeat(300), null];
    const value = new RegistryConverter('AVRO', { registry: new InProcessRegistryClient(p.platform.registry.registry) });
    value.configure({}, false);
    const records = [];
    for (let i = 0; i < 120; i++) {
      const row: Record<string, unknown> = { id: i % 90, tiny: (i % 256) - 128, small: i % 7 === 0 ? null : i * 100 - 6000, big: bigs[i % bigs.length], f: i / 3, d: i % 5 === 0 ? null : i * 1.5e300 * (i % 2 ? -1 : 1), ok: i % 3 === 0 ? null : i % 2 === 0, s: strings[i % strings.length] };
      // Every 7th record takes the general path; ids repeat after 90, so keys move between the paths both ways.
      const schema = i % 7 === 3 ? stamped : plain;
      if (schema === stamped) row.at = 1_700_000_000_000 + i;
      records.push({ key: null, value: await value.fromConnectData(topic, schema, row), partition: 0 });
    }
    await t.produce(topic, records);
    const run = async (name: string, extra: Record<string, string>) => {
      const db = join(dir, `${name}.duckdb`);
      const config = { 'connector.class': 'DuckDBSink', topics: topic, 'duckdb.path': db, 'value.converter': 'io.confluent.connect.avro.AvroConverter', 'key.converter': 'org.apache.kafka.connect.storage.StringConverter', 'insert.mode': mode, 'pk.mode': mode === 'upsert' ? 'record_value' : 'none', 'pk.fields': mode === 'upsert' ? 'id' : '', 'delete.enabled': 'false', 'consumer.override.max.poll.records': '20', 'auto.create': 'true', 'auto.evolve': 'true', 'table.name.format': 'rows', ...extra };
      const created = await rest(p.connectUrl, 'POST', '/connectors', { name, config });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      await waitFor(async () => {
        const o = await duckQuery(db, `SELECT next_offset FROM _runnel_connect_offsets WHERE connector = '${name}'`).catch(() => []);
        return o.length > 0 && Number(o[0].next_offset) === records.length;
      }, 30_000, `${name} caught up`);
      const runner = p.platform.connect.worker.taskRunners(name)[0] as SinkTaskRunner;
      return { wire: runner.wireDelivered, rows: await duckQuery(db, 'SELECT * FROM rows ORDER BY id, tiny'), columns: await duckQuery(db, 'DESCRIBE rows') };
    };
    const fast = await run(`fast-${topic}`, {});
    // errors.tolerance=all needs each converted record, so every record takes the general path.
    const general = await run(`general-${topic}`, { 'errors.tolerance': 'all' });
    expect(fast.wire).toBeGreaterThan(0);
    expect(fast.wire).toBeLessThan(records.length);
    expect(general.wire).toBe(0);
    expect(fast.rows.length).toBe(mode === 'upsert' ? 90 : 120);
    expect(fast.columns).toEqual(general.columns);
    expect(fast.rows).toEqual(general.rows);
  });
});
