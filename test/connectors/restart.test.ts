import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rest, startTestPlatform, waitFor, type TestPlatform } from './platform.ts';
import { duckRows } from './sink-helpers.ts';

const total = 20_000;

describe('restarts', () => {
  let p: TestPlatform;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'runnel-restart-'));
    p = await startTestPlatform(join(dir, 'data'));
  });
  afterAll(async () => {
    await p?.stop();
    await rm(dir, { recursive: true, force: true });
  });
  const count = async (db: string) => Number((await duckRows(db, 'SELECT count(*) AS n, count(DISTINCT orderid) AS d FROM orders'))[0]?.n ?? 0);

  it('connectors come back after a platform restart where they left off; the DuckDB target has every record exactly once', async () => {
    const db = join(dir, 'target.duckdb');
    await rest(p.connectUrl, 'POST', '/connectors', {
      name: 'gen',
      config: { 'connector.class': 'DatagenSource', 'kafka.topic': 'orders', quickstart: 'orders', 'max.interval': '0', iterations: String(total), 'datagen.batch.size': '200', 'topic.creation.default.partitions': '3' },
    });
    // Insert mode with no key: a record written twice would be a second row.
    await rest(p.connectUrl, 'POST', '/connectors', {
      name: 'duck',
      config: { 'connector.class': 'DuckDBSink', topics: 'orders', 'duckdb.path': db, 'insert.mode': 'insert', 'pk.mode': 'none', 'delete.enabled': 'false', 'auto.create': 'true', 'table.name.format': 'orders', 'batch.size': '500' },
    });
    await rest(p.connectUrl, 'PUT', '/connectors/gen/pause');
    await rest(p.connectUrl, 'POST', '/connectors', { name: 'stopped-one', config: { 'connector.class': 'DatagenSource', 'kafka.topic': 'other' }, initial_state: 'STOPPED' });
    await rest(p.connectUrl, 'PUT', '/connectors/gen/resume');
    await waitFor(async () => (await count(db)) > 0, 20_000, 'some rows');
    const before = await count(db);
    expect(before).toBeLessThan(total);

    await p.restart();

    const statuses = (await rest(p.connectUrl, 'GET', '/connectors?expand=status')).body as Record<string, { status: { connector: { state: string } } }>;
    expect(Object.keys(statuses).sort()).toEqual(['duck', 'gen', 'stopped-one']);
    expect(statuses['stopped-one'].status.connector.state).toBe('STOPPED');
    await waitFor(async () => (await count(db)) === total, 60_000, `${total} rows`);
    const [c] = await duckRows(db, 'SELECT count(*) AS n, count(DISTINCT orderid) AS d, min(orderid) AS lo, max(orderid) AS hi FROM orders');
    expect(c).toEqual({ n: String(total), d: String(total), lo: 0, hi: total - 1 });
    // The source resumed from its committed iteration: the topic holds each record once.
    const offsets = (await rest(p.connectUrl, 'GET', '/connectors/gen/offsets')).body as { offsets: { offset: { iteration: number } }[] };
    expect(offsets.offsets[0].offset.iteration).toBe(total - 1);
  });

  it('a sink resumes from the offsets stored in the target even when the worker lost its own', async () => {
    const db = join(dir, 'target.duckdb');
    await rest(p.connectUrl, 'PUT', '/connectors/duck/stop');
    // The worker's offsets go, as if it crashed after the DuckDB commit and before its own.
    expect((await rest(p.connectUrl, 'DELETE', '/connectors/duck/offsets')).status).toBe(200);
    expect((await rest(p.connectUrl, 'GET', '/connectors/duck/offsets')).body).toEqual({ offsets: [] });
    await rest(p.connectUrl, 'PUT', '/connectors/duck/resume');
    await waitFor(async () => ((await rest(p.connectUrl, 'GET', '/connectors/duck/offsets')).body as { offsets: unknown[] }).offsets.length === 3, 20_000, 'offsets committed again');
    await new Promise((r) => setTimeout(r, 500));
    expect(await count(db)).toBe(total);
  });
});
