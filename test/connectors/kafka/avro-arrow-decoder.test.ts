import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { batchToRows, makeBatch } from '../../../src/operators/index.ts';
import type { SqlType } from '../../../src/operators/index.ts';
import { createBuilder } from '../../../src/connectors/kafka/arrow-builders.ts';
import { compileAvroDecoder } from '../../../src/connectors/kafka/avro-arrow-decoder.ts';
import { parseAvroModel } from '../../../src/connectors/kafka/formats/avro-model.ts';
import { avroColumns } from '../../../src/connectors/kafka/formats/avro-types.ts';

const schema = {
  type: 'record', name: 'Everything', namespace: 'test',
  fields: [
    { name: 'i', type: 'int' },
    { name: 'l', type: 'long' },
    { name: 'f', type: 'float' },
    { name: 'd', type: 'double' },
    { name: 'b', type: 'boolean' },
    { name: 's', type: 'string' },
    { name: 'by', type: 'bytes' },
    { name: 'ni', type: ['null', 'int'] },
    { name: 'ns', type: ['string', 'null'] },
    { name: 'ts', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'tsu', type: { type: 'long', logicalType: 'timestamp-micros' } },
    { name: 'lts', type: ['null', { type: 'long', logicalType: 'local-timestamp-millis' }] },
    { name: 'dt', type: { type: 'int', logicalType: 'date' } },
    { name: 'tm', type: { type: 'int', logicalType: 'time-millis' } },
    { name: 'dec', type: { type: 'bytes', logicalType: 'decimal', precision: 12, scale: 3 } },
    { name: 'decf', type: ['null', { type: 'fixed', name: 'D', size: 8, logicalType: 'decimal', precision: 18, scale: 2 }] },
    { name: 'id', type: { type: 'string', logicalType: 'uuid' } },
    { name: 'e', type: { type: 'enum', name: 'Color', symbols: ['RED', 'GREEN', 'BLUE'] } },
    { name: 'fx', type: { type: 'fixed', name: 'F4', size: 4 } },
    { name: 'rec', type: { type: 'record', name: 'Inner', fields: [{ name: 'x', type: 'long' }, { name: 'y', type: ['null', 'string'] }, { name: 'c', type: 'Color' }] } },
    { name: 'nrec', type: ['null', 'Inner'] },
    { name: 'arr', type: { type: 'array', items: 'int' } },
    { name: 'arec', type: { type: 'array', items: 'Inner' } },
    { name: 'm', type: { type: 'map', values: ['null', 'long'] } },
    { name: 'u', type: ['null', 'int', 'string'] },
  ],
};

function unscaledOf(buf: Buffer): bigint {
  if (buf.length === 0) return 0n;
  let v = 0n;
  for (const x of buf) v = (v << 8n) | BigInt(x);
  if (buf[0] & 0x80) v -= 1n << BigInt(8 * buf.length);
  return v;
}

function formatScaled(v: bigint, scale: number): string {
  const neg = v < 0n;
  const digits = (neg ? -v : v).toString().padStart(scale + 1, '0');
  const s = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return neg ? `-${s}` : s;
}

/** What batchToRows should show for an avsc-decoded value of a column of type `t`. */
function expected(v: unknown, t: SqlType, top: boolean): unknown {
  if (v === null || v === undefined) return null;
  // avsc decodes unions without logical types as the bare value (wrapUnions false).
  switch (t.kind) {
    case 'DECIMAL': {
      const s = formatScaled(unscaledOf(v as Buffer), t.scale);
      return top ? s : s;
    }
    case 'TIMESTAMP': case 'TIMESTAMP_LTZ': return t.precision > 3 ? (v as number) / 1000 : v;
    case 'FLOAT': return Math.fround(v as number);
    case 'VARBINARY': case 'BINARY': return [...(v as Buffer)];
    case 'ROW': {
      // a general union decodes (avsc, unwrapped) to the bare branch value
      if (typeof v !== 'object') return Object.fromEntries(t.fields.map((f) => [f.name, (f.name === 'int') === (typeof v === 'number') ? v : null]));
      const o = v as Record<string, unknown>;
      return Object.fromEntries(t.fields.map((f) => [f.name, expected(o[f.name], f.type, false)]));
    }
    case 'ARRAY': return (v as unknown[]).map((x) => expected(x, t.element, false));
    case 'MAP': return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, expected(x, t.value, false)]));
    default: return v;
  }
}

function normalize(v: unknown): unknown {
  if (v instanceof Uint8Array) return [...v];
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(normalize);
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [k, normalize(x)]));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalize(x)]));
  return v;
}

