/**
 * DuckDBWireRows (the DuckDB sink's wire buffers) against a real DuckDB file: rows decoded from
 * Avro bytes into typed columns and appended as data chunks must read back as the values the
 * general path gives (`values()` is that path's input), across chunk boundaries and buffer growth,
 * with nulls, long and non-ASCII strings, 64-bit edge values, records that do not fit, and in
 * upsert mode repeated keys (last wins), dropped keys, and the delete of keys already in the table.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Schemas, type ConnectSchema } from '../../src/connectors/data.ts';
import { avroToConnectSchema, connectToAvroSchema } from '../../src/connectors/converters/avro-data.ts';
import { encodeAvroRecord } from '../../src/connectors/converters/avro-writer.ts';
import { DuckDBSession, withDuckDB } from '../../src/connectors/duckdb/index.ts';
import { DuckDBWireRows } from '../../src/connectors/duckdb/wire-chunks.ts';
import { keyOf, RowOpBuilder, type RowShape } from '../../src/connectors/sql-sink/row-ops.ts';
import { sqlSinkConfigDef, sqlSinkSettings } from '../../src/connectors/sql-sink/sink-config.ts';
import { wirePlan } from '../../src/connectors/sql-sink/wire-rows.ts';

const schema = Schemas.struct('wire.All', [
  Schemas.field('id', Schemas.int64()),
  Schemas.field('tiny', Schemas.int8({ optional: true })),
  Schemas.field('small', Schemas.int16()),
  Schemas.field('n', Schemas.int32({ optional: true })),
  Schemas.field('f', Schemas.float32({ optional: true })),
  Schemas.field('d', Schemas.float64()),
  Schemas.field('ok', Schemas.boolean({ optional: true })),
  Schemas.field('s', Schemas.string({ optional: true })),
  Schemas.field('t', Schemas.string()),
]);
const strings = ['', 'a', 'twelve bytes', 'thirteen byte', 'ünï', '😀', 'x'.repeat(200), 'é'.repeat(7)];
const bigs = [0n, -1n, 2n ** 48n, -(2n ** 49n), 2n ** 53n + 1n, 9_223_372_036_854_775_807n, -9_223_372_036_854_775_808n];

function row(i: number): Record<string, unknown> {
  return {
    id: BigInt(i % 3000) * (i % 2 === 0 ? 1n : -1n) + (i % 7 === 0 ? bigs[i % bigs.length] : 0n),
    tiny: i % 5 === 0 ? null : (i % 256) - 128,
    small: (i % 65536) - 32768,
    n: i % 11 === 0 ? null : i * 7919 - 2 ** 30,
    f: i % 13 === 0 ? null : i / 7,
    d: i % 17 === 0 ? -0 : i * 1.25e-300,
    ok: i % 3 === 0 ? null : i % 2 === 0,
    s: i % 4 === 0 ? null : strings[i % strings.length],
    t: strings[(i * 3) % strings.length] + String(i),
  };
}

/** -0 reads back from DuckDB as either zero. */
const norm = (r: unknown[]) => r.map((v) => (typeof v === 'number' && Object.is(v, -0) ? 0 : v));

/** What the general path buffers for a row: int64 as bigint, floats as float32. */
function expected(r: Record<string, unknown>): unknown[] {
  return [r.id, r.tiny, r.small, r.n, r.f === null ? null : Math.fround(r.f as number), r.d, r.ok, r.s, r.t];
}

