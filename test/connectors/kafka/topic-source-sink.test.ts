import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchToRows, CollectSink, E, Pipeline, T } from '../../../src/operators/index.ts';
import type { StreamMessage } from '../../../src/operators/index.ts';
import { Deserializer } from '../../../src/schema-registry/index.ts';
import { KafkaTopicSink, KafkaTopicSource, sqlColumnsToAvro } from '../../../src/connectors/kafka/index.ts';
import type { SourceColumn } from '../../../src/connectors/kafka/index.ts';
import { randomTopic } from '../../helpers/broker.ts';
import { produceAvro, startEnv, type Env } from './helpers.ts';

const orderSchema = {
  type: 'record', name: 'Order', fields: [
    { name: 'id', type: 'long' },
    { name: 'item', type: ['null', 'string'], default: null },
    { name: 'price', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
    { name: 'ts', type: { type: 'long', logicalType: 'timestamp-millis' } },
  ],
};

async function drain(src: KafkaTopicSource, roundsMax = 1000): Promise<StreamMessage[]> {
  const all: StreamMessage[] = [];
  for (let i = 0; i < roundsMax; i++) {
    const msgs = await src.poll(64);
    all.push(...msgs);
    if (msgs.some((m) => m.kind === 'end')) return all;
  }
  throw new Error('source did not end');
}

describe('KafkaTopicSource and KafkaTopicSink', () => {
  let env: Env;
  beforeAll(async () => { env = await startEnv(); });
  afterAll(async () => { await env.stop(); });

  const columns: SourceColumn[] = [
    { name: 'id', type: T.bigint(false), from: 'value', field: 'id' },
    { name: 'item', type: T.string(true), from: 'value', field: 'item' },
    { name: 'ts', type: T.timestampLtz(3, false), from: 'value', field: 'ts' },
    { name: 'k', type: T.string(false), from: 'key', field: 'k' },
    { name: '$rowtime', type: T.timestampLtz(3, false), from: 'timestamp' },
  ];

  it('reads key, value and $rowtime of every partition in bounded mode, with per-partition watermarks', async () => {
    const topic = randomTopic('orders');
    await env.topics.createTopic(topic, { partitions: 3 });
    const n = 300;
    const values = Array.from({ length: n }, (_, i) => ({ id: i, item: i % 5 === 0 ? null : `item-${i}`, price: Buffer.from([0, i % 256]), ts: 1_000_000 + i * 10 }));
    for (let c = 0; c < n; c += 30) {
      const chunk = values.slice(c, c + 30);
      await produceAvro(env, topic, orderSchema, chunk, {
        keySchema: { type: 'record', name: 'K', fields: [{ name: 'k', type: 'string' }] },
        keys: chunk.map((v) => ({ k: `key-${v.id}` })),
        timestamps: chunk.map((v) => 5_000_000 + v.id),
        partitions: chunk.map((v) => v.id % 3),
      });
    }
    const src = new KafkaTopicSource({ topics: env.topics, registry: env.client, topic, columns, bounded: true, batchRowsMax: 64, fetchBytesMax: 100,
      watermark: { expr: E.col(2), delayMs: 100 } });
    const msgs = await drain(src);
    const rows = msgs.flatMap((m) => (m.kind === 'batch' ? batchToRows(m.batch) : []));
    expect(rows).toHaveLength(n);
    rows.sort((a, b) => (a[0] as number) - (b[0] as number));
    expect(rows[0]).toEqual([0, null, 1_000_000, 'key-0', 5_000_000]);
    expect(rows[7]).toEqual([7, 'item-7', 1_000_070, 'key-7', 5_000_007]);
    const wms = msgs.flatMap((m) => (m.kind === 'watermark' ? [m.timestampMs] : []));
    expect(wms.length).toBeGreaterThan(1);
    expect([...wms].sort((a, b) => a - b)).toEqual(wms); // monotonic
    expect(wms.at(-1)).toBe(Infinity);
    // before the end, the watermark never passes the slowest partition's max - delay
    expect(Math.max(...wms.slice(0, -1))).toBeLessThanOrEqual(1_000_000 + (n - 1) * 10 - 100);
    expect(src.offsets()).toEqual({ 0: '100', 1: '100', 2: '100' });
  });

  it('resumes from restored offsets', async () => {
    const topic = randomTopic('resume');
    await env.topics.createTopic(topic, { partitions: 1 });
    await produceAvro(env, topic, orderSchema, Array.from({ length: 10 }, (_, i) => ({ id: i, item: null, price: Buffer.from([1]), ts: i })));
    const src = new KafkaTopicSource({ topics: env.topics, registry: env.client, topic, columns: [columns[0]], bounded: true });
    src.restoreOffsets({ 0: '7' });
    const rows = (await drain(src)).flatMap((m) => (m.kind === 'batch' ? batchToRows(m.batch) : []));
    expect(rows).toEqual([[7], [8], [9]]);
  });

  it('holds the watermark on a partition until it goes idle, then releases it', async () => {
    const topic = randomTopic('idle');
    await env.topics.createTopic(topic, { partitions: 2 });
    await produceAvro(env, topic, orderSchema, [{ id: 1, item: null, price: Buffer.from([1]), ts: 10_000 }], { partitions: [0] });
    let now = 0;
    const src = new KafkaTopicSource({ topics: env.topics, registry: env.client, topic, columns: [columns[0], columns[2]],
      watermark: { expr: E.col(1), delayMs: 0 }, idleTimeoutMs: 1000, nowMs: () => now });
    const first = await src.poll(64);
    expect(first.filter((m) => m.kind === 'watermark')).toEqual([]); // partition 1 has shown nothing
    now = 5_000;
    await produceAvro(env, topic, orderSchema, [{ id: 2, item: null, price: Buffer.from([1]), ts: 20_000 }], { partitions: [0] });
    const later = await src.poll(64);
    expect(later.filter((m) => m.kind === 'watermark')).toEqual([{ kind: 'watermark', timestampMs: 20_000 }]);
    expect(src.progress().partitions.map((p) => p.idle)).toEqual([false, true]);
  });

  it('fails with the topic, partition and offset of a record it cannot decode', async () => {
    const topic = randomTopic('bad');
    await env.topics.createTopic(topic, { partitions: 1 });
    await env.topics.produce(topic, [{ key: null, value: Buffer.from('not avro') }]);
    const src = new KafkaTopicSource({ topics: env.topics, registry: env.client, topic, columns: [columns[0]], bounded: true });
    await expect(src.poll(64)).rejects.toThrow(new RegExp(`${topic}/0@0.*magic byte`));
  });

  it('writes append results through the registry and reads them back', async () => {
    const out = randomTopic('out');
    await env.topics.createTopic(out, { partitions: 1 });
    const cols = [{ name: 'id', type: T.bigint(false) }, { name: 'item', type: T.string(true) }, { name: 'amount', type: T.decimal(10, 2, true) }, { name: 'at', type: T.timestampLtz(3, true) }];
    await env.registry.register(`${out}-value`, { schema: JSON.stringify(sqlColumnsToAvro(cols, 'out_value')) });
    const sink = new KafkaTopicSink({ topics: env.topics, registry: env.client, topic: out, changelogMode: 'append' });
    const { batchFromRows } = await import('../../../src/operators/index.ts');
    await sink.write(batchFromRows(cols, [[1, 'a', '12.50', 1000], [2, null, '-0.01', null]]));
    const fetched = await env.topics.fetch(out, 0, 0n);
    const de = new Deserializer(env.client);
    const decoded = await Promise.all(fetched.records.map((r) => de.deserialize(r.value!)));
    expect(decoded).toEqual([{ id: 1, item: 'a', amount: Buffer.from([0x04, 0xe2]), at: 1000 }, { id: 2, item: null, amount: Buffer.from([0xff]), at: null }]);
    // and the source reads the same rows back (decimal as text)
    const src = new KafkaTopicSource({ topics: env.topics, registry: env.client, topic: out, bounded: true,
      columns: cols.map((c) => ({ ...c, from: 'value' as const, field: c.name })) });
    expect((await drain(src)).flatMap((m) => (m.kind === 'batch' ? batchToRows(m.batch) : []))).toEqual([[1, 'a', '12.50', 1000], [2, null, '-0.01', null]]);
  });

  it('exactly-once: each checkpoint commits one transaction; restore commits the pre-committed one and aborts what came after', async () => {
    const out = randomTopic('eos');
    await env.topics.createTopic(out, { partitions: 2 });
    const cols = [{ name: 'id', type: T.bigint(false) }];
    await env.registry.register(`${out}-value`, { schema: JSON.stringify(sqlColumnsToAvro(cols, 'eos_value')) });
    const { batchFromRows } = await import('../../../src/operators/index.ts');
    const rows = (ids: number[]) => batchFromRows(cols, ids.map((i) => [i]));
    const committedIds = async () => {
      const src = new KafkaTopicSource({ topics: env.topics, registry: env.client, topic: out, bounded: true, columns: [{ ...cols[0], from: 'value', field: 'id' }] });
      return (await drain(src)).flatMap((m) => (m.kind === 'batch' ? batchToRows(m.batch).map((r) => r[0] as number) : [])).sort((a, b) => a - b);
    };
    const options = { topics: env.topics, registry: env.client, topic: out, changelogMode: 'append' as const, transactionalIdPrefix: `${out}-stmt` };
    const sink = new KafkaTopicSink(options);
    await sink.write(rows([1, 2]));
    expect(await committedIds()).toEqual([]);
    await sink.preCommit();
    const first = sink.pendingTransaction();
    expect(first?.transactionalId).toBe(`${out}-stmt-1`);
    await sink.commit(1);
    expect(await committedIds()).toEqual([1, 2]);
    await sink.write(rows([3]));
    await sink.preCommit();
    const second = sink.pendingTransaction()!;
    expect(second.transactionalId).toBe(`${out}-stmt-0`);
    await sink.commit(2);
    // Checkpoint 3's transaction is open when the process dies.
    await sink.write(rows([4]));
    expect(sink.pendingTransaction()?.transactionalId).toBe(`${out}-stmt-1`);
    const warnings: string[] = [];
    const restored = new KafkaTopicSink({ ...options, onWarning: (m) => warnings.push(m) });
    await restored.restore(2, second);
    expect(warnings).toEqual([]); // an EndTxn(commit) retry of a committed transaction succeeds
    expect(await committedIds()).toEqual([1, 2, 3]);
    // the zombie is fenced: its open transaction was aborted by the new epoch
    await expect(sink.write(rows([99]))).rejects.toMatchObject({ code: 47 });
    await restored.write(rows([5]));
    await restored.preCommit();
    await restored.commit(3);
    // A restore from checkpoint 2 again (a crash right now) finds its transaction's epoch gone.
    await new KafkaTopicSink({ ...options, onWarning: (m) => warnings.push(m) }).restore(2, second);
    expect(warnings).toEqual([expect.stringMatching(/already completed/)]);
    expect(await committedIds()).toEqual([1, 2, 3, 5]);
  });

  it('exactly-once restore commits a transaction whose checkpoint was stored but not committed', async () => {
    const out = randomTopic('eos-prepared');
    await env.topics.createTopic(out, { partitions: 1 });
    const cols = [{ name: 'id', type: T.bigint(false) }];
    await env.registry.register(`${out}-value`, { schema: JSON.stringify(sqlColumnsToAvro(cols, 'eosp_value')) });
    const { batchFromRows } = await import('../../../src/operators/index.ts');
    const options = { topics: env.topics, registry: env.client, topic: out, changelogMode: 'append' as const, transactionalIdPrefix: `${out}-stmt` };
    const sink = new KafkaTopicSink(options);
    await sink.write(batchFromRows(cols, [[7]]));
    await sink.preCommit();
    const pending = sink.pendingTransaction()!;
    // crash here: checkpoint 1 (with `pending`) is durable, commit(1) never ran
    const restored = new KafkaTopicSink(options);
    await restored.restore(1, pending);
    const src = new KafkaTopicSource({ topics: env.topics, registry: env.client, topic: out, bounded: true, columns: [{ ...cols[0], from: 'value', field: 'id' }] });
    expect((await drain(src)).flatMap((m) => (m.kind === 'batch' ? batchToRows(m.batch) : []))).toEqual([[7]]);
  });

  it('reads an upsert topic as a changelog: +U per record, -D per tombstone with the key columns from the key', async () => {
    const topic = randomTopic('products');
    await env.topics.createTopic(topic, { partitions: 1 });
    const keySchema = { type: 'record', name: 'PK', fields: [{ name: 'id', type: 'long' }, { name: 'region', type: 'string' }] };
    const valueSchema = { type: 'record', name: 'P', fields: [{ name: 'id', type: 'long' }, { name: 'name', type: 'string' }] };
    // `id` repeats in the value (read from there), `region` is only in the key.
    await produceAvro(env, topic, valueSchema, [{ id: 1, name: 'pen' }, { id: 2, name: 'ink' }], { keySchema, keys: [{ id: 1, region: 'eu' }, { id: 2, region: 'us' }] });
    const { Serializer } = await import('../../../src/schema-registry/index.ts');
    const key = await new Serializer(env.client, { schemaType: 'AVRO', schema: JSON.stringify(keySchema), isKey: true }).forTopic(topic);
    await env.topics.produce(topic, [{ key: key.encode({ id: 1, region: 'eu' }), value: null }, { key: null, value: null }]);
    const cols: SourceColumn[] = [
      { name: 'id', type: T.bigint(false), from: 'value', field: 'id' },
      { name: 'region', type: T.string(false), from: 'key', field: 'region' },
      { name: 'name', type: T.string(false), from: 'value', field: 'name' },
      { name: '$rowtime', type: T.timestampLtz(3, false), from: 'timestamp' },
    ];
    const src = new KafkaTopicSource({ topics: env.topics, registry: env.client, topic, columns: cols, bounded: true, deletes: { keyColumns: ['id', 'region'] } });
    expect(src.outputColumns.map((c) => c.name)).toEqual(['id', 'region', 'name', '$rowtime', '$row_kind']);
    const rows = (await drain(src)).flatMap((m) => (m.kind === 'batch' ? batchToRows(m.batch) : []));
    expect(rows.map((r) => [r[0], r[1], r[2], r[4]])).toEqual([[1, 'eu', 'pen', 2], [2, 'us', 'ink', 2], [1, 'eu', null, 3]]);
    expect(rows.every((r) => typeof r[3] === 'number')).toBe(true);
    // Without `deletes` a tombstone is no row.
    const plain = new KafkaTopicSource({ topics: env.topics, registry: env.client, topic, columns: cols, bounded: true });
    expect((await drain(plain)).flatMap((m) => (m.kind === 'batch' ? batchToRows(m.batch) : []))).toHaveLength(2);
    expect(() => new KafkaTopicSource({ topics: env.topics, registry: env.client, topic, columns: cols, deletes: { keyColumns: ['nope'] } })).toThrow(/primary key column 'nope'/);
  });

  it('writes updating results as an upsert topic: keys, values and tombstones', async () => {
    const out = randomTopic('upsert');
    await env.topics.createTopic(out, { partitions: 1, configs: { 'cleanup.policy': 'compact' } });
    const cols = [{ name: 'id', type: T.bigint(false) }, { name: 'cnt', type: T.bigint(false) }];
    await env.registry.register(`${out}-key`, { schema: JSON.stringify(sqlColumnsToAvro([cols[0]], 'out_key')) });
    await env.registry.register(`${out}-value`, { schema: JSON.stringify(sqlColumnsToAvro([cols[1]], 'out_value')) });
    const sink = new KafkaTopicSink({ topics: env.topics, registry: env.client, topic: out, changelogMode: 'upsert', keyColumns: ['id'] });
    const { batchFromRows } = await import('../../../src/operators/index.ts');
    await sink.write(batchFromRows(cols, [[1, 1], [1, 1], [1, 2], [2, 1], [2, 1]], [0, 1, 2, 0, 3]));
    const fetched = await env.topics.fetch(out, 0, 0n);
    const de = new Deserializer(env.client);
    const shown = await Promise.all(fetched.records.map(async (r) => [await de.deserialize(r.key!), r.value === null ? null : await de.deserialize(r.value)]));
    expect(shown).toEqual([[{ id: 1 }, { cnt: 1 }], [{ id: 1 }, { cnt: 2 }], [{ id: 2 }, { cnt: 1 }], [{ id: 2 }, null]]);
    // A -U whose +U a filter dropped retracts its key; a -U with a +U of another key too.
    await sink.write(batchFromRows(cols, [[1, 2], [3, 1], [3, 1], [4, 5]], [1, 0, 1, 2]));
    const more = await env.topics.fetch(out, 0, 4n);
    const after = await Promise.all(more.records.map(async (r) => [await de.deserialize(r.key!), r.value === null ? null : await de.deserialize(r.value)]));
    expect(after).toEqual([[{ id: 1 }, null], [{ id: 3 }, { cnt: 1 }], [{ id: 3 }, null], [{ id: 4 }, { cnt: 5 }]]);
    const append = new KafkaTopicSink({ topics: env.topics, registry: env.client, topic: out, changelogMode: 'append' });
    await expect(append.write(batchFromRows(cols, [[1, 1]], [2]))).rejects.toThrow(/append-only.*PRIMARY KEY/);
  });

  it('runs in a pipeline from topic to CollectSink', async () => {
    const topic = randomTopic('pipe');
    await env.topics.createTopic(topic, { partitions: 2 });
    await produceAvro(env, topic, orderSchema, Array.from({ length: 50 }, (_, i) => ({ id: i, item: 'x', price: Buffer.from([1]), ts: i })));
    const p = new Pipeline();
    const sink = new CollectSink();
    p.addSink(sink, p.addSource(new KafkaTopicSource({ topics: env.topics, registry: env.client, topic, columns: [columns[0]], bounded: true })));
    await p.run();
    expect(sink.batches.flatMap((b) => batchToRows(b)).map((r) => r[0]).sort((a, b) => (a as number) - (b as number))).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(sink.finished).toBe(true);
  });
});

describe('KafkaTopicSink request sizes', () => {
  let env: Env;
  beforeAll(async () => { env = await startEnv(); });
  afterAll(async () => { await env.stop(); });

  it('splits a large batch into produce requests under max.message.bytes', async () => {
    const out = randomTopic('big');
    await env.topics.createTopic(out, { partitions: 1 });
    const cols = [{ name: 'id', type: T.bigint(false) }, { name: 'text', type: T.string(false) }];
    await env.registry.register(`${out}-value`, { schema: JSON.stringify(sqlColumnsToAvro(cols, 'big_value')) });
    const sink = new KafkaTopicSink({ topics: env.topics, registry: env.client, topic: out, changelogMode: 'append' });
    const { batchFromRows } = await import('../../../src/operators/index.ts');
    const n = 3000;
    await sink.write(batchFromRows(cols, Array.from({ length: n }, (_, i) => [i, 'x'.repeat(1000)])));
    expect(sink.recordsWritten).toBe(n);
    expect((await env.topics.offsets(out, 0)).end).toBe(BigInt(n));
  });
});
