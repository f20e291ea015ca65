/**
 * Recovery through the broker, checked by real clients: a torn write at the end of the
 * active segment is cut back to the last whole batch, and lost index files are rebuilt, so
 * consumers, timestamp lookups and producers carry on as if nothing happened.
 */
import { readdir, rm, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomTopic, run, startTestBroker, type TestBroker } from '../helpers/broker.ts';

let tb: TestBroker;
beforeAll(async () => {
  tb = await startTestBroker();
});
afterAll(async () => {
  await tb?.stop();
});

function kafka(): Kafka {
  return new Kafka({ clientId: 'recovery-test', brokers: [tb.bootstrap], logLevel: logLevel.NOTHING });
}

/** Produces batches of `perBatch` records to partition 0, one request per batch; values `v<i>`, timestamps base + i s. */
async function produceBatches(topic: string, from: number, batches: number, perBatch: number, baseTs: number, compression = CompressionTypes.None): Promise<void> {
  const producer = kafka().producer();
  await producer.connect();
  try {
    for (let b = 0; b < batches; b++) {
      const first = from + b * perBatch;
      await producer.send({
        topic,
        acks: -1,
        compression,
        messages: Array.from({ length: perBatch }, (_, j) => ({ key: `k${first + j}`, value: `v${first + j}`, partition: 0, timestamp: String(baseTs + (first + j) * 1000) })),
      });
    }
  } finally {
    await producer.disconnect();
  }
}

async function consumeValues(topic: string): Promise<{ offsets: number[]; values: string[] }> {
  const res = await run('kcat', ['-b', tb.bootstrap, '-C', '-t', topic, '-p', '0', '-o', 'beginning', '-e', '-f', '%o %s\n'], { timeoutMs: 30_000 });
  expect(res.code).toBe(0);
  const lines = res.stdout.split('\n').filter((l) => l !== '');
  return { offsets: lines.map((l) => Number(l.split(' ')[0])), values: lines.map((l) => l.split(' ')[1]) };
}

function partitionDir(topic: string): string {
  return join(tb.dataDir, 'topics', `${topic}-0`);
}

const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

describe('recovery after a torn write', () => {
  it('ends the log at the last whole batch; consumers read what precedes it and producers continue from there', async () => {
    const topic = randomTopic('torn');
    await tb.broker.topics.create(topic, 2);
    const baseTs = Date.now() - 600_000;
    await produceBatches(topic, 0, 10, 3, baseTs);
    expect(tb.broker.topics.get(topic)!.partitions[0].logEndOffset).toBe(30n);

    await tb.broker.stop();
    const dir = partitionDir(topic);
    const active = (await readdir(dir)).filter((n) => n.endsWith('.log')).sort().at(-1)!;
    const { size } = await stat(join(dir, active));
    // Cut 10 bytes into the last batch's records.
    await truncate(join(dir, active), size - 10);
    await tb.restart();

    const log = tb.broker.topics.get(topic)!.partitions[0];
    expect(log.logEndOffset).toBe(27n);
    expect(log.recovery.truncatedBytes).toBeGreaterThan(0);
    const before = await consumeValues(topic);
    expect(before.offsets).toEqual(range(0, 27));
    expect(before.values).toEqual(range(0, 27).map((i) => `v${i}`));

    // The next batch lands at offset 27, right after the last whole one.
    await produceBatches(topic, 100, 1, 3, baseTs);
    const after = await consumeValues(topic);
    expect(after.offsets).toEqual(range(0, 30));
    expect(after.values).toEqual([...range(0, 27).map((i) => `v${i}`), 'v100', 'v101', 'v102']);
  });
});

describe('recovery of lost index files', () => {
  it('rebuilds .index and .timeindex: reads and timestamp lookups (inside gzip batches too) still work', async () => {
    const topic = randomTopic('noindex');
    // Small segments and a small index interval, so there are several segments with index entries.
    await tb.broker.topics.create(topic, 1, { 'segment.bytes': '400', 'index.interval.bytes': '100' });
    const baseTs = Date.now() - 600_000;
    await produceBatches(topic, 0, 10, 2, baseTs);
    await produceBatches(topic, 20, 5, 4, baseTs, CompressionTypes.GZIP);
    const segments = tb.broker.topics.get(topic)!.partitions[0].segmentBaseOffsets().length;
    expect(segments).toBeGreaterThan(3);

    await tb.broker.stop();
    const dir = partitionDir(topic);
    const indexFiles = (await readdir(dir)).filter((n) => n.endsWith('.index') || n.endsWith('.timeindex'));
    expect(indexFiles.length).toBe(2 * segments);
    for (const f of indexFiles) await rm(join(dir, f));
    await tb.restart();

    const { offsets, values } = await consumeValues(topic);
    expect(offsets).toEqual(range(0, 40));
    expect(values).toEqual(range(0, 40).map((i) => `v${i}`));

    const admin = kafka().admin();
    await admin.connect();
    try {
      for (const i of [0, 7, 18, 21, 26, 39]) {
        const [found] = await admin.fetchTopicOffsetsByTimestamp(topic, baseTs + i * 1000);
        expect(Number(found.offset)).toBe(i);
        // Between two records: the next one.
        const [between] = await admin.fetchTopicOffsetsByTimestamp(topic, baseTs + i * 1000 - 500);
        expect(Number(between.offset)).toBe(i);
      }
    } finally {
      await admin.disconnect();
    }
    // kcat's timestamp offsets (-o s@) use the same lookup.
    const res = await run('kcat', ['-b', tb.bootstrap, '-C', '-t', topic, '-p', '0', '-o', `s@${baseTs + 31 * 1000}`, '-c', '1', '-f', '%o %s\n'], { timeoutMs: 30_000 });
    expect(res.stdout.trim()).toBe('31 v31');
  });
});
