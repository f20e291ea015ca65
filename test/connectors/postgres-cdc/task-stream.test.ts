/**
 * The task against a real PostgreSQL 15: Debezium's envelope for snapshot reads and streamed
 * inserts, updates, deletes and truncates; tombstones; REPLICA IDENTITY FULL; ALTER TABLE;
 * restart from stored offsets without doubles; the slot confirmed only after durability;
 * heartbeats on an idle table.
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

const ops = (rs: SourceRecord[]) => rs.map((r) => (r.value === null ? 'tombstone' : (envelopeOf(r).op as string)));

describe('PostgresCdcTask', () => {
  it('emits Debezium envelopes for snapshot, insert, update, delete (+ tombstone) and truncate', async () => {
    await sql.query('CREATE TABLE s1_items (id int PRIMARY KEY, name text NOT NULL, qty int)');
    await sql.query("INSERT INTO s1_items VALUES (1, 'one', 10)");
    const run = await startTask(cdcConfig(server, { 'topic.prefix': 's1', 'slot.name': 's1', 'publication.name': 's1_pub', 'publication.autocreate.mode': 'filtered', 'table.include.list': 'public.s1_items' }));
    await run.drainUntil((r) => r.length >= 1);
    await sql.query("INSERT INTO s1_items VALUES (2, 'two', NULL)");
    await sql.query("UPDATE s1_items SET qty = 11 WHERE id = 1");
    await sql.query('DELETE FROM s1_items WHERE id = 2');
    await sql.query('TRUNCATE s1_items');
    const recs = await run.drainUntil((r) => r.length >= 6);
    expect(ops(recs)).toEqual(['r', 'c', 'u', 'd', 'tombstone', 't']);
    expect(recs.every((r) => r.topic === 's1.public.s1_items')).toBe(true);

    const read = envelopeOf(recs[0]);
    expect(read).toMatchObject({ before: null, after: { id: 1, name: 'one', qty: 10 }, op: 'r', transaction: null });
    expect(read.source).toMatchObject({ connector: 'postgresql', name: 's1', db: 'postgres', schema: 'public', table: 's1_items', snapshot: 'last', xmin: null });
    expect(recs[0].key).toEqual({ id: 1 });
    expect(recs[0].sourceOffset).toMatchObject({ snapshot: 'INITIAL', last_snapshot_record: true });

    const created = envelopeOf(recs[1]);
    expect(created).toMatchObject({ before: null, after: { id: 2, name: 'two', qty: null }, op: 'c' });
    const src = created.source as Struct;
    expect(src.snapshot).toBe('false');
    expect(typeof src.txId).toBe('number');
    expect(typeof src.lsn).toBe('number');
    expect(Math.abs(Number(src.ts_ms) - Date.now())).toBeLessThan(60_000);
    expect(JSON.parse(src.sequence as string)).toHaveLength(2);

    expect(envelopeOf(recs[2])).toMatchObject({ before: null, after: { id: 1, name: 'one', qty: 11 }, op: 'u' });
    // REPLICA IDENTITY DEFAULT: the delete carries the key; required columns get zero values, nullable ones null.
    expect(envelopeOf(recs[3])).toMatchObject({ before: { id: 2, name: '', qty: null }, after: null, op: 'd' });
    expect(recs[4]).toMatchObject({ key: { id: 2 }, value: null, valueSchema: null });
    expect(recs[5]).toMatchObject({ key: null, keySchema: null });
    expect(envelopeOf(recs[5])).toMatchObject({ before: null, after: null, op: 't' });

    const env = recs[1].valueSchema!;
    expect(env.name).toBe('s1.public.s1_items.Envelope');
    expect(env.version).toBe(2);
    expect(env.fields!.map((f) => f.name)).toEqual(['before', 'after', 'source', 'transaction', 'op', 'ts_ms', 'ts_us', 'ts_ns']);
    expect(env.fields![0].schema).toMatchObject({ name: 's1.public.s1_items.Value', optional: true });
    expect(env.fields![0].schema.fields!.map((f) => [f.name, f.schema.type, f.schema.optional])).toEqual([
      ['id', 'int32', false],
      ['name', 'string', false],
      ['qty', 'int32', true],
    ]);
    expect(env.fields![2].schema.name).toBe('io.debezium.connector.postgresql.Source');
    expect(recs[1].keySchema).toMatchObject({ name: 's1.public.s1_items.Key', fields: [{ name: 'id' }] });
    await run.stop();
  });

  it('fills before under REPLICA IDENTITY FULL and splits a key change into delete + create', async () => {
    await sql.query('CREATE TABLE s2 (id int PRIMARY KEY, v text)');
    await sql.query('ALTER TABLE s2 REPLICA IDENTITY FULL');
    const run = await startTask(cdcConfig(server, { 'topic.prefix': 's2', 'slot.name': 's2', 'publication.name': 's2_pub', 'publication.autocreate.mode': 'filtered', 'table.include.list': 'public.s2', 'snapshot.mode': 'never' }));
    await sql.query("INSERT INTO s2 VALUES (1, 'a')");
    await sql.query("UPDATE s2 SET v = 'b' WHERE id = 1");
    await sql.query('UPDATE s2 SET id = 5 WHERE id = 1');
    await sql.query('DELETE FROM s2');
    const recs = await run.drainUntil((r) => r.length >= 7);
    expect(ops(recs)).toEqual(['c', 'u', 'd', 'tombstone', 'c', 'd', 'tombstone']);
    expect(envelopeOf(recs[1])).toMatchObject({ before: { id: 1, v: 'a' }, after: { id: 1, v: 'b' } });
    expect(envelopeOf(recs[2])).toMatchObject({ before: { id: 1, v: 'b' }, after: null });
    expect(recs[4].key).toEqual({ id: 5 });
    expect(envelopeOf(recs[5])).toMatchObject({ before: { id: 5, v: 'b' } });
    await run.stop();
  }, 30_000);
});
