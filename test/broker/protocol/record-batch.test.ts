import { describe, expect, it } from 'vitest';
import {
  Compression,
  InvalidBatchError,
  batchCrcValid,
  decodeBatchRecords,
  encodeBatch,
  readBatchHeader,
  splitBatches,
  stampBatch,
} from '../../../src/broker/protocol/index.ts';
import { Reader } from '../../../src/broker/protocol/reader.ts';
import { Writer } from '../../../src/broker/protocol/writer.ts';

describe('varints', () => {
  it('round-trips zig-zag varints and varlongs at their edges', () => {
    const ints = [0, 1, -1, 63, -64, 64, 300, -300, 2 ** 31 - 1, -(2 ** 31)];
    const longs = [0n, -1n, 1n, 2n ** 63n - 1n, -(2n ** 63n), 1700000000000n];
    const w = new Writer(4);
    for (const v of ints) w.varint(v);
    for (const v of longs) w.varlong(v);
    const r = new Reader(w.toBuffer());
    for (const v of ints) expect(r.varint()).toBe(v);
    for (const v of longs) expect(r.varlong()).toBe(v);
    expect(r.remaining).toBe(0);
  });

  it('encodes 300 as Kafka does (zig-zag 600 = 0xd8 0x04)', () => {
    expect([...new Writer().varint(300).toBuffer()]).toEqual([0xd8, 0x04]);
  });

  it('rejects truncated input with a decode error', () => {
    const r = new Reader(Buffer.from([0x00, 0x05, 0x61]));
    expect(() => r.string()).toThrow(/truncated input/);
  });
});

describe('RecordBatch v2', () => {
  const records = [
    { key: Buffer.from('k1'), value: Buffer.from('v1'), timestamp: 1000n, headers: [{ key: 'h', value: Buffer.from('x') }] },
    { key: null, value: Buffer.from('v2'), timestamp: 1005n },
    { key: Buffer.from('k3'), value: null, timestamp: 999n },
  ];

  for (const [name, codec] of Object.entries(Compression)) {
    it(`round-trips records with ${name} compression`, async () => {
      const batch = await encodeBatch({ baseOffset: 0n, records, compression: codec });
      expect(batchCrcValid(batch)).toBe(true);
      const header = readBatchHeader(batch);
      expect(header.attributes & 7).toBe(codec);
      expect(header.recordCount).toBe(3);
      expect(header.baseTimestamp).toBe(999n);
      expect(header.maxTimestamp).toBe(1005n);
      stampBatch(batch, 42n, null);
      const decoded = await decodeBatchRecords(batch);
      expect(decoded.map((r) => r.offset)).toEqual([42n, 43n, 44n]);
      expect(decoded.map((r) => r.timestamp)).toEqual([1000n, 1005n, 999n]);
      expect(decoded[0].headers[0].key).toBe('h');
      expect(decoded[0].headers[0].value?.toString()).toBe('x');
      expect(decoded[1].key).toBeNull();
      expect(decoded[2].value).toBeNull();
    });
  }

  it('round-trips timestamp deltas beyond int32, long values, multi-byte header keys and offset gaps', async () => {
    const long = Buffer.alloc(20_000, 0x61);
    const recs = [
      { key: null, value: Buffer.from('a'), timestamp: 1n },
      { key: long, value: long, timestamp: 1n + (1n << 40n), headers: [{ key: 'schlüssel', value: null }, { key: 'h2', value: long }], offsetDelta: 5 },
      { key: Buffer.alloc(0), value: Buffer.alloc(0), timestamp: 1n + (1n << 31n), offsetDelta: 9 },
    ];
    const decoded = await decodeBatchRecords(await encodeBatch({ baseOffset: 0n, records: recs }));
    expect(decoded.map((r) => r.timestamp)).toEqual([1n, 1n + (1n << 40n), 1n + (1n << 31n)]);
    expect(decoded.map((r) => r.offset)).toEqual([0n, 5n, 9n]);
    expect(decoded[1].key?.equals(long)).toBe(true);
    expect(decoded[1].value?.equals(long)).toBe(true);
    expect(decoded[1].headers.map((h) => h.key)).toEqual(['schlüssel', 'h2']);
    expect(decoded[1].headers[0].value).toBeNull();
    expect(decoded[1].headers[1].value?.equals(long)).toBe(true);
    expect(decoded[2].key?.length).toBe(0);
    expect(decoded[2].value?.length).toBe(0);
  });

  it('stamps LogAppendTime into the header and keeps the CRC valid', async () => {
    const batch = await encodeBatch({ records });
    stampBatch(batch, 7n, 5000n);
    expect(batchCrcValid(batch)).toBe(true);
    const decoded = await decodeBatchRecords(batch);
    expect(decoded.every((r) => r.timestamp === 5000n)).toBe(true);
  });

  it('splits a record set and rejects a corrupted batch', async () => {
    const a = await encodeBatch({ records });
    const b = await encodeBatch({ records: records.slice(0, 1) });
    expect(splitBatches(Buffer.concat([a, b]))).toHaveLength(2);
    const bad = Buffer.from(a);
    bad[bad.length - 1] ^= 0xff;
    expect(() => splitBatches(bad)).toThrow(InvalidBatchError);
    expect(() => splitBatches(a.subarray(0, a.length - 1))).toThrow(/ends inside a batch/);
  });
});
