import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { batchFromRows, T } from '../../../src/operators/index.ts';
import type { Data } from 'apache-arrow';
import { compileAvroEncoder, prepareColumn } from '../../../src/connectors/kafka/arrow-avro-encoder.ts';
import { parseAvroModel } from '../../../src/connectors/kafka/formats/avro-model.ts';
import { sqlColumnsToAvro } from '../../../src/connectors/kafka/formats/avro-types.ts';
import { bigEndianBytes } from '../../../src/connectors/kafka/row-values.ts';

describe('compileAvroEncoder', () => {
  const cols = [
    { name: 'id', type: T.bigint(false) }, { name: 'small', type: T.int(true) }, { name: 'ok', type: T.boolean(false) },
    { name: 'ratio', type: T.double(true) }, { name: 'f', type: T.float(false) }, { name: 'name', type: T.string(true) },
    { name: 'raw', type: T.bytes(true) }, { name: 'amount', type: T.decimal(23, 3, true) }, { name: 'day', type: T.date(true) },
    { name: 'at', type: T.timestampLtz(3, false) }, { name: 'atu', type: T.timestamp(6, true) },
  ];
  const schemaJson = sqlColumnsToAvro(cols, 'enc_value');
  const type = avro.Type.forSchema(schemaJson as avro.Schema);

  it('writes what avsc reads back, row for row, with Confluent framing', () => {
    const rows = [
      [1, 7, true, 0.5, 1.5, 'héllo wörld', new Uint8Array([1, 2, 3]), '12.345', 19000, 1_700_000_000_123, 1_700_000_000_456.789],
      [-(2 ** 40), null, false, null, -2.25, null, null, null, null, 0, null],
      [2 ** 51, -2147483648, true, -1e300, 0, 'x'.repeat(300), new Uint8Array(100).fill(9), '-99999999999999999999.999', -1, -5, 1],
    ];
    const batch = batchFromRows(cols, rows);
    const enc = compileAvroEncoder(42, parseAvroModel(schemaJson), cols);
    expect(enc).not.toBeNull();
    const prepared = cols.map((c, i) => prepareColumn(batch.data.children[i] as Data, c));
    enc!.encode(prepared, [0, 1], 2);
    enc!.encode(prepared, [2], 1);
    const out = enc!.take();
    expect(out).toHaveLength(3);
    const decoded = out.map((b) => {
      expect([...b.subarray(0, 5)]).toEqual([0, 0, 0, 0, 42]);
      return type.fromBuffer(b.subarray(5)) as Record<string, unknown>;
    });
    expect(decoded[0]).toMatchObject({ id: 1, small: 7, ok: true, ratio: 0.5, f: 1.5, name: 'héllo wörld', day: 19000, at: 1_700_000_000_123, atu: 1_700_000_000_456_789 });
    expect([...(decoded[0].raw as Buffer)]).toEqual([1, 2, 3]);
    expect(decoded[0].amount).toEqual(Buffer.from([0x30, 0x39])); // 12345
    expect(decoded[1]).toMatchObject({ id: -(2 ** 40), small: null, ratio: null, name: null, raw: null, amount: null, day: null, at: 0, atu: null });
    expect(decoded[2]).toMatchObject({ id: 2 ** 51, small: -2147483648, name: 'x'.repeat(300), day: -1, at: -5, atu: 1000 });
  });

  it('writes decimals as the shortest big-endian two\'s complement, as avsc expects', () => {
    const dcols = [{ name: 'd', type: T.decimal(38, 0, false) }];
    const dtype = avro.Type.forSchema(sqlColumnsToAvro(dcols, 'd_value') as avro.Schema);
    const values = ['0', '1', '-1', '127', '128', '-128', '-129', '255', '32767', '-32768', '4294967296', '-4294967297', '99999999999999999999999999999999999999', '-99999999999999999999999999999999999999'];
    const batch = batchFromRows(dcols, values.map((v) => [v]));
    const enc = compileAvroEncoder(1, parseAvroModel(sqlColumnsToAvro(dcols, 'd_value')), dcols)!;
    enc.encode([prepareColumn(batch.data.children[0] as Data, dcols[0])], values.map((_, i) => i), values.length);
    const got = enc.take().map((b) => (dtype.fromBuffer(b.subarray(5)) as { d: Buffer }).d);
    values.forEach((v, i) => expect([...got[i]]).toEqual([...bigEndianBytes(BigInt(v))]));
  });

  it('declines schemas it does not cover so the sink falls back to avsc', () => {
    const nested = sqlColumnsToAvro([{ name: 'r', type: T.row([{ name: 'x', type: T.int(false) }], false) }], 'n');
    expect(compileAvroEncoder(1, parseAvroModel(nested), [{ name: 'r', type: T.row([{ name: 'x', type: T.int(false) }], false) }])).toBeNull();
  });
});
