import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessTopicClient } from '../../src/client/in-process.ts';
import type { KafkaRecord } from '../../src/client/topic-client.ts';
import { NexmarkGenerator, auctionRow, bidRow, nexmarkConfig, personRow } from '../../src/connectors/nexmark/index.ts';
import { startPlatform, type Platform } from '../../src/platform.ts';
import { Deserializer, HttpRegistryClient } from '../../src/schema-registry/index.ts';
import { run } from '../helpers/broker.ts';

const bin = new URL('../../bin/runnel.mjs', import.meta.url).pathname;

async function readAll(client: InProcessTopicClient, topic: string, partition: number): Promise<KafkaRecord[]> {
  const out: KafkaRecord[] = [];
  let offset = 0n;
  const { end } = await client.offsets(topic, partition);
  while (offset < end) {
    const { records } = await client.fetch(topic, partition, offset, { maxBytes: 4 * 1024 * 1024 });
    if (records.length === 0) break;
    out.push(...records);
    offset = records[records.length - 1].offset + 1n;
  }
  return out;
}

function toPlain(v: unknown): unknown {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'bigint') return Number(v);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toPlain(x)]));
  return v;
}

describe('runnel nexmark', () => {
  let platform: Platform;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'runnel-nexmark-'));
    platform = await startPlatform({ dataDir, host: '127.0.0.1', kafkaPort: 0, registryPort: 0, connectPort: 0, httpPort: 0, logLevel: 'warn' });
  });
  afterAll(async () => {
    await platform?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('fills three topics whose records decode with the registry to the generated events', async () => {
    const args = ['nexmark', '--events', '20000', '--seed', '3', '--partitions', '2', '--prefix', 'nx_', '-b', platform.endpoints.kafka, '--registry', platform.endpoints.registry];
    const result = await run(process.execPath, [bin, ...args], { timeoutMs: 120_000 });
    expect(result.stderr).toContain('nexmark: 20,000 events into nx_person, nx_auction, nx_bid (2 partitions), seed 3');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^nexmark: 20,000 events \(400 persons, 1,200 auctions, 18,400 bids, [\d.]+ MB\) in [\d.]+ s: [\d,]+ events\/s\n$/);

    const registry = new HttpRegistryClient(platform.endpoints.registry);
    const subjects = await registry.request<string[]>('GET', '/subjects');
    expect(subjects.filter((s) => s.startsWith('nx_')).sort()).toEqual(['nx_auction-value', 'nx_bid-value', 'nx_person-value']);

    // The same flags give the same events: compare with the generator, partition by partition.
    const gen = new NexmarkGenerator(nexmarkConfig({ numEvents: 20_000, seed: 3, firstEventRate: 10_000_000, nextEventRate: 10_000_000 }));
    const expected: Record<string, Record<string, unknown>[]> = { nx_person: [], nx_auction: [], nx_bid: [] };
    for (let batch = gen.nextBatch(); batch; batch = gen.nextBatch()) {
      for (let i = 0; i < batch.persons.length; i++) expected.nx_person.push({ ...personRow(batch, gen.dictionaries, i) });
      for (let i = 0; i < batch.auctions.length; i++) expected.nx_auction.push({ ...auctionRow(batch, gen.dictionaries, i) });
      for (let i = 0; i < batch.bids.length; i++) expected.nx_bid.push({ ...bidRow(batch, gen.dictionaries, i) });
    }
    const client = new InProcessTopicClient(platform.broker);
    const deserializer = new Deserializer(registry);
    for (const topic of ['nx_person', 'nx_auction', 'nx_bid']) {
      expect(await client.partitionCount(topic)).toBe(2);
      for (const partition of [0, 1]) {
        const records = await readAll(client, topic, partition);
        const want = expected[topic].filter((_, i) => i % 2 === partition);
        expect(records.length).toBe(want.length);
        for (let i = 0; i < records.length; i++) {
          expect(records[i].key).toBeNull();
          const value = toPlain(await deserializer.deserialize(records[i].value!)) as Record<string, unknown>;
          expect(value).toEqual(want[i]);
          expect(Number(records[i].timestamp)).toBe(want[i].dateTime);
        }
      }
    }
  });

  it('explains an unreachable registry', async () => {
    const result = await run(process.execPath, [bin, 'nexmark', '--events', '10', '--prefix', 'nx2_', '-b', platform.endpoints.kafka, '--registry', 'http://127.0.0.1:1', '-q'], { timeoutMs: 60_000 });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot reach the schema registry at http://127.0.0.1:1');
  });
});
