/**
 * Fetch long-polling (max_wait_ms and min_bytes), over a raw connection so the timing is the
 * broker's own and not a client's: an empty fetch parks for max_wait_ms, returns as soon as
 * enough bytes arrive, and keeps waiting while fewer than min_bytes are there. A parked fetch
 * holds only its own connection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKey } from '../../src/broker/apis/api.ts';
import { ErrorCode } from '../../src/broker/protocol/error-codes.ts';
import { encodeBatch } from '../../src/broker/protocol/record-batch.ts';
import { randomTopic, startTestBroker, type TestBroker } from '../helpers/broker.ts';
import { RawConnection, readArray } from '../helpers/raw-kafka.ts';

let tb: TestBroker;
const conns: RawConnection[] = [];
beforeAll(async () => {
  tb = await startTestBroker();
});
afterAll(async () => {
  for (const c of conns) c.destroy();
  await tb?.stop();
});

async function open(): Promise<RawConnection> {
  const c = await RawConnection.open(tb.bootstrap);
  conns.push(c);
  return c;
}

interface FetchResult {
  elapsedMs: number;
  errorCode: number;
  highWatermark: bigint;
  recordBytes: number;
}

/** Fetch v4 of partition 0 from `offset`; resolves when the broker answers. */
async function fetch(c: RawConnection, topic: string, offset: bigint, maxWaitMs: number, minBytes: number): Promise<FetchResult> {
  const started = Date.now();
  const r = await c.call(ApiKey.Fetch, 4, (w) => {
    w.int32(-1).int32(maxWaitMs).int32(minBytes).int32(1024 * 1024).int8(0);
    w.int32(1).string(topic).int32(1).int32(0).int64(offset).int32(1024 * 1024);
  });
  r.int32(); // throttle_time_ms
  const [t] = readArray(r, (x) => ({
    topic: x.string(),
    partitions: readArray(x, (y) => {
      const p = { partitionIndex: y.int32(), errorCode: y.int16(), highWatermark: y.int64(), lastStableOffset: y.int64() };
      const aborted = y.int32();
      if (aborted > 0) y.raw(aborted * 16);
      const size = y.int32();
      if (size > 0) y.raw(size);
      return { ...p, recordBytes: Math.max(size, 0) };
    }),
  }));
  const p = t.partitions[0];
  return { elapsedMs: Date.now() - started, errorCode: p.errorCode, highWatermark: p.highWatermark, recordBytes: p.recordBytes };
}

async function append(topic: string, valueBytes: number): Promise<void> {
  const batch = await encodeBatch({ records: [{ key: Buffer.from('k'), value: Buffer.alloc(valueBytes, 0x61) }] });
  await tb.broker.topics.get(topic)!.partitions[0].append([batch]);
  tb.broker.topics.notify(topic, 0);
}

const later = (ms: number, fn: () => Promise<void>) => new Promise<void>((resolve, reject) => setTimeout(() => fn().then(resolve, reject), ms));

describe('Fetch long-poll', () => {
  it('parks an empty fetch for max_wait_ms', async () => {
    const topic = randomTopic('wait');
    await tb.broker.topics.create(topic, 1);
    const res = await fetch(await open(), topic, 0n, 400, 1);
    expect(res.errorCode).toBe(ErrorCode.NONE);
    expect(res.recordBytes).toBe(0);
    expect(res.elapsedMs).toBeGreaterThanOrEqual(350);
    expect(res.elapsedMs).toBeLessThan(2000);
  });

  it('answers as soon as a record arrives', async () => {
    const topic = randomTopic('wake');
    await tb.broker.topics.create(topic, 1);
    const [res] = await Promise.all([fetch(await open(), topic, 0n, 10_000, 1), later(200, () => append(topic, 10))]);
    expect(res.recordBytes).toBeGreaterThan(0);
    expect(res.highWatermark).toBe(1n);
    expect(res.elapsedMs).toBeGreaterThanOrEqual(150);
    expect(res.elapsedMs).toBeLessThan(3000);
  });

  it('keeps waiting while fewer than min_bytes are there, and answers once they are', async () => {
    const topic = randomTopic('minbytes');
    await tb.broker.topics.create(topic, 1);
    const c = await open();
    // 100 bytes arrive early, but 5000 are asked for: the fetch runs to max_wait_ms.
    const [short] = await Promise.all([fetch(c, topic, 0n, 1200, 5000), later(100, () => append(topic, 100))]);
    expect(short.recordBytes).toBeGreaterThan(0);
    expect(short.recordBytes).toBeLessThan(5000);
    expect(short.elapsedMs).toBeGreaterThanOrEqual(1100);
    // Enough bytes arrive at 200 ms: the fetch returns then, long before its 10 s.
    const [enough] = await Promise.all([fetch(c, topic, 0n, 10_000, 5000), later(200, () => append(topic, 6000))]);
    expect(enough.recordBytes).toBeGreaterThanOrEqual(5000);
    expect(enough.elapsedMs).toBeLessThan(3000);
  });

  it('holds only its own connection: others are answered meanwhile', async () => {
    const topic = randomTopic('parked');
    await tb.broker.topics.create(topic, 1);
    const parked = fetch(await open(), topic, 0n, 1500, 1);
    const other = await open();
    const started = Date.now();
    const r = await other.call(ApiKey.ApiVersions, 0, Buffer.alloc(0));
    expect(r.int16()).toBe(ErrorCode.NONE);
    expect(Date.now() - started).toBeLessThan(500);
    expect((await parked).elapsedMs).toBeGreaterThanOrEqual(1400);
  });

  it('answers OFFSET_OUT_OF_RANGE at once for an offset past the end, with empty records', async () => {
    const topic = randomTopic('oor');
    await tb.broker.topics.create(topic, 1);
    await append(topic, 10);
    const res = await fetch(await open(), topic, 5n, 5000, 1);
    expect(res.errorCode).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    expect(res.recordBytes).toBe(0);
    expect(res.elapsedMs).toBeLessThan(1000);
  });

  it('wakes a parked fetch when its topic is deleted, with UNKNOWN_TOPIC_OR_PARTITION', async () => {
    const topic = randomTopic('deleted');
    await tb.broker.topics.create(topic, 1);
    const [res] = await Promise.all([fetch(await open(), topic, 0n, 10_000, 1), later(200, () => tb.broker.topics.delete(topic))]);
    expect(res.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    expect(res.elapsedMs).toBeLessThan(3000);
  });
});
