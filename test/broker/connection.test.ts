/**
 * Request framing over a real socket: the connection reads into one reused buffer, hands large
 * produce frames back to a pool once answered, and Fetch reads segments into pooled buffers
 * returned once the response is written. These tests check that bytes are never mixed up —
 * frames split at every byte (size prefix included) or packed several to a write, many large
 * produce requests in flight at once, and consumers fetching large batches side by side.
 */
import { Kafka, logLevel, type Kafka as KafkaClient } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKey } from '../../src/broker/apis/api.ts';
import { ErrorCode } from '../../src/broker/protocol/error-codes.ts';
import { Writer } from '../../src/broker/protocol/writer.ts';
import { randomTopic, startTestBroker, type TestBroker } from '../helpers/broker.ts';
import { RawConnection } from '../helpers/raw-kafka.ts';

let tb: TestBroker;
beforeAll(async () => {
  tb = await startTestBroker();
});
afterAll(async () => {
  await tb?.stop();
});

/** An ApiVersions v0 request frame (size prefix included) with the given correlation id. */
function apiVersionsFrame(correlationId: number): Buffer {
  const w = new Writer(64);
  w.int16(ApiKey.ApiVersions).int16(0).int32(correlationId).nullableString('framing-test');
  const body = w.toBuffer();
  const prefix = Buffer.alloc(4);
  prefix.writeInt32BE(body.length, 0);
  return Buffer.concat([prefix, body]);
}

describe('framing', () => {
  it('answers frames that arrive one byte at a time, in order', async () => {
    const c = await RawConnection.open(tb.bootstrap);
    const bytes = Buffer.concat([apiVersionsFrame(11), apiVersionsFrame(12), apiVersionsFrame(13)]);
    for (let i = 0; i < bytes.length; i++) {
      c.write(bytes.subarray(i, i + 1));
      // Let each byte become its own read.
      if (i % 7 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    for (const id of [11, 12, 13]) {
      const reply = await c.reply();
      expect(reply.kind).toBe('response');
      if (reply.kind !== 'response') return;
      expect(reply.correlationId).toBe(id);
      expect(reply.body.int16()).toBe(ErrorCode.NONE);
    }
    c.destroy();
  });

  it('answers many frames packed into one write, in order', async () => {
    const c = await RawConnection.open(tb.bootstrap);
    const ids = Array.from({ length: 200 }, (_, i) => 1000 + i);
    c.write(Buffer.concat(ids.map(apiVersionsFrame)));
    for (const id of ids) {
      const reply = await c.reply();
      expect(reply.kind === 'response' && reply.correlationId).toBe(id);
    }
    c.destroy();
  });
});

/** Consumes `n` records of `topic` from the beginning; resolves to their values by key. */
async function consumeAll(kafka: KafkaClient, topic: string, n: number): Promise<Map<string, Buffer>> {
  const consumer = kafka.consumer({ groupId: randomTopic('frames-group'), maxBytes: 64 * 1024 * 1024, maxBytesPerPartition: 8 * 1024 * 1024 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const seen = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        eachMessage: async ({ message }) => {
          seen.set(message.key!.toString(), message.value!);
          if (seen.size === n) resolve();
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return seen;
}

describe('large produce requests in flight together', () => {
  it('stores every record exactly as sent (reused frame buffers never leak into each other)', async () => {
    const topic = randomTopic('frames');
    await tb.broker.topics.create(topic, 1);
    const kafka = new Kafka({ clientId: 'frames', brokers: [tb.bootstrap], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    // Each send is one produce request of ~200 KiB (above the pooled-frame size), 30 at once,
    // each filled with its own byte so a frame overwritten by another would show.
    const sends = Array.from({ length: 30 }, (_, i) =>
      producer.send({ topic, acks: -1, messages: [{ key: `k${i}`, value: Buffer.alloc(200 * 1024, 65 + (i % 26)) }] }),
    );
    await Promise.all(sends);
    // And again, so the second round reuses the first round's buffers.
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => producer.send({ topic, acks: -1, messages: [{ key: `k${30 + i}`, value: Buffer.alloc(150 * 1024, 97 + (i % 26)) }] })),
    );
    await producer.disconnect();

    const seen = await consumeAll(kafka, topic, 60);
    for (let i = 0; i < 60; i++) {
      const value = seen.get(`k${i}`)!;
      const expected = i < 30 ? Buffer.alloc(200 * 1024, 65 + (i % 26)) : Buffer.alloc(150 * 1024, 97 + ((i - 30) % 26));
      expect(value.equals(expected), `record k${i}`).toBe(true);
    }
  });
});

describe('large fetches side by side', () => {
  it('gives each consumer its own topic\'s bytes (pooled read buffers go back only after the write)', async () => {
    const kafka = new Kafka({ clientId: 'fetches', brokers: [tb.bootstrap], logLevel: logLevel.NOTHING });
    const topics = ['a', 'b', 'c'].map((t) => randomTopic(`fetch-${t}`));
    const producer = kafka.producer();
    await producer.connect();
    for (const [t, topic] of topics.entries()) {
      await tb.broker.topics.create(topic, 1);
      for (let i = 0; i < 40; i++) await producer.send({ topic, acks: -1, messages: [{ key: `k${i}`, value: Buffer.alloc(100 * 1024, 48 + t * 10 + (i % 10)) }] });
    }
    await producer.disconnect();
    const read = await Promise.all(topics.map((topic) => consumeAll(kafka, topic, 40)));
    for (const [t, seen] of read.entries()) {
      for (let i = 0; i < 40; i++) expect(seen.get(`k${i}`)!.equals(Buffer.alloc(100 * 1024, 48 + t * 10 + (i % 10))), `topic ${t} record k${i}`).toBe(true);
    }
  });
});
