/**
 * Transactions (KIP-98) with real clients: librdkafka's transactional producer through
 * python3-confluent-kafka and kafkajs's producer.transaction(). Committed records reach
 * read_committed consumers, aborted ones only read_uncommitted ones, group offsets sent in a
 * transaction appear only when it commits, a second producer with the same transactional.id
 * fences the first, and an open transaction holds read_committed readers at the LSO.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { clientsDir, debianPython, randomTopic, run, startTestBroker, type TestBroker } from '../helpers/broker.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { partitionTxns, txnIndexFile } from '../../src/broker/txn/index.ts';

let t: TestBroker;

beforeAll(async () => {
  t = await startTestBroker();
});
afterAll(async () => {
  await t.stop();
});

async function txnClient(...args: string[]): Promise<Record<string, unknown>> {
  const res = await run(debianPython, [clientsDir + 'txn_client.py', ...args], { timeoutMs: 60_000 });
  if (res.code !== 0) throw new Error(`txn_client.py ${args[0]} exited ${res.code}: ${res.stderr}`);
  return JSON.parse(res.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

function kafka(): Kafka {
  return new Kafka({ clientId: 'txn-test', brokers: [t.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 5 } });
}

const values = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

describe('python3-confluent-kafka (librdkafka) transactions', () => {
  it('commits and aborts over two partitions; read_committed sees only committed records', async () => {
    const topic = randomTopic('txn');
    await t.broker.topics.create(topic, 2, {}, false);
    const out = await txnClient('basic', t.bootstrap, topic);
    expect(out.committed).toEqual([...values('c1', 4), ...values('c2', 4)].sort());
    expect(out.uncommitted).toEqual([...values('a1', 4), ...values('c1', 4), ...values('c2', 4)].sort());
  }, 60_000);

  it('send_offsets_to_transaction commits the group offsets only when the transaction commits', async () => {
    const src = randomTopic('eos-in');
    const dst = randomTopic('eos-out');
    await t.broker.topics.create(src, 1, {}, false);
    await t.broker.topics.create(dst, 1, {}, false);
    const producer = kafka().producer();
    await producer.connect();
    await producer.send({ topic: src, messages: values('in', 5).map((value) => ({ value })) });
    await producer.disconnect();
    const group = randomTopic('eos-group');
    const aborted = await txnClient('eos', t.bootstrap, src, dst, group, '5', 'abort');
    expect(aborted).toEqual({ consumed: 5, committed: -1001 });
    const committed = await txnClient('eos', t.bootstrap, src, dst, group, '5', 'commit');
    expect(committed).toEqual({ consumed: 5, committed: 5 });
  }, 60_000);

  it('a second producer with the same transactional.id fences the first and aborts its transaction', async () => {
    const topic = randomTopic('zombie');
    await t.broker.topics.create(topic, 1, {}, false);
    const out = (await txnClient('zombie', t.bootstrap, topic)) as { fenced: { name: string; fatal: boolean } | null; committed: string[] };
    expect(out.fenced).not.toBeNull();
    expect(out.fenced!.fatal).toBe(true);
    expect(out.committed).toEqual(['winner']);
  }, 60_000);
});

describe('kafkajs transactions', () => {
  it('send, sendOffsets, commit and abort; the LSO holds read_committed consumers back', async () => {
    const topic = randomTopic('kjs-txn');
    const group = randomTopic('kjs-group');
    await t.broker.topics.create(topic, 1, {}, false);
    const client = kafka();
    const producer = client.producer({ transactionalId: `kjs-${topic}`, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();

    const first = await producer.transaction();
    await first.send({ topic, messages: values('committed', 3).map((value) => ({ value })) });
    await first.sendOffsets({ consumerGroupId: group, topics: [{ topic, partitions: [{ partition: 0, offset: '2' }] }] });
    // Open: the records are in the log but read_committed readers stop before them (the LSO).
    const log = t.broker.topics.partition(topic, 0)!;
    expect(log.logEndOffset).toBe(3n);
    const admin = client.admin();
    await admin.connect();
    // kafkajs's ListOffsets asks with read_committed: "latest" is the LSO.
    expect(await admin.fetchTopicOffsets(topic)).toMatchObject([{ partition: 0, high: '0' }]);
    expect(await admin.fetchOffsets({ groupId: group, topics: [topic] })).toEqual([{ topic, partitions: [{ partition: 0, offset: '-1', metadata: null }] }]);
    const seen: string[] = [];
    let wanted = 0;
    let reached: () => void = () => {};
    const consumer = client.consumer({ groupId: randomTopic('kjs-reader'), readUncommitted: false, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        seen.push(message.value!.toString());
        if (seen.length >= wanted) reached();
      },
    });
    const readUpTo = (n: number) =>
      new Promise<void>((resolve, reject) => {
        wanted = n;
        const timer = setTimeout(() => reject(new Error(`read_committed saw only ${JSON.stringify(seen)}`)), 20_000);
        reached = () => {
          clearTimeout(timer);
          resolve();
        };
        if (seen.length >= n) reached();
      });
    await new Promise((r) => setTimeout(r, 1500));
    expect(seen).toEqual([]);
    await first.commit();
    await readUpTo(3);
    expect(await admin.fetchTopicOffsets(topic)).toMatchObject([{ partition: 0, high: '4' }]);
    expect(await admin.fetchOffsets({ groupId: group, topics: [topic] })).toEqual([{ topic, partitions: [{ partition: 0, offset: '2', metadata: null }] }]);

    const second = await producer.transaction();
    await second.send({ topic, messages: values('aborted', 2).map((value) => ({ value })) });
    await second.sendOffsets({ consumerGroupId: group, topics: [{ topic, partitions: [{ partition: 0, offset: '4' }] }] });
    await second.abort();
    expect(await admin.fetchOffsets({ groupId: group, topics: [topic] })).toEqual([{ topic, partitions: [{ partition: 0, offset: '2', metadata: null }] }]);

    const third = await producer.transaction();
    await third.send({ topic, messages: [{ value: 'last' }] });
    await third.commit();
    await producer.disconnect();

    await readUpTo(4);
    await consumer.disconnect();
    await admin.disconnect();
    expect(seen).toEqual([...values('committed', 3), 'last']);
  }, 60_000);

  it('aborts a transaction past its timeout and fences its producer', async () => {
    const topic = randomTopic('timeout');
    await t.broker.topics.create(topic, 1, {}, false);
    const transactionalId = `timeout-${topic}`;
    const producer = kafka().producer({ transactionalId, idempotent: true, maxInFlightRequests: 1, transactionTimeout: 1000 });
    await producer.connect();
    const txn = await producer.transaction();
    await txn.send({ topic, messages: [{ value: 'late' }] });
    const epoch = t.broker.transactions.get(transactionalId)!.producerEpoch;
    await new Promise((r) => setTimeout(r, 2500));
    expect(t.broker.transactions.get(transactionalId)).toMatchObject({ state: 'CompleteAbort', producerEpoch: epoch + 1 });
    await expect(txn.commit()).rejects.toThrow();
    await producer.disconnect();
    const txns = partitionTxns(t.broker.topics.partition(topic, 0)!);
    await txns.sync();
    expect(txns.abortedBetween(0n, 10n)).toHaveLength(1);
  }, 20_000);

  it('InitProducerId refuses a timeout above transaction.max.timeout.ms', async () => {
    const result = await t.broker.transactions.initProducerId(randomTopic('too-long'), 15 * 60 * 1000 + 1);
    expect(result.errorCode).toBe(50); // INVALID_TRANSACTION_TIMEOUT
  });

  it('keeps the transaction log and the aborted index across a restart', async () => {
    const topic = randomTopic('restart');
    await t.broker.topics.create(topic, 1, {}, false);
    const producer = kafka().producer({ transactionalId: `restart-${topic}`, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const aborted = await producer.transaction();
    await aborted.send({ topic, messages: [{ value: 'gone' }] });
    await aborted.abort();
    const kept = await producer.transaction();
    await kept.send({ topic, messages: [{ value: 'kept' }] });
    await kept.commit();
    await producer.disconnect();
    const before = t.broker.transactions.get(`restart-${topic}`)!;
    const epoch = before.producerEpoch;
    await partitionTxns(t.broker.topics.partition(topic, 0)!).sync();
    await t.restart();
    // The clean stop saved the partition's transaction state beside its log.
    expect(existsSync(join(t.broker.topics.partition(topic, 0)!.dir, txnIndexFile))).toBe(true);
    expect(t.broker.transactions.get(`restart-${topic}`)).toMatchObject({ producerEpoch: epoch, state: 'CompleteCommit' });
    const log = t.broker.topics.partition(topic, 0)!;
    const txns = partitionTxns(log);
    await txns.sync();
    expect(txns.lastStableOffset).toBe(log.logEndOffset);
    expect(txns.abortedBetween(0n, log.logEndOffset)).toEqual([{ producerId: before.producerId, firstOffset: 0n, lastOffset: 1n }]);
  });
});
