import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqlRuntime } from '../../src/runtime/index.ts';
import type { ChangeRow, ExecuteResult, StatementInfo } from '../../src/runtime/index.ts';
import type { QueryNode } from '../../src/sql/index.ts';

const queryOf = (r: ExecuteResult): QueryNode => {
  if (r.kind !== 'query') throw new Error(`expected a query, got ${r.kind}`);
  return r.query;
};
import { produceAvro, startEnv, type Env } from '../connectors/kafka/helpers.ts';
import { readAll, until } from './topic-rows.ts';

const bidSchema = {
  type: 'record', name: 'Bid', fields: [
    { name: 'auction', type: 'long' }, { name: 'bidder', type: 'long' }, { name: 'price', type: 'long' },
    { name: 'channel', type: ['null', 'string'], default: null },
    { name: 'dateTime', type: { type: 'long', logicalType: 'timestamp-millis' } },
  ],
};

function bids(from: number, n: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return { auction: 1000 + (i % 7), bidder: i, price: (i * 37) % 500, channel: i % 3 === 0 ? null : 'web', dateTime: 1_700_000_000_000 + i * 1000 };
  });
}

describe('statements end to end', () => {
  let env: Env;
  let sql: SqlRuntime;
  beforeEach(async () => {
    env = await startEnv();
    await env.topics.createTopic('bids', { partitions: 2 });
    await produceAvro(env, 'bids', bidSchema, bids(0, 100));
    sql = await SqlRuntime.open({ topics: env.topics, registry: env.registry });
  });
  afterEach(async () => {
    await sql.close();
    await env.stop();
  });

  it('INSERT INTO ... SELECT ... WHERE runs, reports progress, stops, and resumes after a restart without duplicating committed output', async () => {
    await sql.execute('CREATE TABLE expensive (auction BIGINT, bidder BIGINT, price BIGINT)', {});
    const r = await sql.execute('INSERT INTO expensive SELECT auction, bidder, price FROM bids WHERE price > 250', {});
    expect(r.kind).toBe('statement');
    const st = (r as { statement: StatementInfo }).statement;
    expect(st.status).toBe('PENDING');
    expect(st.name).toMatch(/^insert-into-expensive-/);
    const wanted = (upTo: number) => bids(0, upTo).filter((b) => (b.price as number) > 250).map((b) => b.bidder).sort((a, b) => (a as number) - (b as number));
    const firstWave = await until(() => readAll(env, 'expensive'), (rows) => rows.length >= wanted(100).length);
    expect(firstWave.map((x) => (x.value as { bidder: number }).bidder).sort((a, b) => a - b)).toEqual(wanted(100));
    // records are readable before the produce that wrote them is acknowledged: wait for both counts
    const running = await until(() => sql.statements.get(st.id)!, (s) => s.metrics.rowsIn === 100 && s.metrics.rowsOut === wanted(100).length);
    expect(running.status).toBe('RUNNING');
    expect(running.metrics.rowsOut).toBe(wanted(100).length);
    expect(running.metrics.lag).toBe(0);
    expect(running.metrics.offsets.bids).toEqual({ 0: '50', 1: '50' });
    expect(running.metrics.watermark).not.toBeNull();
    expect(sql.statements.list().map((s) => s.id)).toContain(st.id);

    // restart: the runtime stops (committing offsets), more input arrives, a new runtime resumes
    await sql.close();
    await produceAvro(env, 'bids', bidSchema, bids(100, 60));
    sql = await SqlRuntime.open({ topics: env.topics, registry: env.registry });
    const all = await until(() => readAll(env, 'expensive'), (rows) => rows.length >= wanted(160).length);
    await new Promise((r) => setTimeout(r, 300));
    const final = await readAll(env, 'expensive');
    expect(final.map((x) => (x.value as { bidder: number }).bidder).sort((a, b) => a - b)).toEqual(wanted(160));
    expect(all.length).toBe(final.length);

    const stopped = await sql.statements.stop(st.id);
    expect(stopped?.status).toBe('STOPPED');
    expect(stopped?.metrics.offsets.bids).toEqual({ 0: '80', 1: '80' });
    const shown = await sql.execute('SHOW STATEMENTS', {});
    expect(shown.kind === 'table' && shown.rows.map((row) => row[1])).toEqual(['STOPPED']);
    expect(shown.kind === 'table' && shown.columns).toEqual(['Name', 'Status', 'Statement', 'Id', 'Offsets', 'Lag', 'Watermark', 'Late Records']);
    expect(shown.kind === 'table' && shown.rows[0].slice(4)).toEqual(['bids: 0@80 1@80', 0, expect.any(String), 0]);
  });

  it('a tumbling window count per auction writes final results once the watermark passes', async () => {
    await sql.execute("ALTER TABLE bids MODIFY WATERMARK FOR `dateTime` AS `dateTime` - INTERVAL '1' SECOND", {});
    await sql.execute('CREATE TABLE counts (auction BIGINT, window_start TIMESTAMP(3), window_end TIMESTAMP(3), n BIGINT)', {});
    await sql.execute(`INSERT INTO counts SELECT auction, window_start, window_end, COUNT(*) AS n
      FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(\`dateTime\`), INTERVAL '10' SECOND))
      GROUP BY auction, window_start, window_end`, { 'sql.tables.scan.idle-timeout': '0' });
    // 100 bids, one per second: windows of 10 s; the last window [90 s, 100 s) closes only when the watermark passes 100 s
    const rows = await until(() => readAll(env, 'counts'), (r) => r.length >= 63);
    const total = rows.reduce((n, r) => n + (r.value as { n: number }).n, 0);
    expect(total).toBe(90); // windows up to 90 s closed
    const w0 = rows.filter((r) => (r.value as { window_start: number }).window_start === 1_700_000_000_000);
    expect(w0.map((r) => (r.value as { auction: number; n: number })).sort((a, b) => a.auction - b.auction)).toEqual(
      [0, 1, 2, 3, 4, 5, 6].map((k) => ({ auction: 1000 + k, window_start: 1_700_000_000_000, window_end: 1_700_000_010_000, n: [2, 2, 2, 1, 1, 1, 1][k] })),
    );
  });

  it('a statement that fails goes FAILED with its error and the runtime keeps serving', async () => {
    await sql.execute('CREATE TABLE narrow (x BIGINT)', {});
    await env.topics.produce('bids', [{ key: null, value: Buffer.from('garbage') }]);
    const r = await sql.execute('INSERT INTO narrow SELECT price FROM bids', {});
    const id = (r as { statement: StatementInfo }).statement.id;
    const failed = await until(() => sql.statements.get(id)!, (s) => s.status === 'FAILED');
    expect(failed.error).toMatch(/bids\/\d@\d+.*magic byte/);
    expect((await sql.execute('SHOW TABLES', {})).kind).toBe('table');
    // so is a checkpoint interval the broker's transaction timeout would cut short
    await expect(sql.execute('INSERT INTO narrow SELECT price FROM bids', { 'execution.checkpointing.interval': '1 h' })).rejects.toThrow(/less than '15 min'/);
    // a statement the planner rejects is answered at once, not stored
    await expect(sql.execute('INSERT INTO narrow SELECT price, bidder FROM bids', {})).rejects.toThrow(/line 1, column \d+/);
    expect(sql.statements.list()).toHaveLength(1);
  });

  it('CREATE TABLE AS SELECT creates the table from the query and starts the statement', async () => {
    const r = await sql.execute('CREATE TABLE web_bids AS SELECT auction, price FROM bids WHERE channel IS NOT NULL', {});
    expect(r).toMatchObject({ kind: 'statement', message: "Table 'web_bids' created." });
    const rows = await until(() => readAll(env, 'web_bids'), (x) => x.length >= 66);
    expect(rows).toHaveLength(66);
    const desc = await sql.execute('DESCRIBE web_bids', {});
    expect(desc.kind === 'table' && desc.rows.map((x) => x.slice(0, 3))).toEqual([['auction', 'BIGINT', 'NOT NULL'], ['price', 'BIGINT', 'NOT NULL']]);
  });

  it('LIMIT is planned as a streaming limit: an INSERT writes n rows; ORDER BY … LIMIT n is a Top-N that retracts', async () => {
    await sql.execute('CREATE TABLE first3 (bidder BIGINT, price BIGINT)', {});
    const r = await sql.execute('INSERT INTO first3 SELECT bidder, price FROM bids WHERE price > 250 LIMIT 3', {});
    if (r.kind !== 'statement') throw new Error('expected a statement');
    // every bid read, three written (the statement keeps running, as Flink's streaming LIMIT does)
    const read = await until(() => sql.statements.get(r.statement.id), (s) => s?.metrics.rowsIn === 100 && s.metrics.rowsOut >= 3);
    expect(read?.metrics.rowsOut).toBe(3);
    expect(await until(() => readAll(env, 'first3'), (rows) => rows.length >= 3)).toHaveLength(3); // once a checkpoint commits them
    await sql.statements.stop(r.statement.id);
    const top = await sql.execute('SELECT bidder, price FROM bids ORDER BY price DESC LIMIT 3', {});
    const changes: ChangeRow[] = [];
    const abort = new AbortController();
    const run = await sql.runQuery(queryOf(top), {}, (rows) => {
      changes.push(...rows);
      const live = new Map<number, number>();
      for (const c of changes) if (c.op === '+I' || c.op === '+U') live.set(c.row.bidder as number, c.row.price as number); else live.delete(c.row.bidder as number);
      if ([...live.values()].sort((a, b) => b - a).join() === '499,498,497') abort.abort();
    }, abort.signal);
    await run.done;
    expect(changes.some((c) => c.op === '-D' || c.op === '-U')).toBe(true); // earlier leaders were retracted
    const plan = await sql.execute('EXPLAIN SELECT bidder FROM bids LIMIT 5', {});
    expect(JSON.stringify(plan)).toMatch(/Rank/);
    await expect(sql.execute('EXPLAIN SELECT bidder FROM bids ORDER BY price', {})).rejects.toThrow(/ORDER BY on a stream without LIMIT/);
  });

  it('a SELECT streams its changelog until the LIMIT; an aggregate streams updates', async () => {
    const r = await sql.execute('SELECT bidder, price FROM bids WHERE price < 100 LIMIT 5', {});
    expect(r.kind).toBe('query');
    const got: ChangeRow[] = [];
    const run = await sql.runQuery(queryOf(r), {}, (rows) => { got.push(...rows); }, new AbortController().signal);
    expect(run.columns.map((c) => c.name)).toEqual(['bidder', 'price']);
    await run.done;
    expect(got).toHaveLength(5);
    expect(got.every((x) => x.op === '+I' && (x.row.price as number) < 100)).toBe(true);

    const agg = await sql.execute('SELECT auction, COUNT(*) AS n FROM bids GROUP BY auction', {});
    const changes: ChangeRow[] = [];
    const abort = new AbortController();
    const run2 = await sql.runQuery(queryOf(agg), {}, (rows) => { changes.push(...rows); }, abort.signal);
    await until(() => changes.filter((c) => c.op === '+I' || c.op === '+U').length, (n) => n >= 100);
    abort.abort();
    await run2.done;
    expect(changes.some((c) => c.op === '-U')).toBe(true);
    const last = new Map<number, number>();
    for (const c of changes) if (c.op !== '-U' && c.op !== '-D') last.set(c.row.auction as number, c.row.n as number);
    expect([...last.values()].reduce((a, b) => a + b, 0)).toBe(100);
  });

  it("'table.exec.mini-batch.enabled' = 'true' folds batches into one change per key (same final rows, fewer changes)", async () => {
    const q = 'SELECT auction, COUNT(*) AS n FROM bids GROUP BY auction';
    const props = { 'table.exec.mini-batch.enabled': 'true', 'table.exec.mini-batch.allow-latency': '50 ms', 'table.exec.mini-batch.size': '1000' };
    // As Flink: enabling mini-batch without a positive allow-latency and size is refused, saying what to set.
    await expect(sql.execute(`EXPLAIN ${q}`, { 'table.exec.mini-batch.enabled': 'true' })).rejects.toThrow(/SET 'table.exec.mini-batch.allow-latency' = '2 s'/);
    await expect(sql.execute(`EXPLAIN ${q}`, { 'table.exec.mini-batch.enabled': 'true', 'table.exec.mini-batch.allow-latency': '2s' })).rejects.toThrow(/SET 'table.exec.mini-batch.size' = '50000'/);
    await expect(sql.execute(`EXPLAIN ${q}`, { ...props, 'table.exec.mini-batch.size': 'lots' })).rejects.toThrow(/whole number of rows/);
    const plan = await sql.execute(`EXPLAIN ${q}`, props);
    expect(plan.kind === 'table' && String(plan.rows[0][0])).toMatch(/emit=per-batch/);
    const perRow = await sql.execute(`EXPLAIN ${q}`, {});
    expect(perRow.kind === 'table' && String(perRow.rows[0][0])).toMatch(/emit=per-row/);
    await expect(sql.execute(q, { 'table.exec.mini-batch.enabled': 'yes' }).then((r) => sql.runQuery(queryOf(r), { 'table.exec.mini-batch.enabled': 'yes' }, () => undefined, new AbortController().signal)))
      .rejects.toThrow(/use 'true' or 'false'/);
    const changes: ChangeRow[] = [];
    const abort = new AbortController();
    const run = await sql.runQuery(queryOf(await sql.execute(q, props)), props, (rows) => { changes.push(...rows); }, abort.signal);
    const last = new Map<number, number>();
    let updates = 0;
    await until(() => {
      for (const c of changes.splice(0)) {
        if (c.op === '+I' || c.op === '+U') last.set(c.row.auction as number, c.row.n as number);
        if (c.op === '-U') updates++;
      }
      return [...last.values()].reduce((a, b) => a + b, 0);
    }, (n) => n === 100);
    abort.abort();
    await run.done;
    expect([...last.keys()].sort()).toEqual([1000, 1001, 1002, 1003, 1004, 1005, 1006]);
    expect(updates).toBeLessThan(100 - 7); // per row: every bid after a key's first is a -U/+U pair
  });
});
