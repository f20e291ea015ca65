/**
 * Column types as Debezium maps them, read the same way by the snapshot and the stream, under
 * each decimal.handling.mode and time.precision.mode.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import type { ConnectSchema, Struct } from '../../../src/connectors/api.ts';
import { startTestPostgres, type TestPostgres } from '../../helpers/postgres.ts';
import { cdcConfig, envelopeOf, startTask } from './task-harness.ts';

let server: TestPostgres;
let sql: pg.Client;

const ROW = `(1, 7, 70000, 9000000000, 1.5, 2.25, 12.30, 3.14159, true, 'txt', 'vc', 'ch', '\\x0aff',
  '2024-02-29', '13:45:00.123456', '13:45:00.12', '2024-01-02 03:04:05.000006', '2024-01-02 03:04:05.12',
  '2024-01-02 05:04:05.5+02', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": 1}', '{"b": [1, 2]}',
  '{1,NULL,3}', '{"x","y z"}', 'happy', 'P1DT2H', '10:00:00+02', B'101', NULL)`;

beforeAll(async () => {
  server = await startTestPostgres();
  sql = await server.connect();
  await sql.query("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')");
  await sql.query(`CREATE TABLE typed (
    id int PRIMARY KEY, i2 smallint, i4 int, i8 bigint, f4 real, f8 double precision, n numeric(10,2), nv numeric,
    b boolean, t text, vc varchar(20), c char(3), by bytea, d date, tm time, tm2 time(2), ts timestamp, ts2 timestamp(2),
    tz timestamptz, u uuid, j json, jb jsonb, ia int[], ta text[], m mood, iv interval, ttz timetz, bt bit(3), nul text)`);
  await sql.query(`INSERT INTO typed VALUES ${ROW}`);
});
afterAll(async () => {
  await sql?.end();
  await server?.stop();
});

function fieldSchema(s: ConnectSchema, name: string): ConnectSchema {
  const after = s.fields!.find((f) => f.name === 'after')!.schema;
  return after.fields!.find((f) => f.name === name)!.schema;
}

describe('type mapping', () => {
  it('maps every column type the way Debezium does, identically in snapshot and stream', async () => {
    const run = await startTask(cdcConfig(server, { 'topic.prefix': 'ty', 'slot.name': 'ty' }));
    try {
      await run.drainUntil((r) => r.length >= 1);
      await sql.query(`INSERT INTO typed VALUES ${ROW.replace('(1,', '(2,')}`);
      const [snap, streamed] = await run.drainUntil((r) => r.length >= 2);
      const a = envelopeOf(snap).after as Struct;
      const b = envelopeOf(streamed).after as Struct;
      expect({ ...b, id: 1 }).toEqual(a);
      expect(a).toEqual({
        id: 1,
        i2: 7,
        i4: 70000,
        i8: 9000000000,
        f4: 1.5,
        f8: 2.25,
        n: '12.30',
        nv: { scale: 5, value: Buffer.from([0x04, 0xcb, 0x2f]) },
        b: true,
        t: 'txt',
        vc: 'vc',
        c: 'ch ',
        by: Buffer.from([0x0a, 0xff]),
        d: 19782,
        tm: 49_500_123_456,
        tm2: 49_500_120,
        ts: 1704164645000006,
        ts2: 1704164645120,
        tz: '2024-01-02T03:04:05.500000Z',
        u: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
        j: '{"a": 1}',
        jb: '{"b": [1, 2]}',
        ia: [1, null, 3],
        ta: ['x', 'y z'],
        m: 'happy',
        iv: 93_600_000_000,
        ttz: '08:00:00Z',
        bt: Buffer.from([0x05]),
        nul: null,
      });
      const s = snap.valueSchema!;
      const expectSchema = (col: string, want: Partial<ConnectSchema>) => expect(fieldSchema(s, col)).toMatchObject(want);
      expectSchema('id', { type: 'int32', optional: false });
      expectSchema('i2', { type: 'int16', optional: true });
      expectSchema('i8', { type: 'int64' });
      expectSchema('f4', { type: 'float32' });
      expectSchema('n', { type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '2', 'connect.decimal.precision': '10' } });
      expectSchema('nv', { type: 'struct', name: 'io.debezium.data.VariableScaleDecimal' });
      expectSchema('d', { type: 'int32', name: 'io.debezium.time.Date' });
      expectSchema('tm', { type: 'int64', name: 'io.debezium.time.MicroTime' });
      expectSchema('tm2', { type: 'int32', name: 'io.debezium.time.Time' });
      expectSchema('ts', { type: 'int64', name: 'io.debezium.time.MicroTimestamp' });
      expectSchema('ts2', { type: 'int64', name: 'io.debezium.time.Timestamp' });
      expectSchema('tz', { type: 'string', name: 'io.debezium.time.ZonedTimestamp' });
      expectSchema('u', { type: 'string', name: 'io.debezium.data.Uuid' });
      expectSchema('j', { type: 'string', name: 'io.debezium.data.Json' });
      expectSchema('jb', { type: 'string', name: 'io.debezium.data.Json' });
      expectSchema('ia', { type: 'array', items: { type: 'int32', optional: true } });
      expectSchema('m', { type: 'string', name: 'io.debezium.data.Enum', parameters: { allowed: 'sad,ok,happy' } });
      expectSchema('iv', { type: 'int64', name: 'io.debezium.time.MicroDuration' });
      expectSchema('ttz', { type: 'string', name: 'io.debezium.time.ZonedTime' });
      expectSchema('bt', { type: 'bytes', name: 'io.debezium.data.Bits', parameters: { length: '3' } });
    } finally {
      await run.stop();
    }
  });

  it('honours decimal.handling.mode and time.precision.mode', async () => {
    const run = await startTask(cdcConfig(server, { 'topic.prefix': 'ty2', 'slot.name': 'ty2', 'decimal.handling.mode': 'string', 'time.precision.mode': 'connect' }));
    try {
      const [r] = await run.drainUntil((rs) => rs.length >= 2);
      const a = envelopeOf(r).after as Struct;
      expect(a).toMatchObject({ n: '12.30', nv: '3.14159', d: 19782, tm: 49_500_123, ts: 1704164645000, tz: '2024-01-02T03:04:05.500000Z' });
      expect(fieldSchema(r.valueSchema!, 'ts')).toMatchObject({ name: 'org.apache.kafka.connect.data.Timestamp' });
      expect(fieldSchema(r.valueSchema!, 'd')).toMatchObject({ name: 'org.apache.kafka.connect.data.Date' });
      expect(fieldSchema(r.valueSchema!, 'tm')).toMatchObject({ type: 'int32', name: 'org.apache.kafka.connect.data.Time' });
    } finally {
      await run.stop();
    }
    const run2 = await startTask(cdcConfig(server, { 'topic.prefix': 'ty3', 'slot.name': 'ty3', 'decimal.handling.mode': 'double' }));
    try {
      const [r] = await run2.drainUntil((rs) => rs.length >= 2);
      expect(envelopeOf(r).after).toMatchObject({ n: 12.3, nv: 3.14159 });
    } finally {
      await run2.stop();
    }
  });
});
