/**
 * `sql.state.max-size`: the per-operator state limit a statement runs with. Past it the statement
 * fails with STATE_LIMIT_EXCEEDED naming the setting; a generous limit lets the same statement
 * finish; sizes are checked at SET, including against the process's heap limit.
 */
import { getHeapStatistics } from 'node:v8';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqlRuntime } from '../../src/runtime/index.ts';
import type { StatementInfo } from '../../src/runtime/index.ts';
import { parseSizeBytes, stateBytesMax } from '../../src/runtime/session.ts';
import { produceAvro, startEnv, type Env } from '../connectors/kafka/helpers.ts';
import { settled } from './topic-rows.ts';

const bidSchema = {
  type: 'record', name: 'Bid', fields: [{ name: 'bidder', type: 'long' }, { name: 'price', type: 'long' }],
};
/** 3 000 distinct bidders: a GROUP BY bidder keeps 3 000 groups. */
const BIDS = Array.from({ length: 3000 }, (_, i) => ({ bidder: i, price: i % 97 }));

describe("'sql.state.max-size'", () => {
  let env: Env;
  let sql: SqlRuntime;
  beforeEach(async () => {
    env = await startEnv();
    await env.topics.createTopic('bids', { partitions: 1 });
    await produceAvro(env, 'bids', bidSchema, BIDS);
    sql = await SqlRuntime.open({ topics: env.topics, registry: env.registry });
    await sql.execute('CREATE TABLE totals (bidder BIGINT, total BIGINT, PRIMARY KEY (bidder) NOT ENFORCED)', {});
  });
  afterEach(async () => {
    await sql.close();
    await env.stop();
  });

  const insert = 'INSERT INTO totals SELECT bidder, SUM(price) FROM bids GROUP BY bidder';

  it('fails a statement whose operator state passes the limit, naming the setting', async () => {
    const r = await sql.execute(insert, { 'sql.tables.scan.bounded': 'true', 'sql.state.max-size': '16 kb' });
    if (r.kind !== 'statement') throw new Error(r.kind);
    const info = await settled(sql, r.statement);
    expect(info.status).toBe('FAILED');
    expect(info.error).toMatch(/STATE_LIMIT_EXCEEDED|stateBytesMax/);
    expect(info.error).toContain("'sql.state.max-size'");
  });

  it('lets the same statement finish under the default limit', async () => {
    const r = await sql.execute(insert, { 'sql.tables.scan.bounded': 'true' });
    if (r.kind !== 'statement') throw new Error(r.kind);
    const info = await settled(sql, r.statement);
    expect(info.error).toBeUndefined();
    expect(info.status).toBe('COMPLETED');
    expect(info.metrics.stateBytesPeak).toBeGreaterThan(16 * 1024);
  });

  it('parses sizes and refuses bad ones at SET', async () => {
    expect(parseSizeBytes('512 mb')).toBe(512 * 1024 ** 2);
    expect(parseSizeBytes('2GB')).toBe(2 * 1024 ** 3);
    expect(parseSizeBytes('1.5 kb')).toBe(1536);
    expect(parseSizeBytes('4096')).toBe(4096);
    expect(stateBytesMax({})).toBe(512 * 1024 ** 2);
    await expect(sql.execute("SET 'sql.state.max-size' = 'lots'", {})).rejects.toThrow(/not a size/);
    await expect(sql.execute("SET 'sql.state.max-size' = '0'", {})).rejects.toThrow(/more than 0/);
    const heapMb = Math.floor(getHeapStatistics().heap_size_limit / 1024 ** 2);
    await expect(sql.execute(`SET 'sql.state.max-size' = '${heapMb} mb'`, {})).rejects.toThrow(/heap limit.*max-old-space-size/);
    const ok = await sql.execute("SET 'sql.state.max-size' = '1 gb'", {});
    expect(ok.kind === 'table' ? ok.properties : undefined).toEqual({ 'sql.state.max-size': '1 gb' });
  });
});
