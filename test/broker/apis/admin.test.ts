/**
 * CreateTopics, DeleteTopics, CreatePartitions and DeleteRecords beyond the grammar round trips:
 * hand-made bytes for the lowest and highest versions, defaults and error responses.
 */
import { describe, expect, it } from 'vitest';
import { createPartitionsApi, createTopicsApi, deleteRecordsApi, deleteTopicsApi } from '../../../src/broker/apis/admin/index.ts';
import { Reader } from '../../../src/broker/protocol/reader.ts';
import { Writer } from '../../../src/broker/protocol/writer.ts';

function createTopicsBody(validateOnly: boolean | null): Buffer {
  const w = new Writer().int32(1).string('t').int32(-1).int16(-1);
  w.int32(1).int32(0).int32(2).int32(1).int32(2); // [assignments]: partition 0 on brokers 1, 2
  w.int32(1).string('cleanup.policy').nullableString(null); // [configs]
  w.int32(60000);
  if (validateOnly !== null) w.bool(validateOnly);
  return w.toBuffer();
}

describe('CreateTopics', () => {
  const topic = {
    name: 't',
    numPartitions: -1,
    replicationFactor: -1,
    assignments: [{ partitionIndex: 0, brokerIds: [1, 2] }],
    configs: [{ name: 'cleanup.policy', value: null }],
  };

  it('v0 and v4 decode hand-made bytes', () => {
    expect(createTopicsApi.codecs[0].decodeRequest(new Reader(createTopicsBody(null)))).toEqual({ topics: [topic], timeoutMs: 60000 });
    expect(createTopicsApi.codecs[4].decodeRequest(new Reader(createTopicsBody(true)))).toEqual({ topics: [topic], timeoutMs: 60000, validateOnly: true });
  });

  it('v4 writes throttle 0 and a null message by default; v0 writes neither', () => {
    const res = { topics: [{ name: 't', errorCode: 36 }] };
    const w4 = new Writer();
    createTopicsApi.codecs[4].encodeResponse(w4, res);
    expect([...w4.toBuffer()]).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0x74, 0, 36, 0xff, 0xff]);
    const w0 = new Writer();
    createTopicsApi.codecs[0].encodeResponse(w0, res);
    expect([...w0.toBuffer()]).toEqual([0, 0, 0, 1, 0, 1, 0x74, 0, 36]);
  });

  it('error response answers every topic', () => {
    const res = createTopicsApi.errorResponse({ topics: [topic], timeoutMs: 1 }, 41);
    expect(res.topics).toEqual([{ name: 't', errorCode: 41, errorMessage: null }]);
  });
});

describe('DeleteTopics', () => {
  it('v0 and v3 decode hand-made bytes', () => {
    const bytes = new Writer().int32(2).string('a').string('b').int32(1000).toBuffer();
    for (const codec of [deleteTopicsApi.codecs[0], deleteTopicsApi.codecs[3]]) {
      expect(codec.decodeRequest(new Reader(bytes))).toEqual({ topicNames: ['a', 'b'], timeoutMs: 1000 });
    }
  });

  it('error response answers every topic', () => {
    expect(deleteTopicsApi.errorResponse({ topicNames: ['a'], timeoutMs: 1 }, 73).responses).toEqual([{ name: 'a', errorCode: 73 }]);
  });
});

describe('CreatePartitions', () => {
  it('v0 and v1 decode null and explicit assignments', () => {
    const w = new Writer().int32(2);
    w.string('a').int32(4).int32(-1);
    w.string('b').int32(3).int32(1).int32(1).int32(7);
    w.int32(500).bool(false);
    for (const codec of createPartitionsApi.codecs) {
      expect(codec.decodeRequest(new Reader(w.toBuffer()))).toEqual({
        topics: [
          { name: 'a', count: 4, assignments: null },
          { name: 'b', count: 3, assignments: [{ brokerIds: [7] }] },
        ],
        timeoutMs: 500,
        validateOnly: false,
      });
    }
  });

  it('error response answers every topic', () => {
    const res = createPartitionsApi.errorResponse({ topics: [{ name: 'a', count: 2, assignments: null }], timeoutMs: 1, validateOnly: false }, 37);
    expect(res.results).toEqual([{ name: 'a', errorCode: 37, errorMessage: null }]);
  });
});

describe('DeleteRecords', () => {
  it('v0 and v1 decode hand-made bytes', () => {
    const bytes = new Writer().int32(1).string('t').int32(1).int32(0).int64(-1n).int32(30000).toBuffer();
    for (const codec of deleteRecordsApi.codecs) {
      expect(codec.decodeRequest(new Reader(bytes))).toEqual({ topics: [{ name: 't', partitions: [{ partitionIndex: 0, offset: -1n }] }], timeoutMs: 30000 });
    }
  });

  it('error response answers every partition', () => {
    const res = deleteRecordsApi.errorResponse({ topics: [{ name: 't', partitions: [{ partitionIndex: 2, offset: 5n }] }], timeoutMs: 1 }, 3);
    expect(res.topics[0].partitions).toEqual([{ partitionIndex: 2, lowWatermark: -1n, errorCode: 3 }]);
  });
});
