/**
 * Watermarks of a multi-partition topic come from the source, per partition, combined by minimum:
 * a partition that is far ahead in event time must not make another partition's rows late.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqlRuntime } from '../../src/runtime/index.ts';
import type { ChangeRow, ExecuteResult, StatementInfo } from '../../src/runtime/index.ts';
import type { QueryNode } from '../../src/sql/index.ts';
import { produceAvro, startEnv, type Env } from '../connectors/kafka/helpers.ts';

const clickSchema = {
  type: 'record', name: 'Click', fields: [{ name: 'user', type: 'long' }, { name: 't_ms', type: 'long' }],
};
const T0 = 1_700_000_000_000;

const queryOf = (r: ExecuteResult): QueryNode => {
  if (r.kind !== 'query') throw new Error(`expected a query, got ${r.kind}`);
  return r.query;
};

async function select(sql: SqlRuntime, text: string, props: Record<string, string>, until?: (rows: ChangeRow[]) => boolean): Promise<ChangeRow[]> {
  const rows: ChangeRow[] = [];
  const abort = new AbortController();
  const run = await sql.runQuery(queryOf(await sql.execute(text, props)), props, (r) => {
    rows.push(...r);
    if (until?.(rows) === true) abort.abort();
  }, abort.signal);
  await run.done;
  return rows;
}

describe('per-partition watermarks of a topic source', () => {
  let env: Env;
  let sql: SqlRuntime;
  beforeEach(async () => {
    env = await startEnv();
    await env.topics.createTopic('clicks', { partitions: 2 });
    sql = await SqlRuntime.open({ topics: env.topics, registry: env.registry });
  });
  afterEach(async () => {
    await sql.close();
    await env.stop();
  });

  /**
   * Partition 0 holds 10 000 clicks over 100 minutes, partition 1 ten clicks in the first minute.
   * The source's first poll reads partition 0 alone (more rows than a batch holds), so a watermark
   * taken over the merged stream would be at minute 100 before partition 1's rows arrive.
   */
  async function outOfStep(): Promise<void> {
    const ahead = Array.from({ length: 10_000 }, (_, i) => ({ user: 1, t_ms: T0 + i * 600 }));
    const behind = Array.from({ length: 10 }, (_, i) => ({ user: 2, t_ms: T0 + i * 1000 }));
    await produceAvro(env, 'clicks', clickSchema, ahead, { partitions: ahead.map(() => 0), timestamps: ahead.map((v) => v.t_ms) });
    await produceAvro(env, 'clicks', clickSchema, behind, { partitions: behind.map(() => 1), timestamps: behind.map((v) => v.t_ms) });
  }

  const perMinute = `SELECT window_start, \`user\`, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(%TIME%), INTERVAL '1' MINUTE))
    GROUP BY window_start, window_end, \`user\``;
  /** Counts per user in the first minute (T0 is 22:13:20: 40 s of clicks of each partition). */
  const firstMinute = (rows: ChangeRow[]): Record<string, unknown> => {
    const first = Math.min(...rows.map((r) => Date.parse(String(r.row.window_start))));
    return Object.fromEntries(rows.filter((r) => Date.parse(String(r.row.window_start)) === first).map((r) => [String(r.row.user), r.row.n]));
  };

  it('does not mark the rows of a partition that is behind as late ($rowtime, SOURCE_WATERMARK)', async () => {
    await outOfStep();
    const rows = await select(sql, perMinute.replace('%TIME%', '$rowtime'), { 'sql.tables.scan.bounded': 'true' });
    expect(firstMinute(rows)).toEqual({ 1: 67, 2: 10 });
    expect(rows).toHaveLength(101 + 1);
  });

  it('evaluates the WATERMARK expression of a computed column per partition', async () => {
    await outOfStep();
    await sql.execute("ALTER TABLE clicks ADD (ts AS TO_TIMESTAMP_LTZ(t_ms, 3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)", {});
    const rows = await select(sql, perMinute.replace('%TIME%', 'ts'), { 'sql.tables.scan.bounded': 'true' });
    expect(firstMinute(rows)).toEqual({ 1: 67, 2: 10 });
  });

  it('a PROCTIME() window fires on the processing-time timer, without a later row', async () => {
    await produceAvro(env, 'clicks', clickSchema, [{ user: 1, t_ms: T0 }, { user: 2, t_ms: T0 }], { partitions: [0, 1] });
    await sql.execute('ALTER TABLE clicks ADD (pt AS PROCTIME())', {});
    const rows = await select(sql, "SELECT COUNT(*) AS n FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(pt), INTERVAL '1' SECOND)) GROUP BY window_start, window_end", {},
      (r) => r.reduce((n, x) => n + Number(x.row.n), 0) >= 2);
    expect(rows.reduce((n, x) => n + Number(x.row.n), 0)).toBe(2);
  });

  it('a partition without new records holds the watermark back until the idle timeout releases it', async () => {
    // partition 0 moves to minute 3; partition 1 stops after its first click
    const p0 = Array.from({ length: 4 }, (_, i) => ({ user: 1, t_ms: T0 + i * 60_000 }));
    await produceAvro(env, 'clicks', clickSchema, p0, { partitions: p0.map(() => 0), timestamps: p0.map((v) => v.t_ms) });
    await produceAvro(env, 'clicks', clickSchema, [{ user: 2, t_ms: T0 }], { partitions: [1], timestamps: [T0] });
    const text = `SELECT window_start, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR($rowtime), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end`;
    const statement = async (idle: string): Promise<StatementInfo> => {
      await sql.execute(`CREATE TABLE counts_${idle.replace(/\W/g, '')} (window_start TIMESTAMP_LTZ(3), n BIGINT)`, {});
      const r = await sql.execute(`INSERT INTO counts_${idle.replace(/\W/g, '')} ${text}`, { 'sql.tables.scan.idle-timeout': idle });
      if (r.kind !== 'statement') throw new Error('expected a statement');
      return r.statement;
    };
    // idleness off: partition 1 holds the watermark at T0 - 180 ms
    const held = await statement('0');
    const released = await statement('200 ms');
    const metricsOf = async (s: StatementInfo) => (await sql.statements.get(s.id))?.metrics;
    const waitFor = async (s: StatementInfo, ok: (m: StatementInfo['metrics']) => boolean) => {
      for (let i = 0; i < 400 && !ok((await metricsOf(s))!); i++) await new Promise((r) => setTimeout(r, 50));
      return (await metricsOf(s))!;
    };
    await waitFor(held, (m) => m.rowsIn === 5);
    await waitFor(released, (m) => m.rowsIn === 5);
    // Both partitions have gone quiet: with every partition idle the watermark stays where it was.
    await new Promise((r) => setTimeout(r, 400));
    expect((await metricsOf(released))?.watermark).toBe(new Date(T0 - 180).toISOString());
    // Partition 0 moves on; partition 1 stays idle and no longer holds the watermark back.
    await produceAvro(env, 'clicks', clickSchema, [{ user: 1, t_ms: T0 + 210_000 }], { partitions: [0], timestamps: [T0 + 210_000] });
    const rel = await waitFor(released, (m) => m.rowsOut >= 3);
    expect(rel.rowsOut).toBe(3); // windows of minutes 0, 1 and 2 (minute 3 ends after the watermark)
    expect(rel.watermark).toBe(new Date(T0 + 210_000 - 180).toISOString());
    const h = await waitFor(held, (m) => m.rowsIn === 6);
    expect(h.rowsOut).toBe(0);
    expect(h.watermark).toBe(new Date(T0 - 180).toISOString());
  });
});

