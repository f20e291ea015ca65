/**
 * Real Kafka clients against the embedded broker, unchanged but for the bootstrap address:
 * keyed records across partitions come back in order per partition with their headers and
 * timestamps, with every compression codec the client offers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomTopic, startTestBroker, type TestBroker } from '../helpers/broker.ts';
import { CLIENTS, type ConsumedRecord, type TestRecord } from '../helpers/clients.ts';

let tb: TestBroker;
beforeAll(async () => {
  tb = await startTestBroker();
});
afterAll(async () => {
  await tb?.stop();
});

function keyedRecords(n: number, tag: string): TestRecord[] {
  const base = Date.now() - 60_000;
  return Array.from({ length: n }, (_, i) => ({
    key: `key-${i % 7}`,
    value: `${tag}-value-${i}`,
    headers: [['source', tag]] as [string, string][],
    timestamp: base + i,
  }));
}

function checkOrderedPerPartition(consumed: ConsumedRecord[], produced: TestRecord[], exactTimestamps: boolean) {
  expect(consumed).toHaveLength(produced.length);
  const byPartition = new Map<number, ConsumedRecord[]>();
  for (const r of consumed) byPartition.set(r.partition, [...(byPartition.get(r.partition) ?? []), r]);
  const keyPartition = new Map<string, number>();
  for (const [partition, records] of byPartition) {
    const offsets = records.map((r) => r.offset);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    // Values of one key stay in production order within the key's partition.
    for (const r of records) {
      const seen = keyPartition.get(r.key!);
      if (seen !== undefined) expect(seen).toBe(partition);
      keyPartition.set(r.key!, partition);
    }
  }
  const index = (v: string | null) => Number(v!.split('-').pop());
  for (const records of byPartition.values()) {
    const values = records.map((r) => index(r.value));
    expect(values).toEqual([...values].sort((a, b) => a - b));
  }
  expect(new Set(consumed.map((r) => r.value))).toEqual(new Set(produced.map((r) => r.value)));
  for (const r of consumed) {
    expect(r.headers).toContainEqual(['source', produced[0].headers![0][1]]);
    const original = produced.find((p) => p.value === r.value)!;
    expect(r.key).toBe(original.key);
    if (exactTimestamps) expect(r.timestamp).toBe(original.timestamp);
    else expect(Math.abs(r.timestamp! - Date.now())).toBeLessThan(120_000);
  }
}

for (const client of CLIENTS) {
  describe(client.name, () => {
    it('produces keyed records across partitions and consumes them back in order', async () => {
      const topic = randomTopic(client.name);
      await tb.broker.topics.create(topic, 3);
      const records = keyedRecords(40, client.name);
      await client.produce(tb.bootstrap, topic, records);
      const consumed = await client.consume(tb.bootstrap, topic, records.length);
      checkOrderedPerPartition(consumed, records, client.setsTimestamps);
      expect(new Set(consumed.map((r) => r.partition)).size).toBeGreaterThan(1);
    });

    for (const codec of client.codecs.filter((c) => c !== 'none')) {
      it(`stores and serves ${codec}-compressed batches`, async () => {
        const topic = randomTopic(`${client.name}-${codec}`);
        await tb.broker.topics.create(topic, 2);
        const records = keyedRecords(25, codec);
        await client.produce(tb.bootstrap, topic, records, { compression: codec });
        checkOrderedPerPartition(await client.consume(tb.bootstrap, topic, records.length), records, client.setsTimestamps);
      });
    }
  });
}

describe('across clients', () => {
  it('reads with every client what each client wrote', async () => {
    const topic = randomTopic('mixed');
    await tb.broker.topics.create(topic, 2);
    const all: TestRecord[] = [];
    for (const client of CLIENTS) {
      const records = keyedRecords(10, `x${client.name.replace(/-/g, '')}`).map((r, i) => ({ ...r, value: `${r.value}`, key: `k${i}` }));
      await client.produce(tb.bootstrap, topic, records);
      all.push(...records);
    }
    for (const client of CLIENTS) {
      const consumed = await client.consume(tb.bootstrap, topic, all.length, { group: `mixed-${client.name}` });
      expect(new Set(consumed.map((r) => r.value))).toEqual(new Set(all.map((r) => r.value)));
    }
  });
});