describe('compileAvroDecoder', () => {
  const type = avro.Type.forSchema(schema as avro.Schema);
  const model = parseAvroModel(schema);
  const columns = avroColumns(model, 'val');

  it('maps the schema to SQL columns with nullability and logical types', () => {
    const shown = Object.fromEntries(columns.map((c) => [c.name, c.type.kind + (c.type.nullable ? '?' : '')]));
    expect(shown).toMatchObject({
      i: 'INT', l: 'BIGINT', f: 'FLOAT', d: 'DOUBLE', b: 'BOOLEAN', s: 'VARCHAR', by: 'VARBINARY', ni: 'INT?', ns: 'VARCHAR?',
      ts: 'TIMESTAMP_LTZ', tsu: 'TIMESTAMP_LTZ', lts: 'TIMESTAMP?', dt: 'DATE', tm: 'TIME', dec: 'DECIMAL', decf: 'DECIMAL?',
      id: 'VARCHAR', e: 'VARCHAR', fx: 'BINARY', rec: 'ROW', nrec: 'ROW?', arr: 'ARRAY', arec: 'ARRAY', m: 'MAP', u: 'ROW?',
    });
  });

  it('decodes random records exactly as avsc does, column by column', () => {
    const n = 200;
    const records = Array.from({ length: n }, (_, k) => {
      const r = type.random() as unknown as Record<string, unknown>;
      // keep longs and timestamps inside the exact range; bias some values to edges
      r.l = [0, -1, 1, 2 ** 40, -(2 ** 40), 2 ** 52, -(2 ** 52)][k % 7];
      r.i = [0, -1, 2147483647, -2147483648, 63, -64, 64][k % 7];
      r.ts = 1_700_000_000_000 + k;
      r.tsu = 1_700_000_000_000_000 + k * 1000;
      r.dec = Buffer.from([0x80, 1, 2, 3, 4, 5, 6, 7].slice(k % 8));
      if (r.decf !== null) r.decf = Buffer.from([0xff, 0xfe, 0, 0, 0, 0, 1, k % 256]);
      return r;
    });
    const builders = new Map(columns.map((c) => [c.name, createBuilder(c.type)]));
    const decode = compileAvroDecoder(model, builders);
    for (const r of records) {
      const body = type.toBuffer(r);
      const framed = Buffer.concat([Buffer.from([0, 0, 0, 0, 1]), body]);
      expect(decode(framed, 5)).toBe(framed.length);
    }
    const batch = makeBatch(columns, columns.map((c) => builders.get(c.name)!.finish()), n);
    const rows = batchToRows(batch);
    rows.forEach((row, k) => {
      const decoded = type.fromBuffer(type.toBuffer(records[k])) as Record<string, unknown>;
      columns.forEach((c, ci) => {
        const want = expected(decoded[c.name], c.type, true);
        expect(normalize(row[ci]), `${c.name} of record ${k}`).toEqual(normalize(want));
      });
    });
  });

  it('skips fields that are not projected and fills missing columns with NULL', () => {
    const ids = createBuilder(columns.find((c) => c.name === 'l')!.type);
    const extra = createBuilder({ kind: 'VARCHAR', length: 10, nullable: true });
    const decode = compileAvroDecoder(model, new Map([['l', ids], ['not_there', extra]]));
    const r = type.random() as unknown as Record<string, unknown>;
    r.l = 12345;
    const body = type.toBuffer(r);
    expect(decode(body, 0)).toBe(body.length);
    const rows = batchToRows(makeBatch([{ name: 'l', type: ids.type }, { name: 'x', type: extra.type }], [ids.finish(), extra.finish()], 1));
    expect(rows).toEqual([[12345, null]]);
  });

  it('reads primitive (non-record) schemas into one column', () => {
    const m = parseAvroModel('string');
    const [col] = avroColumns(m, 'key');
    expect(col.name).toBe('key');
    const b = createBuilder(col.type);
    const decode = compileAvroDecoder(m, new Map([['key', b]]));
    const buf = avro.Type.forSchema('string').toBuffer('héllo');
    decode(buf, 0);
    expect(batchToRows(makeBatch([col], [b.finish()], 1))).toEqual([['héllo']]);
  });

  it('refuses recursive schemas with a clear message', () => {
    expect(() => parseAvroModel({ type: 'record', name: 'Node', fields: [{ name: 'next', type: ['null', 'Node'] }] })).toThrow(/recursive/);
  });
});
