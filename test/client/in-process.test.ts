import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessTopicClient } from '../../src/client/in-process.ts';
import { encodeBatch } from '../../src/broker/protocol/record-batch.ts';
import { randomTopic, startTestBroker, type TestBroker } from '../helpers/broker.ts';

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
});
