/**
 * Restarts from stored offsets (no doubles, no gaps, even inside a transaction), the slot's
 * confirmed position (advanced only for durable records), heartbeats on an idle table, and
 * ALTER TABLE producing a new Value schema.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import type { SourceRecord, Struct } from '../../../src/connectors/api.ts';
import { startTestPostgres, type TestPostgres } from '../../helpers/postgres.ts';
import { cdcConfig, envelopeOf, startTask } from './task-harness.ts';

let server: TestPostgres;
let sql: pg.Client;

beforeAll(async () => {
  server = await startTestPostgres();
  sql = await server.connect();
});
afterAll(async () => {
  await sql?.end();
  await server?.stop();
});

async function confirmedFlush(slot: string): Promise<bigint> {
  const r = await sql.query<{ l: string | null }>("SELECT (confirmed_flush_lsn - '0/0')::text AS l FROM pg_replication_slots WHERE slot_name = $1", [slot]);
  return BigInt(r.rows[0]?.l ?? '0');
}

async function currentLsn(): Promise<bigint> {
  const r = await sql.query<{ l: string }>("SELECT (pg_current_wal_lsn() - '0/0')::text AS l");
  return BigInt(r.rows[0].l);
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('restart, slot position, heartbeats, schema changes', () => {
  it('resumes inside a transaction without doubles or gaps; confirms the slot only for durable transactions', async () => {
    await sql.query('CREATE TABLE r1 (id int PRIMARY KEY, v int)');
    const config = cdcConfig(server, { 'topic.prefix': 'r1', 'slot.name': 'r1', 'publication.name': 'r1_pub', 'publication.autocreate.mode': 'filtered', 'table.include.list': 'public.r1' });
    const a = await startTask(config);
    const before = await confirmedFlush('r1');
    await sql.query('BEGIN');
    for (let i = 1; i <= 5; i++) await sql.query('INSERT INTO r1 VALUES ($1, $1)', [i]);
    await sql.query('COMMIT');
    const txEnd = await currentLsn();
    await a.takeExactly(3);
    // Three of five events durable: the transaction is not, and the slot stays where it was.
    await new Promise((r) => setTimeout(r, 300));
    expect(await confirmedFlush('r1')).toBe(before);
    const stored = a.lastOffset();
    expect(stored).toMatchObject({ lsn_events_processed: 3 });
    await a.stop();

    const b = await startTask(config, stored);
    try {
      await sql.query('INSERT INTO r1 VALUES (6, 6)');
      const recs = await b.drainUntil((r) => r.length >= 3);
      expect(recs.map((r) => (envelopeOf(r).after as Struct).id)).toEqual([4, 5, 6]);
      await waitFor(async () => (await confirmedFlush('r1')) >= txEnd);
    } finally {
      await b.stop();
    }
  });

  it('after a finished snapshot, a restart streams on and does not snapshot again', async () => {
    await sql.query('CREATE TABLE r2 (id int PRIMARY KEY)');
    await sql.query('INSERT INTO r2 SELECT generate_series(1, 10)');
    const config = cdcConfig(server, { 'topic.prefix': 'r2', 'slot.name': 'r2', 'table.include.list': 'public.r2', 'snapshot.fetch.size': '3' });
    const a = await startTask(config);
    const snap = await a.drainUntil((r) => r.length >= 10);
    expect(snap.map((r) => (envelopeOf(r).source as Struct).snapshot)).toEqual(['first', 'true', 'true', 'true', 'true', 'true', 'true', 'true', 'true', 'last']);
    await a.stop();
    await sql.query('INSERT INTO r2 VALUES (11)');
    const b = await startTask(config, a.lastOffset());
    try {
      const recs = await b.drainUntil((r) => r.length >= 1);
      expect(recs.map((r) => envelopeOf(r).op)).toEqual(['c']);
    } finally {
      await b.stop();
    }
  });

  it('a snapshot cut short is taken again from a new slot', async () => {
    await sql.query('CREATE TABLE r3 (id int PRIMARY KEY)');
    await sql.query('INSERT INTO r3 SELECT generate_series(1, 10)');
    const config = cdcConfig(server, { 'topic.prefix': 'r3', 'slot.name': 'r3', 'table.include.list': 'public.r3', 'snapshot.fetch.size': '4' });
    const a = await startTask(config);
    await a.takeExactly(4);
    await a.stop();
    const b = await startTask(config, a.lastOffset());
    try {
      const recs = await b.drainUntil((r) => r.length >= 10);
      expect(recs.map((r) => (envelopeOf(r).after as Struct).id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    } finally {
      await b.stop();
    }
  });

  it('heartbeats advance the slot while the captured table is idle and others write WAL', async () => {
    await sql.query('CREATE TABLE hb_captured (id int PRIMARY KEY)');
    await sql.query('CREATE TABLE hb_other (id serial PRIMARY KEY, pad text)');
    const config = cdcConfig(server, {
      'topic.prefix': 'hb',
      'slot.name': 'hb',
      'publication.name': 'hb_pub',
      'publication.autocreate.mode': 'filtered',
      'table.include.list': 'public.hb_captured',
      'heartbeat.interval.ms': '200',
    });
    const run = await startTask(config);
    try {
      await run.drainUntil(() => true);
      const start = await confirmedFlush('hb');
      for (let i = 0; i < 20; i++) await sql.query("INSERT INTO hb_other (pad) SELECT repeat('x', 1000) FROM generate_series(1, 100)");
      const written = await currentLsn();
      // Keep polling (as the worker does); each heartbeat that becomes durable moves the slot.
      const heartbeats: SourceRecord[] = [];
      const deadline = Date.now() + 30_000;
      while ((await confirmedFlush('hb')) < written) {
        if (Date.now() > deadline) throw new Error(`slot at ${await confirmedFlush('hb')} (start ${start}), WAL at ${written}`);
        heartbeats.push(...(await run.drainUntil((r) => r.length > 0, 2_000).catch(() => run.records)));
        run.records.length = 0;
      }
      expect(heartbeats.length).toBeGreaterThan(0);
      expect(new Set(heartbeats.map((r) => r.topic))).toEqual(new Set(['__debezium-heartbeat.hb']));
      expect(heartbeats[0]).toMatchObject({ key: { serverName: 'hb' }, keySchema: { name: 'io.debezium.connector.common.ServerNameKey' } });
    } finally {
      await run.stop();
    }
  });

  it('ALTER TABLE ADD COLUMN brings a new Value schema with the column optional', async () => {
    await sql.query('CREATE TABLE alt (id int PRIMARY KEY, a text)');
    const config = cdcConfig(server, { 'topic.prefix': 'alt', 'slot.name': 'alt', 'table.include.list': 'public.alt', 'snapshot.mode': 'never' });
    const run = await startTask(config);
    try {
      await sql.query("INSERT INTO alt VALUES (1, 'x')");
      await sql.query('ALTER TABLE alt ADD COLUMN b int');
      await sql.query("INSERT INTO alt VALUES (2, 'y', 5)");
      await sql.query('ALTER TABLE alt DROP COLUMN a');
      await sql.query('INSERT INTO alt VALUES (3, 6)');
      const [r1, r2, r3] = await run.drainUntil((r) => r.length >= 3);
      const cols = (s: typeof r1.valueSchema) => s!.fields![1].schema.fields!.map((f) => `${f.name}${f.schema.optional ? '?' : ''}`);
      expect(cols(r1.valueSchema)).toEqual(['id', 'a?']);
      expect(cols(r2.valueSchema)).toEqual(['id', 'a?', 'b?']);
      expect(cols(r3.valueSchema)).toEqual(['id', 'b?']);
      expect(envelopeOf(r2).after).toEqual({ id: 2, a: 'y', b: 5 });
      expect(envelopeOf(r3).after).toEqual({ id: 3, b: 6 });
    } finally {
      await run.stop();
    }
  });
});
