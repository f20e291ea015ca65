/**
 * Joins end to end through the SQL runtime against topics: an event-time temporal join against
 * a versioned (upsert) table and an interval join, as statements writing to topics.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqlRuntime } from '../../src/runtime/index.ts';
import { startEnv, type Env } from '../connectors/kafka/helpers.ts';
import { readAll, until } from './topic-rows.ts';

/** The decoded values of a topic's records (tombstones left out). */
async function values(env: Env, topic: string): Promise<Record<string, unknown>[]> {
  return (await readAll(env, topic)).flatMap((r) => (r.value === null ? [] : [r.value as Record<string, unknown>]));
}

const T0 = Date.UTC(2024, 0, 1);
const ts = (s: number) => `TIMESTAMP '2024-01-01 00:00:${String(s).padStart(2, '0')}'`;

describe('joins end to end', () => {
  let env: Env;
  let sql: SqlRuntime;
  beforeEach(async () => {
    env = await startEnv();
    sql = await SqlRuntime.open({ topics: env.topics, registry: env.registry });
    await sql.execute('CREATE TABLE rates (currency STRING, rate BIGINT, uts TIMESTAMP(3), WATERMARK FOR uts AS uts, PRIMARY KEY (currency) NOT ENFORCED)', {});
    await sql.execute('CREATE TABLE payments (pid BIGINT, currency STRING, amount BIGINT, pts TIMESTAMP(3), WATERMARK FOR pts AS pts)', {});
  });
  afterEach(async () => {
    await sql.close();
    await env.stop();
  });

  it('an event-time temporal join gives each payment the rate valid at its time', async () => {
    await sql.execute(`INSERT INTO rates VALUES ('EUR', 100, ${ts(0)}), ('GBP', 120, ${ts(1)})`, {});
    await until(() => values(env, 'rates'), (r) => r.length >= 2);
    await sql.execute(`INSERT INTO rates VALUES ('EUR', 110, ${ts(10)}), ('GBP', 130, ${ts(30)})`, {});
    await until(() => values(env, 'rates'), (r) => r.length >= 4);
    await sql.execute(`INSERT INTO payments VALUES (1, 'EUR', 2, ${ts(5)}), (2, 'EUR', 3, ${ts(12)}), (3, 'GBP', 1, ${ts(12)}), (4, 'USD', 1, ${ts(13)}), (5, 'EUR', 1, ${ts(40)})`, {});
    await sql.execute('CREATE TABLE converted (pid BIGINT, amount BIGINT, rate BIGINT)', {});
    await sql.execute(`INSERT INTO converted SELECT p.pid, p.amount, r.rate FROM payments p
      LEFT JOIN rates FOR SYSTEM_TIME AS OF p.pts AS r ON p.currency = r.currency`, { 'sql.tables.scan.idle-timeout': '0' });
    const rows = await until(() => values(env, 'converted'), (r) => r.length >= 4);
    // Payment 5 (at 40 s) waits for the watermark of rates to reach 40 s, which it never does.
    expect(rows.sort((a, b) => (a.pid as number) - (b.pid as number))).toEqual([
      { pid: 1, amount: 2, rate: 100 },
      { pid: 2, amount: 3, rate: 110 },
      { pid: 3, amount: 1, rate: 120 },
      { pid: 4, amount: 1, rate: null },
    ]);
  });

  it('an interval join writes the pairs whose times lie within the bound', async () => {
    await sql.execute('CREATE TABLE refunds (pid BIGINT, rts TIMESTAMP(3), WATERMARK FOR rts AS rts)', {});
    await sql.execute(`INSERT INTO payments VALUES (1, 'EUR', 2, ${ts(0)}), (2, 'EUR', 3, ${ts(5)}), (3, 'GBP', 1, ${ts(20)})`, {});
    await sql.execute(`INSERT INTO refunds VALUES (1, ${ts(4)}), (2, ${ts(30)}), (3, ${ts(21)})`, {});
    await sql.execute('CREATE TABLE quick_refunds (pid BIGINT, pts TIMESTAMP(3), rts TIMESTAMP(3))', {});
    await sql.execute(`INSERT INTO quick_refunds SELECT p.pid, p.pts, r.rts FROM payments p JOIN refunds r
      ON p.pid = r.pid AND r.rts BETWEEN p.pts AND p.pts + INTERVAL '10' SECOND`, { 'sql.tables.scan.idle-timeout': '0' });
    const rows = await until(() => values(env, 'quick_refunds'), (r) => r.length >= 2);
    expect(rows.sort((a, b) => (a.pid as number) - (b.pid as number))).toEqual([
      { pid: 1, pts: T0, rts: T0 + 4000 },
      { pid: 3, pts: T0 + 20_000, rts: T0 + 21_000 },
    ]);
  });
});
