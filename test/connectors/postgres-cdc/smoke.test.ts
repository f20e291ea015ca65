import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../helpers/postgres.ts';
import { cdcConfig, envelopeOf, startTask } from './task-harness.ts';

let pg: TestPostgres;
beforeAll(async () => {
  pg = await startTestPostgres();
  const c = await pg.connect();
  await c.query('CREATE TABLE t (id int primary key, name text)');
  await c.query("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
  await c.end();
});
afterAll(async () => pg?.stop());

describe('smoke', () => {
  it('snapshots and streams', async () => {
    const run = await startTask(cdcConfig(pg));
    await run.drainUntil((r) => r.length >= 2);
    const c = await pg.connect();
    await c.query("INSERT INTO t VALUES (3, 'c')");
    await c.query("UPDATE t SET name = 'bb' WHERE id = 2");
    await c.query('DELETE FROM t WHERE id = 1');
    await c.end();
    const recs = await run.drainUntil((r) => r.length >= 6);
    for (const r of recs) console.log(r.topic, JSON.stringify(r.key), JSON.stringify(r.value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)), JSON.stringify(r.sourceOffset));
    expect(envelopeOf(recs[0]).op).toBe('r');
    await run.stop();
  });
});