describe('CURRENT_WATERMARK', () => {
  let env: Env;
  let sql: SqlRuntime;
  beforeEach(async () => {
    env = await startEnv();
    await env.topics.createTopic('events', { partitions: 1 });
    sql = await SqlRuntime.open({ topics: env.topics, registry: env.registry });
  });
  afterEach(async () => {
    await sql.close();
    await env.stop();
  });

  it('is NULL before the first watermark, then the watermark the operator has seen; it filters late rows', async () => {
    const produce = (rows: { user: number; t_ms: number }[]) => produceAvro(env, 'events', clickSchema, rows, { timestamps: rows.map((v) => v.t_ms) });
    await produce([{ user: 1, t_ms: T0 + 10_000 }]);
    // the next rows arrive after the first batch and its watermark (T0 + 10 s - 180 ms) went through
    const later = [{ user: 2, t_ms: T0 }, { user: 3, t_ms: T0 + 20_000 }];
    const run = (text: string, wanted: number) => select(sql, text, {}, (rows) => {
      if (rows.length === 1) void produce(later);
      return rows.length >= wanted;
    });
    const rows = await run('SELECT `user`, CURRENT_WATERMARK($rowtime) AS wm, CURRENT_WATERMARK($rowtime) IS NULL OR $rowtime > CURRENT_WATERMARK($rowtime) AS on_time FROM events', 3);
    const wm = new Date(T0 + 10_000 - 180).toISOString();
    expect(rows.map((r) => [r.row.user, r.row.wm === null ? null : new Date(`${String(r.row.wm).replace(' ', 'T')}Z`).toISOString(), r.row.on_time]))
      .toEqual([[1, null, true], [2, wm, false], [3, wm, true]]);
    await expect(sql.execute('EXPLAIN SELECT CURRENT_WATERMARK(t_ms) FROM events', {})).rejects.toThrow(/rowtime attribute/);
  });

  it('a row behind the watermark is dropped by the window and counted in the statement metrics and SHOW STATEMENTS', async () => {
    const produce = (rows: { user: number; t_ms: number }[]) => produceAvro(env, 'events', clickSchema, rows, { timestamps: rows.map((v) => v.t_ms) });
    await produce([{ user: 1, t_ms: T0 + 600_000 }]);
    await sql.execute('CREATE TABLE per_minute (window_start TIMESTAMP(3), n BIGINT)', {});
    const r = await sql.execute("INSERT INTO per_minute SELECT window_start, COUNT(*) FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR($rowtime), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end", {});
    if (r.kind !== 'statement') throw new Error('expected a statement');
    const metrics = async () => (await sql.statements.get(r.statement.id))!.metrics;
    for (let i = 0; i < 400 && (await metrics()).watermark === null; i++) await new Promise((res) => setTimeout(res, 50));
    await produce([{ user: 2, t_ms: T0 }]); // ten minutes behind the watermark
    for (let i = 0; i < 400 && (await metrics()).lateRecordsDropped === 0; i++) await new Promise((res) => setTimeout(res, 50));
    expect((await metrics()).lateRecordsDropped).toBe(1);
    const shown = await sql.execute('SHOW STATEMENTS', {});
    expect(shown.kind === 'table' && shown.rows[0][7]).toBe(1);
    await sql.statements.stop(r.statement.id);
  });
});
