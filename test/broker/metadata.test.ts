/**
 * Topic metadata and consumer offsets are state the broker keeps in its internal logs: they
 * must survive restarts (configs, partition counts, topic ids, deletions, committed offsets).
 * Topics are auto-created on first produce and on Metadata when `auto.create.topics.enable` is
 * on (and the request allows it); with it off, producers get UNKNOWN_TOPIC_OR_PARTITION.
 */
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKey } from '../../src/broker/apis/api.ts';
import { ErrorCode } from '../../src/broker/protocol/error-codes.ts';
import { encodeBatch } from '../../src/broker/protocol/record-batch.ts';
import type { Reader } from '../../src/broker/protocol/reader.ts';
import { clientsDir, debianPython, randomTopic, run, startTestBroker, type TestBroker } from '../helpers/broker.ts';
import { confluentPython, kafkajs, kcat } from '../helpers/clients.ts';
import { RawConnection, readArray } from '../helpers/raw-kafka.ts';

let tb: TestBroker;
let closedTb: TestBroker;
beforeAll(async () => {
  [tb, closedTb] = await Promise.all([startTestBroker({ defaultPartitions: 3 }), startTestBroker({ autoCreateTopics: false })]);
});
afterAll(async () => {
  await tb?.stop();
  await closedTb?.stop();
});

function client(bootstrap: string): Kafka {
  return new Kafka({ clientId: 'metadata-test', brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 2, initialRetryTime: 50 } });
}

describe('state that survives restarts', () => {
  it('keeps topics with their ids, partition counts and configs, forgets deleted ones, and keeps committed offsets', async () => {
    const admin = client(tb.bootstrap).admin();
    await admin.connect();
    const kept = randomTopic('kept');
    const grown = randomTopic('grown');
    const doomed = randomTopic('doomed');
    const group = randomTopic('group');
    try {
      await admin.createTopics({
        waitForLeaders: false,
        topics: [
          { topic: kept, numPartitions: 2, configEntries: [{ name: 'retention.ms', value: '123456' }, { name: 'cleanup.policy', value: 'compact' }] },
          { topic: grown, numPartitions: 1 },
          { topic: doomed, numPartitions: 1 },
        ],
      });
      await admin.createPartitions({ topicPartitions: [{ topic: grown, count: 5 }] });
      await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: grown, configEntries: [{ name: 'max.message.bytes', value: '5000' }] }] });
      await admin.deleteTopics({ topics: [doomed] });
    } finally {
      await admin.disconnect();
    }
    // Commit real offsets with a real consumer too.
    await kafkajs.produce(tb.bootstrap, kept, Array.from({ length: 6 }, (_, i) => ({ key: `k${i}`, value: `v${i}`, partition: i % 2 })));
    await kafkajs.consume(tb.bootstrap, kept, 6, { group });
    const ids = new Map([kept, grown].map((t) => [t, tb.broker.topics.get(t)!.id.toString('hex')]));

    for (let restart = 0; restart < 2; restart++) {
      await tb.restart();
      for (const [t, id] of ids) expect(tb.broker.topics.get(t)!.id.toString('hex')).toBe(id);
      expect(tb.broker.topics.get(doomed)).toBeUndefined();
      const a = client(tb.bootstrap).admin();
      await a.connect();
      try {
        const { topics } = await a.fetchTopicMetadata({ topics: [kept, grown] });
        expect(topics.map((t) => [t.name, t.partitions.length]).sort()).toEqual([
          [kept, 2],
          [grown, 5],
        ].sort());
        expect(await a.listTopics()).not.toContain(doomed);
        const res = await a.describeConfigs({
          includeSynonyms: false,
          resources: [
            { type: ConfigResourceTypes.TOPIC, name: kept, configNames: ['retention.ms', 'cleanup.policy'] },
            { type: ConfigResourceTypes.TOPIC, name: grown, configNames: ['max.message.bytes'] },
          ],
        });
        const values = res.resources.map((r) => Object.fromEntries(r.configEntries.map((e) => [e.configName, e.configValue])));
        expect(values).toEqual([{ 'retention.ms': '123456', 'cleanup.policy': 'compact' }, { 'max.message.bytes': '5000' }]);
        const [offsets] = await a.fetchOffsets({ groupId: group, topics: [kept] });
        expect(offsets.partitions.map((p) => [p.partition, p.offset]).sort()).toEqual([
          [0, '3'],
          [1, '3'],
        ]);
      } finally {
        await a.disconnect();
      }
    }
    // The deleted topic's name can be used again, for a new, empty topic.
    await tb.broker.topics.create(doomed, 1);
    expect(tb.broker.topics.get(doomed)!.partitions[0].logEndOffset).toBe(0n);
  });
});

