/**
 * Aggregations and Top-N over an upsert table (a PRIMARY KEY table whose topic holds each key's
 * latest row, and tombstones for deleted keys): the planner normalizes the changelog, so updates
 * retract what the old row contributed and deletes remove it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqlRuntime } from '../../src/runtime/index.ts';
import type { ChangeRow, StatementInfo } from '../../src/runtime/index.ts';
import { Serializer } from '../../src/schema-registry/index.ts';
import { startEnv, type Env } from '../connectors/kafka/helpers.ts';
import { finalRows, readAll, settled, until } from './topic-rows.ts';

async function completed(sql: SqlRuntime, st: StatementInfo): Promise<StatementInfo> {
  const info = await settled(sql, st);
  if (info.status === 'FAILED') throw new Error(info.error);
  return info;
}

async function run(sql: SqlRuntime, statement: string, props: Record<string, string> = {}): Promise<StatementInfo> {
  const r = await sql.execute(statement, { 'sql.tables.scan.bounded': 'true', ...props });
  if (r.kind !== 'statement') throw new Error(`expected a statement, got ${r.kind}`);
  return completed(sql, r.statement);
}

const byFirst = (rows: Record<string, unknown>[], col: string) => rows.sort((a, b) => String(a[col]).localeCompare(String(b[col])));

describe('aggregation and Top-N over an upsert table', () => {
  let env: Env;
  let sql: SqlRuntime;
  beforeEach(async () => {
    env = await startEnv();
    sql = await SqlRuntime.open({ topics: env.topics, registry: env.registry });
    await sql.execute('CREATE TABLE products (id BIGINT, category STRING, price BIGINT, PRIMARY KEY (id) NOT ENFORCED)', {});
    await run(sql, "INSERT INTO products VALUES (1, 'pens', 3), (2, 'pens', 5), (3, 'ink', 9), (4, 'ink', 2)");
    // id 1 moves to ink, id 2 is written again unchanged, id 4 gets a new price.
    await run(sql, "INSERT INTO products VALUES (1, 'ink', 3), (2, 'pens', 5), (4, 'ink', 7)");
    // Any Kafka client deletes a key with a tombstone: the key, no value. Key 99 never existed.
    const key = await new Serializer(env.client, { schemaType: 'AVRO', useLatestVersion: true, isKey: true }).forTopic('products');
    await env.topics.produce('products', [{ key: key.encode({ id: 3 }), value: null }, { key: key.encode({ id: 99 }), value: null }]);
    await until(() => readAll(env, 'products'), (r) => r.length === 9);
  });
  afterEach(async () => {
    await sql.close();
    await env.stop();
  });

  it('COUNT and SUM per category follow updates and deletes', async () => {
    await sql.execute('CREATE TABLE per_category (category STRING, n BIGINT, total BIGINT, PRIMARY KEY (category) NOT ENFORCED)', {});
    const info = await run(sql, 'INSERT INTO per_category SELECT category, COUNT(*), SUM(price) FROM products GROUP BY category');
    expect(byFirst(await finalRows(env, 'per_category'), 'category')).toEqual([
      { category: 'ink', n: 2, total: 10 },
      { category: 'pens', n: 1, total: 5 },
    ]);
    const normalize = Object.entries(info.metrics.operators).filter(([k]) => k.includes('ChangelogNormalizeExec'));
    expect(normalize).toHaveLength(1);
    // Keys 1, 2 and 4 are kept (3 was deleted).
    expect(normalize[0][1].stateBytes).toBeGreaterThan(0);
  });

  it('a COUNT over the whole table ends at the live keys, through every retraction', async () => {
    await sql.execute('CREATE TABLE total (k INT, n BIGINT, PRIMARY KEY (k) NOT ENFORCED)', {});
    await run(sql, 'INSERT INTO total SELECT 1, COUNT(*) FROM products');
    expect(await finalRows(env, 'total')).toEqual([{ k: 1, n: 3 }]);
  });

  it('Top-1 per category: a deleted or updated leader gives way', async () => {
    await sql.execute('CREATE TABLE leader (category STRING, id BIGINT, price BIGINT, PRIMARY KEY (category) NOT ENFORCED)', {});
    await run(sql, 'INSERT INTO leader SELECT category, id, price FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY category ORDER BY price DESC) AS rn FROM products) WHERE rn = 1');
    expect(byFirst(await finalRows(env, 'leader'), 'category')).toEqual([
      { category: 'ink', id: 4, price: 7 },
      { category: 'pens', id: 2, price: 5 },
    ]);
  });

  it('a filter on a non-key column drops the rows that moved out of it', async () => {
    await sql.execute('CREATE TABLE pens (id BIGINT, price BIGINT, PRIMARY KEY (id) NOT ENFORCED)', {});
    await run(sql, "INSERT INTO pens SELECT id, price FROM products WHERE category = 'pens'");
    expect(await finalRows(env, 'pens')).toEqual([{ id: 2, price: 5 }]);
  });

  it('a join with the upsert table follows its updates, and its tombstones retract what the deleted row joined', async () => {
    await sql.execute('CREATE TABLE orders (oid BIGINT, pid BIGINT)', {});
    await run(sql, 'INSERT INTO orders VALUES (10, 1), (11, 3), (12, 4), (13, 5)');
    await sql.execute('CREATE TABLE order_lines (oid BIGINT, category STRING, price BIGINT, PRIMARY KEY (oid) NOT ENFORCED)', {});
    await run(sql, 'INSERT INTO order_lines SELECT o.oid, p.category, p.price FROM orders o JOIN products p ON o.pid = p.id');
    expect((await finalRows(env, 'order_lines')).sort((a, b) => Number(a.oid) - Number(b.oid))).toEqual([
      { oid: 10, category: 'ink', price: 3 },
      { oid: 12, category: 'ink', price: 7 },
    ]);
  });

  it('INSERT INTO a table with the same key copies the rows and the deletes', async () => {
    await sql.execute('CREATE TABLE mirror (id BIGINT, category STRING, price BIGINT, PRIMARY KEY (id) NOT ENFORCED)', {});
    await run(sql, 'INSERT INTO mirror SELECT id, category, price FROM products');
    expect((await finalRows(env, 'mirror')).sort((a, b) => Number(a.id) - Number(b.id))).toEqual([
      { id: 1, category: 'ink', price: 3 }, { id: 2, category: 'pens', price: 5 }, { id: 4, category: 'ink', price: 7 },
    ]);
  });

  it('a SELECT shows the table as a changelog: updates retract the old row, a tombstone deletes it', async () => {
    const r = await sql.execute('SELECT id, category, price FROM products', { 'sql.tables.scan.bounded': 'true' });
    if (r.kind !== 'query') throw new Error(r.kind);
    const got: ChangeRow[] = [];
    const q = await sql.runQuery(r.query, { 'sql.tables.scan.bounded': 'true' }, (rows) => { got.push(...rows); }, new AbortController().signal);
    await q.done;
    expect(got.map((c) => `${c.op} ${String(c.row.id)} ${String(c.row.category)} ${String(c.row.price)}`)).toEqual([
      '+I 1 pens 3', '+I 2 pens 5', '+I 3 ink 9', '+I 4 ink 2',
      '-U 1 pens 3', '+U 1 ink 3', '-U 4 ink 2', '+U 4 ink 7',
      '-D 3 ink 9',
    ]);
  });

  it('a tombstone of a table with NOT NULL value columns and a computed column over them is a delete, not an error', async () => {
    await sql.execute('CREATE TABLE stock (id BIGINT, qty BIGINT NOT NULL, total BIGINT NOT NULL, unit AS total / qty, PRIMARY KEY (id) NOT ENFORCED)', {});
    await run(sql, 'INSERT INTO stock VALUES (1, 2, 10), (2, 4, 8)');
    const key = await new Serializer(env.client, { schemaType: 'AVRO', useLatestVersion: true, isKey: true }).forTopic('stock');
    await env.topics.produce('stock', [{ key: key.encode({ id: 1 }), value: null }]);
    // The computed column is evaluated before the normalization (the key is still there) and
    // into a table with the same key (no normalization): over the -D row's NULLs, too.
    await sql.execute('CREATE TABLE per_unit (unit BIGINT, n BIGINT, PRIMARY KEY (unit) NOT ENFORCED)', {});
    await run(sql, 'INSERT INTO per_unit SELECT unit, COUNT(id) FROM stock GROUP BY unit');
    expect(await finalRows(env, 'per_unit')).toEqual([{ unit: 2, n: 1 }]);
    await sql.execute('CREATE TABLE unit_of (id BIGINT, unit BIGINT, PRIMARY KEY (id) NOT ENFORCED)', {});
    await run(sql, 'INSERT INTO unit_of SELECT id, unit FROM stock');
    expect(await finalRows(env, 'unit_of')).toEqual([{ id: 2, unit: 2 }]);
  });

  it('the normalized state survives a checkpoint and restart of the statement (STOP WITH SAVEPOINT)', async () => {
    await sql.execute('CREATE TABLE per_category (category STRING, n BIGINT, PRIMARY KEY (category) NOT ENFORCED)', {});
    const r = await sql.execute('INSERT INTO per_category SELECT category, COUNT(*) FROM products GROUP BY category', { 'execution.checkpointing.interval': '100 ms', 'sql.statement.name': 'per-category' });
    if (r.kind !== 'statement') throw new Error(r.kind);
    await until(async () => byFirst(await finalRows(env, 'per_category'), 'category'), (rows) => JSON.stringify(rows) === JSON.stringify([{ category: 'ink', n: 2 }, { category: 'pens', n: 1 }]));
    await sql.execute("STOP STATEMENT 'per-category' WITH SAVEPOINT", {});
    await until(() => sql.statements.get(r.statement.id) as StatementInfo, (i) => i.status === 'STOPPED');
    // While stopped: id 2 leaves pens for ink, id 4 is deleted.
    await run(sql, "INSERT INTO products VALUES (2, 'ink', 5)");
    const key = await new Serializer(env.client, { schemaType: 'AVRO', useLatestVersion: true, isKey: true }).forTopic('products');
    await env.topics.produce('products', [{ key: key.encode({ id: 4 }), value: null }]);
    await sql.execute("RESUME STATEMENT 'per-category'", {});
    // Without the restored rows of ids 2 and 4 the counts could not go down.
    await until(async () => byFirst(await finalRows(env, 'per_category'), 'category'), (rows) => JSON.stringify(rows) === JSON.stringify([{ category: 'ink', n: 2 }]));
  });
});
