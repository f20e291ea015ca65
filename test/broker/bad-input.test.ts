/**
 * Bad input, over raw sockets and from clients: truncated, oversized and garbage frames,
 * unknown API keys and versions, truncated bodies, and requests that are well-formed but wrong
 * (bad topic names and configs, acks=2, corrupt or oversized batches, null keys on a compacted
 * topic). The broker answers with Kafka's error or closes that one connection, while a
 * kafkajs producer keeps writing through all of it and kcat reads everything back afterwards.
 */
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKey } from '../../src/broker/apis/api.ts';
import { Attributes, encodeBatch } from '../../src/broker/protocol/record-batch.ts';
import { ErrorCode } from '../../src/broker/protocol/error-codes.ts';
import type { Reader } from '../../src/broker/protocol/reader.ts';
import type { Writer } from '../../src/broker/protocol/writer.ts';
import { randomTopic, run, startTestBroker, type TestBroker } from '../helpers/broker.ts';
import { RawConnection, readArray } from '../helpers/raw-kafka.ts';

const requestBytesMax = 1024 * 1024;

let tb: TestBroker;
const steadyTopic = randomTopic('steady');
let producer: Producer;
let consumer: Consumer;
const steadyConsumed: string[] = [];
let steadyRunning = true;
let steadyAcked = 0;
const steadyErrors: string[] = [];
let steadyLoop: Promise<void>;
const raws: RawConnection[] = [];

