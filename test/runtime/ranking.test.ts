/**
 * Top-N and deduplication as running statements against topics: the upsert sink ends with the
 * final Top-N, the statement's metrics show each stateful operator's state, and the state TTL
 * properties are checked when set.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqlRuntime } from '../../src/runtime/index.ts';
import type { StatementInfo } from '../../src/runtime/index.ts';
import { stateTtlMs } from '../../src/runtime/session.ts';
import { produceAvro, startEnv, type Env } from '../connectors/kafka/helpers.ts';
import { finalRows, settled } from './topic-rows.ts';

const bidSchema = {
  type: 'record', name: 'Bid', fields: [
    { name: 'auction', type: 'long' }, { name: 'bidder', type: 'long' }, { name: 'price', type: 'long' },
  ],
};
const BIDS = Array.from({ length: 200 }, (_, i) => ({ auction: i % 5, bidder: i % 13, price: (i * 7919) % 1000 }));

/** The statement once completed; a failure throws its error. */
async function completed(sql: SqlRuntime, st: StatementInfo): Promise<StatementInfo> {
  const info = await settled(sql, st);
  if (info.status === 'FAILED') throw new Error(info.error);
  return info;
}

describe('Top-N and deduplication statements', () => {
  let env: Env;
  let sql: SqlRuntime;
  beforeEach(async () => {
    env = await startEnv();
    await env.topics.createTopic('bids', { partitions: 1 });
    await produceAvro(env, 'bids', bidSchema, BIDS);
    sql = await SqlRuntime.open({ topics: env.topics, registry: env.registry });
  });
  afterEach(async () => {
    await sql.close();
    await env.stop();
  });

  it('a Top-3 per auction ends as the three highest prices per auction, with RankExec state in the metrics', async () => {
    await sql.execute('CREATE TABLE top3 (auction BIGINT, price BIGINT, rn BIGINT, PRIMARY KEY (auction, rn) NOT ENFORCED)', {});
    const r = await sql.execute(
      'INSERT INTO top3 SELECT auction, price, rn FROM (SELECT auction, price, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC) AS rn FROM bids) WHERE rn <= 3',
      { 'sql.tables.scan.bounded': 'true', 'sql.state-ttl': '1 d' },
    );
    if (r.kind !== 'statement') throw new Error(r.kind);
    const info = await completed(sql, r.statement);
    const expected = [0, 1, 2, 3, 4].flatMap((a) => BIDS.filter((b) => b.auction === a).map((b) => b.price).sort((x, y) => y - x).slice(0, 3)
      .map((price, i) => ({ auction: a, price, rn: i + 1 })));
    const actual = (await finalRows(env, 'top3')).sort((x, y) => Number(x.auction) - Number(y.auction) || Number(x.rn) - Number(y.rn));
    expect(actual).toEqual(expected);
    const ranks = Object.entries(info.metrics.operators).filter(([k]) => k.includes('RankExec'));
    expect(ranks).toHaveLength(1);
    expect(ranks[0][1].stateBytes).toBeGreaterThan(0);
    expect(info.metrics.stateBytesPeak).toBeGreaterThanOrEqual(info.metrics.stateBytes);
  });

  it('a deduplication on $rowtime keeps each bidder\'s last bid', async () => {
    await sql.execute('CREATE TABLE last_bid (bidder BIGINT, auction BIGINT, price BIGINT, PRIMARY KEY (bidder) NOT ENFORCED)', {});
    const r = await sql.execute(
      'INSERT INTO last_bid SELECT bidder, auction, price FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY bidder ORDER BY $rowtime DESC) AS rn FROM bids) WHERE rn = 1',
      { 'sql.tables.scan.bounded': 'true' },
    );
    if (r.kind !== 'statement') throw new Error(r.kind);
    const info = await completed(sql, r.statement);
    const last = new Map(BIDS.map((b) => [b.bidder, b]));
    const actual = (await finalRows(env, 'last_bid')).sort((x, y) => Number(x.bidder) - Number(y.bidder));
    expect(actual).toEqual([...last.values()].sort((x, y) => x.bidder - y.bidder).map((b) => ({ bidder: b.bidder, auction: b.auction, price: b.price })));
    expect(Object.keys(info.metrics.operators).some((k) => k.includes('DeduplicateExec'))).toBe(true);
  });

  it("'sql.state-ttl' and Flink's 'table.exec.state.ttl' set the TTL; a bad duration is refused at SET", async () => {
    expect(stateTtlMs({})).toBeNull();
    expect(stateTtlMs({ 'sql.state-ttl': '1 h' })).toBe(3_600_000);
    expect(stateTtlMs({ 'table.exec.state.ttl': '90 s' })).toBe(90_000);
    expect(stateTtlMs({ 'sql.state-ttl': '0' })).toBeNull();
    await expect(sql.execute("SET 'sql.state-ttl' = 'soon'", {})).rejects.toThrow(/not a duration/);
    const ok = await sql.execute("SET 'table.exec.state.ttl' = '2 h'", {});
    expect(ok.kind === 'table' ? ok.properties : undefined).toEqual({ 'table.exec.state.ttl': '2 h' });
  });
});
