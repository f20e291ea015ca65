/**
 * The transaction APIs beyond the grammar round trips: hand-made bytes for the lowest and
 * highest versions and error responses.
 */
import { describe, expect, it } from 'vitest';
import { addOffsetsToTxnApi, addPartitionsToTxnApi, endTxnApi, txnOffsetCommitApi } from '../../../src/broker/apis/txn/index.ts';
import { Reader } from '../../../src/broker/protocol/reader.ts';
import { Writer } from '../../../src/broker/protocol/writer.ts';

describe('AddPartitionsToTxn', () => {
  const req = { transactionalId: 'tx', producerId: 7n, producerEpoch: 1, topics: [{ name: 't', partitions: [0, 2] }] };

  it('v0 and v2 decode hand-made bytes', () => {
    const bytes = new Writer().string('tx').int64(7n).int16(1).int32(1).string('t').int32(2).int32(0).int32(2).toBuffer();
    for (const codec of [addPartitionsToTxnApi.codecs[0], addPartitionsToTxnApi.codecs[2]]) {
      expect(codec.decodeRequest(new Reader(bytes))).toEqual(req);
    }
  });

  it('error response answers every partition', () => {
    expect(addPartitionsToTxnApi.errorResponse(req, 51)).toEqual({
      throttleTimeMs: 0,
      resultsByTopic: [{ name: 't', resultsByPartition: [{ partitionIndex: 0, partitionErrorCode: 51 }, { partitionIndex: 2, partitionErrorCode: 51 }] }],
    });
  });
});

describe('AddOffsetsToTxn and EndTxn', () => {
  it('decode hand-made bytes at v0 and v2', () => {
    const add = new Writer().string('tx').int64(7n).int16(1).string('g').toBuffer();
    const end = new Writer().string('tx').int64(7n).int16(1).bool(true).toBuffer();
    for (const v of [0, 2]) {
      expect(addOffsetsToTxnApi.codecs[v].decodeRequest(new Reader(add))).toEqual({ transactionalId: 'tx', producerId: 7n, producerEpoch: 1, groupId: 'g' });
      expect(endTxnApi.codecs[v].decodeRequest(new Reader(end))).toEqual({ transactionalId: 'tx', producerId: 7n, producerEpoch: 1, committed: true });
    }
  });

  it('encode throttle then error code', () => {
    const w = new Writer();
    endTxnApi.codecs[2].encodeResponse(w, endTxnApi.errorResponse({ transactionalId: 'tx', producerId: 1n, producerEpoch: 0, committed: false }, 48));
    expect([...w.toBuffer()]).toEqual([0, 0, 0, 0, 0, 48]);
    expect(addOffsetsToTxnApi.errorResponse({ transactionalId: 'tx', producerId: 1n, producerEpoch: 0, groupId: 'g' }, 90)).toEqual({ throttleTimeMs: 0, errorCode: 90 });
  });
});

describe('TxnOffsetCommit', () => {
  it('v0 has no leader epoch; v2 reads it before the metadata', () => {
    const head = () => new Writer().string('tx').string('g').int64(7n).int16(1).int32(1).string('t').int32(1).int32(0).int64(42n);
    const v0 = head().nullableString(null).toBuffer();
    const v2 = head().int32(3).nullableString('m').toBuffer();
    expect(txnOffsetCommitApi.codecs[0].decodeRequest(new Reader(v0)).topics[0].partitions).toEqual([
      { partitionIndex: 0, committedOffset: 42n, committedMetadata: null },
    ]);
    expect(txnOffsetCommitApi.codecs[2].decodeRequest(new Reader(v2)).topics[0].partitions).toEqual([
      { partitionIndex: 0, committedOffset: 42n, committedLeaderEpoch: 3, committedMetadata: 'm' },
    ]);
  });

  it('error response answers every partition', () => {
    const res = txnOffsetCommitApi.errorResponse(
      { transactionalId: 'tx', groupId: 'g', producerId: 1n, producerEpoch: 0, topics: [{ name: 't', partitions: [{ partitionIndex: 4, committedOffset: 1n, committedMetadata: null }] }] },
      16,
    );
    expect(res.topics).toEqual([{ name: 't', partitions: [{ partitionIndex: 4, errorCode: 16 }] }]);
  });
});
