import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlRuntime } from '../../src/runtime/index.ts';
import { startHttpServer } from '../../src/server/index.ts';
import type { HttpServer } from '../../src/server/index.ts';
import { produceAvro, startEnv, type Env } from '../connectors/kafka/helpers.ts';

const bidSchema = {
  type: 'record', name: 'Bid', fields: [
    { name: 'auction', type: 'long' }, { name: 'price', type: 'long' },
    { name: 'dateTime', type: { type: 'long', logicalType: 'timestamp-millis' } },
  ],
};

interface Body {
  columns?: string[];
  rows?: unknown[][];
  properties?: Record<string, string>;
  message?: string;
  [k: string]: unknown;
}

async function body(res: Response | Promise<Response>): Promise<Body> {
  return (await (await res).json()) as Body;
}

describe('Runnel HTTP API', () => {
  let env: Env;
  let sql: SqlRuntime;
  let http: HttpServer;
  let base: string;
  beforeAll(async () => {
    env = await startEnv();
    await env.topics.createTopic('bid', { partitions: 1 });
    await produceAvro(env, 'bid', bidSchema, Array.from({ length: 50 }, (_, i) => ({ auction: i % 5, price: i * 10, dateTime: 1_700_000_000_000 + i })));
    sql = await SqlRuntime.open({ topics: env.topics, registry: env.registry });
    http = await startHttpServer({ host: '127.0.0.1', port: 0, runtime: sql, broker: env.broker });
    base = `http://127.0.0.1:${http.port}`;
  });
  afterAll(async () => {
    await http.close();
    await sql.close();
    await env.stop();
  });

  const post = (statement: unknown, properties?: Record<string, string>): Promise<Response> =>
    fetch(`${base}/v1/statements`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ statement, ...(properties ? { properties } : {}) }) });

  it('answers SHOW, DESCRIBE and DDL inline', async () => {
    const shown = await post('SHOW TABLES');
    expect(shown.status).toBe(200);
    expect(await shown.json()).toEqual({ columns: ['Table Name'], rows: [['bid']] });
    const d = await body(post('DESCRIBE bid'));
    expect(d.rows?.[0]).toEqual(['auction', 'BIGINT', 'NOT NULL', '']);
    const created = await post('CREATE TABLE cheap (auction BIGINT, price BIGINT)');
    expect(await created.json()).toEqual({ message: "Table 'cheap' created." });
    const set = await body(post("SET 'sql.state-ttl' = '1 h'", { 'a.b': 'c' }));
    expect(set.properties).toEqual({ 'a.b': 'c', 'sql.state-ttl': '1 h' });
    const explain = await body(post('EXPLAIN SELECT price FROM bid WHERE price > 5'));
    expect(explain.columns).toEqual(['Plan']);
    expect(String(explain.rows?.[0][0])).toMatch(/Filter|Calc/);
  });

  it('reports SQL errors with error_code, message, line and column', async () => {
    const syntax = await post('SELECT price\nFROM bid WHERE');
    expect(syntax.status).toBe(400);
    const err = (await syntax.json()) as { message: string };
    expect(err).toMatchObject({ error_code: 40001, line: 2 });
    expect(err.message).toMatch(/^line 2, column \d+: /);
    const plan = await post('SELECT nope FROM bid');
    expect(plan.status).toBe(400);
    expect(await plan.json()).toMatchObject({ error_code: 40002, line: 1, column: 8 });
    const ddl = await post('CREATE TABLE bid (a INT)');
    expect(await ddl.json()).toMatchObject({ error_code: 40004, message: expect.stringMatching(/already exists/) });
    const bad = await fetch(`${base}/v1/statements`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sql: 'x' }) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error_code: 40003, message: expect.stringMatching(/"statement"/) });
    const notJson = await fetch(`${base}/v1/statements`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toHaveProperty('error_code');
    const missing = await fetch(`${base}/v1/statements/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error_code: 40401, message: "statement 'nope' does not exist" });
  });

  it('creates, lists, shows and stops a statement', async () => {
    await post('CREATE TABLE IF NOT EXISTS cheap (auction BIGINT, price BIGINT)');
    const res = await post('INSERT INTO cheap SELECT auction, price FROM bid WHERE price < 100', { 'sql.statement.name': 'cheap-bids' });
    expect(res.status).toBe(201);
    const st = (await res.json()) as { id: string };
    expect(st).toMatchObject({ name: 'cheap-bids', status: 'PENDING', sql: expect.stringContaining('INSERT INTO cheap') });
    expect(st.id).toMatch(/^[0-9a-f-]{36}$/);
    let one: Body = {};
    for (let i = 0; i < 200; i++) {
      one = await body(fetch(`${base}/v1/statements/cheap-bids`));
      if ((one.metrics as { rowsOut?: number } | undefined)?.rowsOut === 10) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(one).toMatchObject({ id: st.id, status: 'RUNNING', metrics: { rowsIn: 50, rowsOut: 10, lag: 0, offsets: { bid: { 0: '50' } } } });
    const list = (await (await fetch(`${base}/v1/statements`)).json()) as { statements: { id: string }[] };
    expect(list.statements.map((s: { id: string }) => s.id)).toContain(st.id);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/runnel_sql_statement_rows_in_total\{statement="cheap-bids"\} 50/);
    expect(metrics).toMatch(/runnel_kafka_log_bytes\{topic="bid"\} \d+/);
    const del = await fetch(`${base}/v1/statements/${st.id}`, { method: 'DELETE' });
    expect(await del.json()).toMatchObject({ id: st.id, status: 'STOPPED' });
    const dup = await post('INSERT INTO cheap SELECT auction, price FROM bid', { 'sql.statement.name': 'cheap-bids' });
    expect(await dup.json()).toMatchObject({ error_code: 40004, message: expect.stringMatching(/already exists/) });
  });

  it('streams a SELECT as newline-delimited JSON changelog until the LIMIT', async () => {
    const res = await post('SELECT auction, price, dateTime FROM bid WHERE price >= 100 LIMIT 3');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/x-ndjson/);
    const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(lines[0]).toEqual({ columns: [{ name: 'auction', type: 'BIGINT NOT NULL' }, { name: 'price', type: 'BIGINT NOT NULL' }, { name: 'dateTime', type: 'TIMESTAMP_LTZ(3) NOT NULL' }] });
    expect(lines.slice(1)).toEqual([
      { op: '+I', row: { auction: 0, price: 100, dateTime: '2023-11-14 22:13:20.010' } },
      { op: '+I', row: { auction: 1, price: 110, dateTime: '2023-11-14 22:13:20.011' } },
      { op: '+I', row: { auction: 2, price: 120, dateTime: '2023-11-14 22:13:20.012' } },
    ]);
  });

  it('streams an updating aggregate until the client disconnects', async () => {
    const abort = new AbortController();
    const res = await post('SELECT auction, COUNT(*) AS n FROM bid GROUP BY auction');
    const reader = res.body!.getReader();
    let text = '';
    while ((text.match(/\n/g) ?? []).length < 51) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString();
    }
    const ops = text.trim().split('\n').slice(1).map((l) => (JSON.parse(l) as { op: string }).op);
    expect(new Set(ops)).toEqual(new Set(['+I', '-U', '+U']));
    await reader.cancel();
    abort.abort();
    // the server is still healthy after the disconnect
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
  });
});