/** Metadata v4 for one topic with allow_auto_topic_creation; returns the topic's error code and partition count. */
async function metadataV4(bootstrap: string, topic: string, allowAutoTopicCreation: boolean): Promise<{ errorCode: number; partitions: number }> {
  const c = await RawConnection.open(bootstrap);
  try {
    const r = await c.call(ApiKey.Metadata, 4, (w) => w.int32(1).string(topic).bool(allowAutoTopicCreation));
    r.int32(); // throttle_time_ms
    readArray(r, (x) => [x.int32(), x.string(), x.int32(), x.nullableString()]);
    r.nullableString(); // cluster_id
    r.int32(); // controller_id
    const [t] = readArray(r, (x: Reader) => ({
      errorCode: x.int16(),
      name: x.string(),
      isInternal: x.bool(),
      // v4: error_code, partition_index, leader_id, replica_nodes, isr_nodes.
      partitions: readArray(x, (y) => [y.int16(), y.int32(), y.int32(), readArray(y, (z) => z.int32()), readArray(y, (z) => z.int32())]),
    }));
    return { errorCode: t.errorCode, partitions: t.partitions.length };
  } finally {
    c.destroy();
  }
}

describe('auto-creation on', () => {
  for (const producer of [kcat, confluentPython, kafkajs]) {
    it(`creates a topic on first produce (${producer.name})`, async () => {
      const topic = randomTopic(`auto-${producer.name}`);
      await producer.produce(tb.bootstrap, topic, [{ key: 'k', value: 'v' }]);
      expect(tb.broker.topics.get(topic)?.partitions.length).toBe(3);
      expect((await kcat.consume(tb.bootstrap, topic, 1)).map((r) => r.value)).toEqual(['v']);
    });
  }

  it('creates a topic on Metadata when the request allows it, and not otherwise', async () => {
    const refused = randomTopic('meta-no');
    expect(await metadataV4(tb.bootstrap, refused, false)).toEqual({ errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, partitions: 0 });
    expect(tb.broker.topics.get(refused)).toBeUndefined();
    const allowed = randomTopic('meta-yes');
    expect(await metadataV4(tb.bootstrap, allowed, true)).toEqual({ errorCode: ErrorCode.NONE, partitions: 3 });
    expect(tb.broker.topics.get(allowed)).toBeDefined();
  });

  it('does not auto-create an illegal name', async () => {
    const res = await metadataV4(tb.bootstrap, 'no/slashes', true);
    expect(res.errorCode).toBe(ErrorCode.INVALID_TOPIC_EXCEPTION);
  });
});

describe('auto-creation off (auto.create.topics.enable=false)', () => {
  it('Metadata answers UNKNOWN_TOPIC_OR_PARTITION even when the request allows creation', async () => {
    const topic = randomTopic('closed-meta');
    expect(await metadataV4(closedTb.bootstrap, topic, true)).toEqual({ errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, partitions: 0 });
    expect(closedTb.broker.topics.get(topic)).toBeUndefined();
  });

  it('a Produce request gets UNKNOWN_TOPIC_OR_PARTITION', async () => {
    const topic = randomTopic('closed-produce');
    const c = await RawConnection.open(closedTb.bootstrap);
    try {
      const batch = await encodeBatch({ records: [{ key: null, value: Buffer.from('v') }] });
      const r = await c.call(ApiKey.Produce, 7, (w) => w.nullableString(null).int16(-1).int32(5000).int32(1).string(topic).int32(1).int32(0).nullableBytes(batch));
      const [t] = readArray(r, (x) => ({ name: x.string(), partitions: readArray(x, (y) => ({ index: y.int32(), errorCode: y.int16(), rest: y.raw(24) })) }));
      expect(t.partitions[0].errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    } finally {
      c.destroy();
    }
    expect(closedTb.broker.topics.get(topic)).toBeUndefined();
  });

  it('librdkafka (python3-confluent-kafka) reports an unknown topic', async () => {
    const topic = randomTopic('closed-rdkafka');
    const config = { 'topic.metadata.propagation.max.ms': 500, 'message.timeout.ms': 5000 };
    const res = await run(debianPython, [clientsDir + 'confluent_client.py', 'produce', closedTb.bootstrap, topic, JSON.stringify(config)], {
      input: JSON.stringify({ key: 'k', value: 'v' }),
      timeoutMs: 30_000,
    });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/Unknown topic/i);
    expect(closedTb.broker.topics.get(topic)).toBeUndefined();
  });

  it('kafkajs gets UNKNOWN_TOPIC_OR_PARTITION', async () => {
    const topic = randomTopic('closed-kafkajs');
    const producer = client(closedTb.bootstrap).producer({ allowAutoTopicCreation: true });
    await producer.connect();
    try {
      await expect(producer.send({ topic, messages: [{ value: 'v' }] })).rejects.toMatchObject({ cause: { type: 'UNKNOWN_TOPIC_OR_PARTITION' } });
    } finally {
      await producer.disconnect();
    }
    expect(closedTb.broker.topics.get(topic)).toBeUndefined();
  });
});
