import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessTopicClient } from '../../src/client/in-process.ts';
import { Schemas } from '../../src/connectors/index.ts';
import { randomTopic } from '../helpers/broker.ts';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { rest, startTestPlatform, waitFor, type TestPlatform } from './platform.ts';
import { produceJson } from './sink-helpers.ts';

const keySchema = Schemas.struct('users.Key', [Schemas.field('id', Schemas.int32())]);
const v1 = Schemas.struct('users.Value', [Schemas.field('id', Schemas.int32()), Schemas.field('name', Schemas.string({ optional: true })), Schemas.field('joined', Schemas.timestamp({ optional: true }))]);
const v2 = Schemas.struct('users.Value', [...(v1.fields ?? []), Schemas.field('score', Schemas.float64({ optional: true }))]);

describe('PostgresSink', () => {
  let p: TestPlatform;
  let pg: TestPostgres;
  let url: string;
  beforeAll(async () => {
    [p, pg] = await Promise.all([startTestPlatform(), startTestPostgres()]);
    url = `jdbc:postgresql://${pg.host}:${pg.port}/postgres`;
  });
  afterAll(async () => {
    await p?.stop();
    await pg?.stop();
  });
  const query = async (sql: string) => {
    const c = await pg.connect();
    try {
      return (await c.query(sql)).rows as Record<string, unknown>[];
    } catch (err) {
      if (String(err).includes('does not exist')) return [];
      throw err;
    } finally {
      await c.end();
    }
  };

  it('Datagen → topic → JdbcSinkConnector (postgres URL) with upserts by key and auto.create', async () => {
    const topic = randomTopic('orders');
    await rest(p.connectUrl, 'POST', '/connectors', { name: `gen-${topic}`, config: { 'connector.class': 'DatagenSource', 'kafka.topic': topic, quickstart: 'users', 'max.interval': '0', iterations: '500' } });
    const res = await rest(p.connectUrl, 'POST', '/connectors', {
      name: `pg-${topic}`,
      config: { 'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector', 'connection.url': url, 'connection.user': 'postgres', topics: topic, 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'pk.fields': 'userid', 'auto.create': 'true', 'table.name.format': 'users_gen' },
    });
    expect(res.status).toBe(201);
    // users' key cycles over User_1..User_9: 500 records upsert into 9 rows.
    await waitFor(async () => Number((await query(`SELECT next_offset FROM _runnel_connect_offsets WHERE connector = 'pg-${topic}'`))[0]?.next_offset ?? 0) === 500, 20_000, 'all 500 consumed');
    const rows = await query('SELECT userid FROM users_gen ORDER BY userid');
    expect(rows.map((r) => r.userid)).toEqual(['User_1', 'User_2', 'User_3', 'User_4', 'User_5', 'User_6', 'User_7', 'User_8', 'User_9']);
    const pk = await query(`SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indrelid = 'users_gen'::regclass AND i.indisprimary`);
    expect(pk.map((r) => r.attname)).toEqual(['userid']);
  });

  it('upserts, deletes on tombstones (delete.enabled) and evolves the table', async () => {
    const topic = randomTopic('users');
    const t = new InProcessTopicClient(p.platform.broker);
    await t.createTopic(topic, { partitions: 3 });
    await produceJson(t, topic, [
      { keySchema, key: { id: 1 }, valueSchema: v1, value: { id: 1, name: 'ada', joined: 1_700_000_000_000 } },
      { keySchema, key: { id: 2 }, valueSchema: v1, value: { id: 2, name: 'bob', joined: null } },
      { keySchema, key: { id: 1 }, valueSchema: v1, value: { id: 1, name: "ada o'neil", joined: 1_700_000_000_000 } },
      { keySchema, key: { id: 2 }, valueSchema: null, value: null },
      { keySchema, key: { id: 3 }, valueSchema: v2, value: { id: 3, name: 'cy', joined: null, score: 1.5 } },
    ]);
    const res = await rest(p.connectUrl, 'POST', '/connectors', {
      name: `pg-${topic}`,
      config: { 'connector.class': 'PostgresSink', 'connection.url': `${url}?user=postgres`, topics: topic, 'insert.mode': 'upsert', 'delete.enabled': 'true', 'auto.create': 'true', 'auto.evolve': 'true', 'table.name.format': 'people' },
    });
    expect(res.status).toBe(201);
    await waitFor(async () => (await query('SELECT id FROM people')).length === 2 && (await query(`SELECT sum(next_offset)::int AS n FROM _runnel_connect_offsets WHERE connector = 'pg-${topic}'`))[0]?.n === 5, 20_000, 'two people');
    const rows = await query(`SELECT id, name, to_char(joined, 'YYYY-MM-DD HH24:MI:SS') AS joined, score FROM people ORDER BY id`);
    expect(rows).toEqual([
      { id: 1, name: "ada o'neil", joined: '2023-11-14 22:13:20', score: null },
      { id: 3, name: 'cy', joined: null, score: 1.5 },
    ]);
  });

  it('validates the config per field', async () => {
    const res = await rest(p.connectUrl, 'PUT', '/connector-plugins/PostgresSink/config/validate', { name: 'v', 'connector.class': 'PostgresSink', topics: 'x', 'connection.url': 'mysql://nope', 'insert.mode': 'merge', 'batch.size': 'lots' });
    expect(res.status).toBe(200);
    const body = res.body as { error_count: number; configs: { value: { name: string; errors: string[] } }[] };
    const errs = Object.fromEntries(body.configs.filter((c) => c.value.errors.length > 0).map((c) => [c.value.name, c.value.errors]));
    expect(Object.keys(errs).sort(), JSON.stringify(errs)).toEqual(['batch.size', 'connection.url', 'insert.mode']);
    expect(body.error_count).toBe(3);
  });
});