beforeAll(async () => {
  tb = await startTestBroker({ requestBytesMax });
  await tb.broker.topics.create(steadyTopic, 1);
  const kafka = new Kafka({ clientId: 'steady', brokers: [tb.bootstrap], logLevel: logLevel.NOTHING });
  producer = kafka.producer();
  await producer.connect();
  // And a well-behaved consumer reading it as it is written.
  consumer = kafka.consumer({ groupId: randomTopic('steady-group'), maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: steadyTopic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void steadyConsumed.push(message.value!.toString()) });
  // A well-behaved client writing the whole time the bad input arrives.
  steadyLoop = (async () => {
    while (steadyRunning) {
      try {
        await producer.send({ topic: steadyTopic, acks: -1, messages: [{ value: `s${steadyAcked}` }] });
        steadyAcked++;
      } catch (err) {
        steadyErrors.push(String(err));
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
});
afterAll(async () => {
  steadyRunning = false;
  await steadyLoop;
  await producer?.disconnect();
  await consumer?.disconnect();
  for (const r of raws) r.destroy();
  await tb?.stop();
});

async function raw(): Promise<RawConnection> {
  const c = await RawConnection.open(tb.bootstrap);
  raws.push(c);
  return c;
}

/** A fresh connection still gets a normal ApiVersions v0 answer. */
async function expectServing(): Promise<void> {
  const c = await raw();
  const r = await c.call(ApiKey.ApiVersions, 0, Buffer.alloc(0));
  expect(r.int16()).toBe(ErrorCode.NONE);
  c.destroy();
}

async function expectClosed(c: RawConnection): Promise<void> {
  expect((await c.reply()).kind).toBe('closed');
  await expectServing();
}

function frame(size: number, body: Buffer): Buffer {
  const prefix = Buffer.alloc(4);
  prefix.writeInt32BE(size, 0);
  return Buffer.concat([prefix, body]);
}

describe('malformed frames close only their connection', () => {
  it('a truncated frame, then close', async () => {
    const c = await raw();
    c.write(frame(100, Buffer.alloc(20, 1)));
    c.end();
    expect((await c.reply()).kind).toBe('closed');
    await expectServing();
  });

  it('a frame larger than socket.request.max.bytes', async () => {
    const c = await raw();
    c.write(frame(requestBytesMax + 1, Buffer.alloc(64)));
    await expectClosed(c);
  });

  it('garbage bytes (an HTTP request)', async () => {
    const c = await raw();
    c.write(Buffer.from('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n'));
    await expectClosed(c);
  });

  it('garbage bytes in a plausible frame', async () => {
    const c = await raw();
    c.write(frame(12, Buffer.from([0x7f, 0xff, 0x80, 0x01, 0xde, 0xad, 0xbe, 0xef, 0xff, 0xff, 0xff, 0xff])));
    await expectClosed(c);
  });

  it('a header whose client id runs past the frame', async () => {
    const c = await raw();
    const header = Buffer.alloc(10);
    header.writeInt16BE(ApiKey.Metadata, 0);
    header.writeInt16BE(1, 2);
    header.writeInt32BE(7, 4);
    header.writeInt16BE(300, 8);
    c.write(frame(header.length, header));
    await expectClosed(c);
  });

  it('an unknown API key', async () => {
    const c = await raw();
    c.send(1000, 0, Buffer.alloc(0));
    await expectClosed(c);
  });

  it('an unsupported Metadata version', async () => {
    const c = await raw();
    c.send(ApiKey.Metadata, 99, Buffer.alloc(0));
    await expectClosed(c);
  });

  it('a Metadata request whose body is truncated', async () => {
    const c = await raw();
    // v1 body: topics array of 5 entries, none of which follow.
    c.send(ApiKey.Metadata, 1, (w) => w.int32(5).int16(20));
    await expectClosed(c);
  });

  it('a Produce request whose records stop short of their length', async () => {
    const c = await raw();
    c.send(ApiKey.Produce, 7, (w) => w.nullableString(null).int16(-1).int32(5000).int32(1).string(steadyTopic).int32(1).int32(0).int32(500).raw(Buffer.alloc(10)));
    await expectClosed(c);
  });
});

describe('ApiVersions probes newer than ours get the v0-format fallback', () => {
  for (const version of [4, 99]) {
    it(`ApiVersions v${version}: UNSUPPORTED_VERSION with our ranges`, async () => {
      const c = await raw();
      // A v3+ body (compact client software name and version, tagged fields), as the Java client sends.
      const id = c.send(ApiKey.ApiVersions, version, (w) => w.compactString('apache-kafka-java').compactString('3.7.0').uvarint(0));
      const reply = await c.reply();
      if (reply.kind !== 'response') throw new Error('closed instead of the fallback answer');
      expect(reply.correlationId).toBe(id);
      const r = reply.body;
      expect(r.int16()).toBe(ErrorCode.UNSUPPORTED_VERSION);
      const ranges = readArray(r, (x) => ({ apiKey: x.int16(), minVersion: x.int16(), maxVersion: x.int16() }));
      expect(r.remaining).toBe(0);
      expect(ranges).toContainEqual({ apiKey: ApiKey.ApiVersions, minVersion: 0, maxVersion: 3 });
      expect(ranges.find((x) => x.apiKey === ApiKey.Produce)).toBeDefined();
      // The connection stays usable: the client retries with v3 or lower.
      const again = await c.call(ApiKey.ApiVersions, 0, Buffer.alloc(0));
      expect(again.int16()).toBe(ErrorCode.NONE);
    });
  }
});

interface TopicResult {
  name: string;
  errorCode: number;
  errorMessage: string | null;
}

/** CreateTopics v4 for one topic: name, partitions, replication factor, configs. */
async function createTopic(name: string, partitions: number, replicationFactor: number, configs: Record<string, string> = {}): Promise<TopicResult> {
  const c = await raw();
  const r = await c.call(ApiKey.CreateTopics, 4, (w) => {
    w.int32(1).string(name).int32(partitions).int16(replicationFactor).int32(0);
    const entries = Object.entries(configs);
    w.int32(entries.length);
    for (const [k, v] of entries) w.string(k).nullableString(v);
    w.int32(10_000).bool(false);
  });
  r.int32(); // throttle_time_ms
  const [result] = readArray(r, (x) => ({ name: x.string(), errorCode: x.int16(), errorMessage: x.nullableString() }));
  c.destroy();
  return result;
}

describe('CreateTopics with bad arguments', () => {
  it('rejects an illegal name with INVALID_TOPIC_EXCEPTION', async () => {
    const res = await createTopic('bad name!', 1, 1);
    expect(res.errorCode).toBe(ErrorCode.INVALID_TOPIC_EXCEPTION);
    expect(res.errorMessage).toMatch(/letters, digits/);
  });

  it('rejects an unknown config name with INVALID_CONFIG', async () => {
    const res = await createTopic(randomTopic('cfg'), 1, 1, { 'no.such.config': '1' });
    expect(res.errorCode).toBe(ErrorCode.INVALID_CONFIG);
    expect(res.errorMessage).toMatch(/no\.such\.config/);
  });

  it('rejects a bad config value with INVALID_CONFIG', async () => {
    const res = await createTopic(randomTopic('cfg'), 1, 1, { 'retention.ms': 'soon' });
    expect(res.errorCode).toBe(ErrorCode.INVALID_CONFIG);
    expect(res.errorMessage).toMatch(/retention\.ms/);
  });

  it('rejects replication factor 3 with INVALID_REPLICATION_FACTOR', async () => {
    const name = randomTopic('rf');
    const res = await createTopic(name, 1, 3);
    expect(res.errorCode).toBe(ErrorCode.INVALID_REPLICATION_FACTOR);
    expect(res.errorMessage).toMatch(/3.*1 broker/);
    expect(tb.broker.topics.get(name)).toBeUndefined();
  });

  it('kafkajs admin sees the same codes', async () => {
    const admin = new Kafka({ clientId: 'bad-admin', brokers: [tb.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
    await admin.connect();
    try {
      await expect(admin.createTopics({ topics: [{ topic: randomTopic('rf'), replicationFactor: 3 }] })).rejects.toMatchObject({
        errors: [expect.objectContaining({ type: 'INVALID_REPLICATION_FACTOR' })],
      });
      await expect(admin.createTopics({ topics: [{ topic: randomTopic('cfg'), configEntries: [{ name: 'cleanup.policy', value: 'shred' }] }] })).rejects.toMatchObject({
        errors: [expect.objectContaining({ type: 'INVALID_CONFIG' })],
      });
    } finally {
      await admin.disconnect();
    }
  });
});

/** Produce v7 of one record set to one partition; returns the partition's error code and base offset. */
async function produceRaw(topic: string, partition: number, records: Buffer, acks = -1): Promise<{ errorCode: number; baseOffset: bigint }> {
  const c = await raw();
  const r = await c.call(ApiKey.Produce, 7, (w: Writer) => {
    w.nullableString(null).int16(acks).int32(5000).int32(1).string(topic).int32(1).int32(partition).nullableBytes(records);
  });
  const [topicResult] = readArray(r, (x: Reader) => ({
    name: x.string(),
    partitions: readArray(x, (y) => ({ index: y.int32(), errorCode: y.int16(), baseOffset: y.int64(), logAppendTimeMs: y.int64(), logStartOffset: y.int64() })),
  }));
  c.destroy();
  return topicResult.partitions[0];
}

const batchOf = (key: string | null, value: string, compression = 0) =>
  encodeBatch({ records: [{ key: key === null ? null : Buffer.from(key), value: Buffer.from(value) }], compression });

describe('Produce requests that are well-formed but wrong', () => {
  it('to an internal topic: INVALID_TOPIC_EXCEPTION', async () => {
    const res = await produceRaw('__consumer_offsets', 0, await batchOf('k', 'v'));
    expect(res.errorCode).toBe(ErrorCode.INVALID_TOPIC_EXCEPTION);
  });

  it('acks=2: INVALID_REQUIRED_ACKS', async () => {
    const topic = randomTopic('acks');
    await tb.broker.topics.create(topic, 1);
    const res = await produceRaw(topic, 0, await batchOf('k', 'v'), 2);
    expect(res.errorCode).toBe(ErrorCode.INVALID_REQUIRED_ACKS);
    expect(tb.broker.topics.get(topic)!.partitions[0].logEndOffset).toBe(0n);
  });

  it('a batch with a bad CRC: CORRUPT_MESSAGE', async () => {
    const topic = randomTopic('crc');
    await tb.broker.topics.create(topic, 1);
    const batch = await batchOf('k', 'v');
    batch[batch.length - 1] ^= 0xff;
    expect((await produceRaw(topic, 0, batch)).errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
    expect(tb.broker.topics.get(topic)!.partitions[0].logEndOffset).toBe(0n);
  });

  for (const [codec, compression] of [
    ['uncompressed', 0],
    ['gzip', 1],
    ['zstd', 4],
  ] as const) {
    it(`a null-key record on a compacted topic (${codec}): INVALID_RECORD`, async () => {
      const topic = randomTopic('compact');
      await tb.broker.topics.create(topic, 1, { 'cleanup.policy': 'compact' });
      expect((await produceRaw(topic, 0, await batchOf(null, 'v', compression & Attributes.codecMask))).errorCode).toBe(ErrorCode.INVALID_RECORD);
      expect((await produceRaw(topic, 0, await batchOf('k', 'v', compression))).errorCode).toBe(ErrorCode.NONE);
      expect(tb.broker.topics.get(topic)!.partitions[0].logEndOffset).toBe(1n);
    });
  }

  it('a batch over max.message.bytes: MESSAGE_TOO_LARGE', async () => {
    const topic = randomTopic('large');
    await tb.broker.topics.create(topic, 1, { 'max.message.bytes': '1000' });
    expect((await produceRaw(topic, 0, await batchOf('k', 'x'.repeat(2000)))).errorCode).toBe(ErrorCode.MESSAGE_TOO_LARGE);
    expect((await produceRaw(topic, 0, await batchOf('k', 'x'.repeat(100)))).errorCode).toBe(ErrorCode.NONE);
  });

  it('kafkajs gets MESSAGE_TOO_LARGE too', async () => {
    const topic = randomTopic('large-kjs');
    await tb.broker.topics.create(topic, 1, { 'max.message.bytes': '1000' });
    const p = new Kafka({ clientId: 'large', brokers: [tb.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).producer();
    await p.connect();
    try {
      await expect(p.send({ topic, messages: [{ value: 'x'.repeat(2000) }] })).rejects.toMatchObject({ type: 'MESSAGE_TOO_LARGE' });
    } finally {
      await p.disconnect();
    }
  });
});

describe('the well-behaved client through all of it', () => {
  it('kept producing and consuming, and kcat reads every acknowledged record in order', async () => {
    steadyRunning = false;
    await steadyLoop;
    expect(steadyErrors).toEqual([]);
    expect(steadyAcked).toBeGreaterThan(2);
    // And after it: the same connection still produces.
    await producer.send({ topic: steadyTopic, acks: -1, messages: [{ value: `s${steadyAcked}` }] });
    steadyAcked++;
    const res = await run('kcat', ['-b', tb.bootstrap, '-C', '-t', steadyTopic, '-o', 'beginning', '-e', '-f', '%s\n'], { timeoutMs: 30_000 });
    expect(res.code).toBe(0);
    const expected = Array.from({ length: steadyAcked }, (_, i) => `s${i}`);
    expect(res.stdout.trim().split('\n')).toEqual(expected);
    const deadline = Date.now() + 10_000;
    while (steadyConsumed.length < steadyAcked && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(steadyConsumed).toEqual(expected);
  });
});