describe('DuckDBWireRows', () => {
  let dir: string;
  let shape: RowShape;
  let reader: ConnectSchema;
  const avro = connectToAvroSchema(schema);
  const encode = (r: Record<string, unknown>) => encodeAvroRecord(7, schema, r);
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'runnel-wire-'));
    reader = avroToConnectSchema(avro);
    const settings = sqlSinkSettings(sqlSinkConfigDef(true).parse({ 'insert.mode': 'upsert', 'pk.mode': 'record_value', 'pk.fields': 'id' }).values);
    shape = new RowOpBuilder(settings).shapeFor(reader, null);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const plan = () => {
    const p = wirePlan(avro, reader, shape);
    expect(p).not.toBeNull();
    return p!;
  };

  async function write(path: string, rows: DuckDBWireRows, mode: 'insert' | 'upsert'): Promise<Record<string, unknown>[]> {
    const session = await DuckDBSession.open(path);
    await session.begin();
    await session.createTable('t', shape.columns, shape.pk);
    await session.writeWire('t', shape.columns.map((c) => c.name), rows, mode);
    await session.commit();
    return withDuckDB(path, async (conn) => (await conn.runAndReadAll('SELECT * FROM t')).getRowObjects() as Record<string, unknown>[]);
  }

  function asRows(values: unknown[][]): unknown[][] {
    return Array.from({ length: values[0].length }, (_, r) => values.map((col) => col[r]));
  }

  it('insert: every record, across chunks and growth, reads back as the general path buffers it', async () => {
    const rows = new DuckDBWireRows(plan(), shape, false, 100);
    const want: unknown[][] = [];
    for (let i = 0; i < 5000; i++) {
      const r = row(i);
      expect(rows.add(encode(r))).toBe(true);
      want.push(expected(r));
      // A record cut short, or with bytes left over, keeps nothing.
      if (i % 997 === 0) {
        const b = encode(r);
        expect(rows.add(b.subarray(0, b.length - 1))).toBe(false);
        expect(rows.add(Buffer.concat([b, Buffer.from([0])]))).toBe(false);
      }
    }
    expect(rows.rows).toBe(5000);
    const path = join(dir, 'insert.duckdb');
    const table = await write(path, rows, 'insert');
    const cols = shape.columns.map((c) => c.name);
    const got = table.map((r) => cols.map((c) => r[c]));
    const sortKey = (r: unknown[]) => `${String(r[0])}|${String(r[8])}`;
    const sorted = (rs: unknown[][]) => rs.map(norm).sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
    expect(sorted(got)).toEqual(sorted(want));
  });

  it('upsert: the last row per key, without dropped keys, replacing the table\'s rows with those keys', async () => {
    const path = join(dir, 'upsert.duckdb');
    // A first batch the second one overwrites in part.
    const first = new DuckDBWireRows(plan(), shape, true, 2048);
    for (let i = 0; i < 3000; i++) expect(first.add(encode(row(i)))).toBe(true);
    await write(path, first, 'upsert');

    const rows = new DuckDBWireRows(plan(), shape, true, 2048);
    const last = new Map<string, unknown[]>();
    for (let i = 1500; i < 9000; i++) {
      const r = row(i);
      expect(rows.add(encode(r))).toBe(true);
      expect(rows.lastKey).toBe(keyOf([r.id]));
      last.set(keyOf([r.id]), expected(r));
    }
    // Keys a later change took elsewhere (the general path) are dropped; unknown keys are no-ops.
    const dropped = [...last.keys()].filter((_, i) => i % 10 === 0);
    for (const k of dropped) rows.drop(k);
    rows.drop('123456789');
    for (const k of dropped) last.delete(k);
    expect(rows.rows).toBe(last.size);
    expect(asRows(rows.values()).map((r) => keyOf([r[0]])).sort()).toEqual([...last.keys()].sort());

    const table = await write(path, rows, 'upsert');
    const cols = shape.columns.map((c) => c.name);
    const byKey = new Map(table.map((r) => [keyOf([r.id]), norm(cols.map((c) => r[c]))]));
    expect(byKey.size).toBe(table.length);
    // Rows of the first batch whose keys the second did not keep stay as they were (a dropped
    // key's final state is written by whoever took it); kept keys are replaced.
    const untouched = new Map<string, unknown[]>();
    for (let i = 0; i < 3000; i++) {
      const k = keyOf([row(i).id]);
      if (!last.has(k)) untouched.set(k, norm(expected(row(i))));
    }
    for (const [k, v] of last) expect(byKey.get(k)).toEqual(norm(v));
    for (const [k, v] of untouched) expect(byKey.get(k)).toEqual(v);
    expect(table.length).toBe(last.size + untouched.size);
  });

  it('a null key keeps nothing, and a later record fills the row cleanly', async () => {
    const nullable = Schemas.struct('wire.K', [Schemas.field('s', Schemas.string({ optional: true })), Schemas.field('id', Schemas.int32({ optional: true }))]);
    const a = connectToAvroSchema(nullable);
    const settings = sqlSinkSettings(sqlSinkConfigDef(true).parse({ 'insert.mode': 'upsert', 'pk.mode': 'record_value', 'pk.fields': 'id' }).values);
    const kshape = new RowOpBuilder(settings).shapeFor(avroToConnectSchema(a), null);
    const rows = new DuckDBWireRows(wirePlan(a, avroToConnectSchema(a), kshape)!, kshape, true, 10);
    // The null `s` is noted before the null key turns the record down: the row must not keep it.
    expect(rows.add(encodeAvroRecord(1, nullable, { s: null, id: null }))).toBe(false);
    expect(rows.add(encodeAvroRecord(1, nullable, { s: 'kept', id: 5 }))).toBe(true);
    expect(rows.values()).toEqual([['kept'], [5]]);
  });

  it('upsert: a key dropped (taken by the general path) and then written again keeps its new row', async () => {
    const rows = new DuckDBWireRows(plan(), shape, true, 10);
    const a = { ...row(1), id: 5n, t: 'first' };
    const b = { ...row(2), id: 5n, t: 'second' };
    const c = { ...row(3), id: 1n << 40n, t: 'other' };
    expect(rows.add(encode(a))).toBe(true);
    expect(rows.add(encode(c))).toBe(true);
    rows.drop('5');
    expect(rows.rows).toBe(1);
    expect(rows.add(encode(b))).toBe(true);
    expect(rows.lastKey).toBe('5');
    rows.drop('5');
    rows.drop('5');
    expect(rows.add(encode(a))).toBe(true);
    expect(rows.rows).toBe(2);
    expect(asRows(rows.values()).map((r) => [r[0], r[8]])).toEqual([
      [1n << 40n, 'other'],
      [5n, 'first'],
    ]);
  });
});
