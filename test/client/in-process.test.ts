import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessTopicClient } from '../../src/client/in-process.ts';
import { encodeBatch } from '../../src/broker/protocol/record-batch.ts';
import { randomTopic, run, startTestBroker, type TestBroker } from '../helpers/broker.ts';

let tb: TestBroker;
beforeAll(async () => {
  tb = await startTestBroker();
});
afterAll(async () => {
  await tb?.stop();
});

describe('InProcessTopicClient', () => {
  it('returns data records and skips transaction markers', async () => {
    const client = new InProcessTopicClient(tb.broker);
    const topic = randomTopic('inproc');
    await client.createTopic(topic);
    await client.produce(topic, [{ key: Buffer.from('k'), value: Buffer.from('v1') }]);
    // A commit marker as the transaction coordinator writes it: control + transactional batch.
    const marker = await encodeBatch({
      records: [{ key: Buffer.from([0, 0, 0, 1]), value: Buffer.from([0, 0, 0, 0, 0, 0]) }],
      control: true,
      transactional: true,
      producerId: 77n,
      producerEpoch: 0,
    });
    tb.broker.topics.partition(topic, 0)!.append([marker]);
    await client.produce(topic, [{ key: Buffer.from('k'), value: Buffer.from('v2') }]);
    const { records, highWatermark } = await client.fetch(topic, 0, 0n);
    expect(highWatermark).toBe(3n);
    expect(records.map((r) => [r.offset, r.value?.toString()])).toEqual([
      [0n, 'v1'],
      [2n, 'v2'],
    ]);
  });

  it('moves nextOffset past a trailing marker, so a reader reaches the end of the log', async () => {
    const client = new InProcessTopicClient(tb.broker);
    const topic = randomTopic('inproc-tail');
    await client.createTopic(topic);
    const producer = await client.transactionalProducer(`${topic}-txn`);
    producer.begin();
    await producer.produce(topic, [{ key: null, value: Buffer.from('a') }]);
    await producer.commit();
    const first = await client.fetch(topic, 0, 0n, { isolationLevel: 'read_committed' });
    expect(first.records.map((r) => r.value?.toString())).toEqual(['a']);
    expect(first.nextOffset).toBe(2n);
    expect(first.highWatermark).toBe(2n);
    const again = await client.fetch(topic, 0, first.nextOffset, { isolationLevel: 'read_committed' });
    expect(again.records).toEqual([]);
    expect(again.nextOffset).toBe(2n);
  });
});

const values = (records: { value: Buffer | null }[]) => records.map((r) => r.value?.toString());

describe('InProcessTopicClient transactions', () => {
  it('read_committed stops at the last stable offset and drops aborted transactions; read_uncommitted sees everything', async () => {
    const client = new InProcessTopicClient(tb.broker);
    const topic = randomTopic('inproc-txn');
    await client.createTopic(topic);
    const p = await client.transactionalProducer(`${topic}-p`);
    p.begin();
    await p.produce(topic, [{ key: null, value: Buffer.from('c1') }, { key: null, value: Buffer.from('c2') }]);
    await p.commit();
    p.begin();
    await p.produce(topic, [{ key: null, value: Buffer.from('x1') }]);
    await p.abort();
    await client.produce(topic, [{ key: null, value: Buffer.from('plain') }]);
    p.begin();
    await p.produce(topic, [{ key: null, value: Buffer.from('open') }]);

    const committed = await client.fetch(topic, 0, 0n, { isolationLevel: 'read_committed' });
    expect(values(committed.records)).toEqual(['c1', 'c2', 'plain']);
    const lso = committed.lastStableOffset;
    expect(lso).toBe(6n); // c1 c2 commit-marker x1 abort-marker plain | open
    expect(committed.nextOffset).toBe(lso);
    expect((await client.offsets(topic, 0, 'read_committed')).end).toBe(lso);
    expect((await client.offsets(topic, 0)).end).toBe(7n);
    expect(values((await client.fetch(topic, 0, 0n)).records)).toEqual(['c1', 'c2', 'x1', 'plain', 'open']);

    // A read_committed fetch at the LSO waits for the open transaction to end.
    const waiting = client.fetch(topic, 0, lso, { isolationLevel: 'read_committed', maxWaitMs: 5_000 });
    await p.commit();
    expect(values((await waiting).records)).toEqual(['open']);
  });

  it('a new producer of the same transactional.id fences the old one and aborts its open transaction', async () => {
    const client = new InProcessTopicClient(tb.broker);
    const topic = randomTopic('inproc-fence');
    await client.createTopic(topic, { partitions: 2 });
    const old = await client.transactionalProducer('fence-me');
    old.begin();
    await old.produce(topic, [{ key: null, value: Buffer.from('zombie'), partition: 0 }, { key: null, value: Buffer.from('zombie'), partition: 1 }]);
    const next = await client.transactionalProducer('fence-me');
    expect(next.producerEpoch).toBe(old.producerEpoch + 1);
    await expect(old.produce(topic, [{ key: null, value: Buffer.from('late'), partition: 0 }])).rejects.toMatchObject({ code: 47 });
    await expect(old.commit()).rejects.toMatchObject({ code: 47 });
    next.begin();
    await next.produce(topic, [{ key: null, value: Buffer.from('fresh'), partition: 1 }]);
    await next.commit();
    const read = async (partition: number) => values((await client.fetch(topic, partition, 0n, { isolationLevel: 'read_committed' })).records);
    expect(await read(0)).toEqual([]);
    expect(await read(1)).toEqual(['fresh']);
  });

  it('commitPrepared finishes a transaction its producer left open, once', async () => {
    const client = new InProcessTopicClient(tb.broker);
    const topic = randomTopic('inproc-prepared');
    await client.createTopic(topic);
    const p = await client.transactionalProducer('prepared');
    p.begin();
    await p.produce(topic, [{ key: null, value: Buffer.from('pending') }]);
    const ref = { transactionalId: p.transactionalId, producerId: p.producerId, producerEpoch: p.producerEpoch };
    expect(values((await client.fetch(topic, 0, 0n, { isolationLevel: 'read_committed' })).records)).toEqual([]);
    expect(await client.commitPrepared(ref)).toBe('committed');
    expect(await client.commitPrepared(ref)).toBe('committed'); // an EndTxn retry succeeds again
    expect(values((await client.fetch(topic, 0, 0n, { isolationLevel: 'read_committed' })).records)).toEqual(['pending']);
    await client.transactionalProducer('prepared');
    expect(await client.commitPrepared(ref)).toBe('already-completed-or-fenced');
  });

  it('kcat with isolation.level=read_committed sees exactly the committed records of the in-process producer', async () => {
    const client = new InProcessTopicClient(tb.broker);
    const topic = randomTopic('inproc-kcat');
    await client.createTopic(topic);
    const p = await client.transactionalProducer(`${topic}-p`);
    for (const [v, commit] of [['one', true], ['two', false], ['three', true]] as const) {
      p.begin();
      await p.produce(topic, [{ key: null, value: Buffer.from(v) }]);
      await (commit ? p.commit() : p.abort());
    }
    p.begin();
    await p.produce(topic, [{ key: null, value: Buffer.from('open') }]);
    const res = await run('kcat', ['-b', tb.bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-f', '%s\\n', '-X', 'isolation.level=read_committed'], { timeoutMs: 60_000 });
    expect(res.code).toBe(0);
    expect(res.stdout.split('\n').filter((l) => l !== '')).toEqual(['one', 'three']);
    await p.abort();
  });
});
