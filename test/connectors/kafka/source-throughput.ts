/**
 * Throughput of the topic source against avsc on the same records (not a test; run with
 * `node --import tsx test/connectors/kafka/source-throughput.ts [events]`):
 *
 * 1. KafkaTopicSource, all seven bid columns into Arrow (fetch + compiled decoder + batches);
 * 2. KafkaTopicSource, two columns (the rest skipped undecoded);
 * 3. the same fetches decoded by avsc into JS objects (the registry's Deserializer hot path);
 * 4. avsc objects then appended to the same Arrow builders (what a decoder without compiled
 *    Arrow output has to do).
 * Events per CPU second of this process, best of three runs.
 */
import { T } from '../../../src/operators/index.ts';
import { Deserializer, Serializer } from '../../../src/schema-registry/index.ts';
import { createBuilder, KafkaTopicSource } from '../../../src/connectors/kafka/index.ts';
import type { SourceColumn } from '../../../src/connectors/kafka/index.ts';
import { startEnv } from './helpers.ts';

const bidSchema = { type: 'record', name: 'Bid', fields: [
  { name: 'auction', type: 'long' }, { name: 'bidder', type: 'long' }, { name: 'price', type: 'long' },
  { name: 'channel', type: 'string' }, { name: 'url', type: 'string' },
  { name: 'dateTime', type: { type: 'long', logicalType: 'timestamp-millis' } }, { name: 'extra', type: 'string' } ] };
const columns: SourceColumn[] = [
  { name: 'auction', type: T.bigint(false), from: 'value', field: 'auction' },
  { name: 'bidder', type: T.bigint(false), from: 'value', field: 'bidder' },
  { name: 'price', type: T.bigint(false), from: 'value', field: 'price' },
  { name: 'channel', type: T.string(false), from: 'value', field: 'channel' },
  { name: 'url', type: T.string(false), from: 'value', field: 'url' },
  { name: 'dateTime', type: T.timestampLtz(3, false), from: 'value', field: 'dateTime' },
  { name: 'extra', type: T.string(false), from: 'value', field: 'extra' },
];

const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 500_000);
  const env = await startEnv();
  try {
    await env.topics.createTopic('bid', { partitions: 1 });
    const enc = await new Serializer(env.client, { schemaType: 'AVRO', schema: JSON.stringify(bidSchema) }).forTopic('bid');
    for (let i = 0; i < n; i += 5000) {
      await env.topics.produce('bid', Array.from({ length: Math.min(5000, n - i) }, (_, k) => ({ key: null, value: enc.encode({
        auction: 1000 + ((i + k) % 100), bidder: 2000 + ((i + k) % 977), price: (i + k) * 7 % 100000, channel: ['Google', 'Facebook', 'Baidu', 'Apple'][k % 4],
        url: `https://www.nexmark.com/abcde/fghij/klmno/item.htm?query=1&channel_id=${k}`, dateTime: 1_700_000_000_000 + i + k, extra: 'x'.repeat(k % 40) }) })));
    }
    const bestOf = async (label: string, f: () => Promise<void>) => {
      let best = 0;
      for (let rep = 0; rep < 3; rep++) {
        const c0 = cpuMs();
        await f();
        best = Math.max(best, n / ((cpuMs() - c0) / 1000));
      }
      console.log(`${label.padEnd(58)} ${Math.round(best).toLocaleString('en-US').padStart(12)} events/s per core`);
    };
    const drain = async (cols: SourceColumn[]) => {
      const src = new KafkaTopicSource({ topics: env.topics, registry: env.client, topic: 'bid', columns: cols, bounded: true });
      for (;;) if ((await src.poll(64)).some((m) => m.kind === 'end')) return;
    };
    const fetchAll = async (each: (value: Buffer) => void) => {
      let offset = 0n;
      while (offset < BigInt(n)) {
        const res = await env.topics.fetch('bid', 0, offset, { maxBytes: 1024 * 1024 });
        for (const r of res.records) { each(r.value!); offset = r.offset + 1n; }
      }
    };
    await bestOf('KafkaTopicSource -> Arrow, 7 columns', () => drain(columns));
    await bestOf('KafkaTopicSource -> Arrow, 2 columns (auction, price)', () => drain([columns[0], columns[2]]));
    const de = new Deserializer(env.client);
    await de.prepare(1);
    await bestOf('fetch + avsc decode to JS objects', () => fetchAll((v) => { de.decodeCached(v); }));
    const builders = columns.map((c) => createBuilder(c.type, 8192));
    await bestOf('fetch + avsc decode + append objects to Arrow builders', () => fetchAll((v) => {
      const o = de.decodeCached(v) as Record<string, unknown>;
      for (let i = 0; i < columns.length; i++) builders[i].appendJs(o[columns[i].name]);
      if (builders[0].length === 8192) for (const b of builders) b.finish();
    }));
    const fetchOnly = async () => fetchAll(() => undefined);
    await bestOf('fetch only (the TopicClient cost included above)', fetchOnly);
  } finally {
    await env.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
