import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres.ts';

describe('test PostgreSQL helper', () => {
  let pg: TestPostgres;
  beforeAll(async () => {
    pg = await startTestPostgres();
  });
  afterAll(async () => {
    await pg?.stop();
  });

  it('runs a server with logical decoding enabled', async () => {
    const c = await pg.connect();
    try {
      const r = await c.query<{ wal_level: string }>('SHOW wal_level');
      expect(r.rows[0].wal_level).toBe('logical');
      const s = await c.query<{ max_replication_slots: string }>('SHOW max_replication_slots');
      expect(Number(s.rows[0].max_replication_slots)).toBeGreaterThanOrEqual(10);
      await c.query("SELECT pg_create_logical_replication_slot('helper_slot', 'pgoutput')");
      await c.query("SELECT pg_drop_replication_slot('helper_slot')");
    } finally {
      await c.end();
    }
    const url = await pg.createDatabase('other_db');
    expect(url).toContain('/other_db');
  });
});
