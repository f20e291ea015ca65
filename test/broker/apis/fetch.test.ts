/**
 * Fetch and ListOffsets beyond the grammar round trips: record data attached without a copy,
 * defaults, the v0 offsets list, and error responses.
 */
import { describe, expect, it } from 'vitest';
import { fetchApi, listOffsetsApi } from '../../../src/broker/apis/fetch/index.ts';
import type { FetchRequest, FetchResponse, ListOffsetsRequest } from '../../../src/broker/apis/fetch/index.ts';
import { Reader } from '../../../src/broker/protocol/reader.ts';
import { Writer } from '../../../src/broker/protocol/writer.ts';

const fetchCodec = (v: number) => fetchApi.codecs[v - 4];
const listOffsetsCodec = (v: number) => listOffsetsApi.codecs[v];

describe('Fetch', () => {
  it('v4: decodes hand-made bytes', () => {
    const w = new Writer().int32(-1).int32(500).int32(1).int32(52428800).int8(1);
    w.int32(1).string('t').int32(1).int32(0).int64(17n).int32(1048576);
    expect(fetchCodec(4).decodeRequest(new Reader(w.toBuffer()))).toEqual({
      replicaId: -1,
      maxWaitMs: 500,
      minBytes: 1,
      maxBytes: 52428800,
      isolationLevel: 1,
      topics: [{ topic: 't', partitions: [{ partition: 0, fetchOffset: 17n, partitionMaxBytes: 1048576 }] }],
    });
  });

  it('v11: attaches large record data by reference', () => {
    const records = Buffer.alloc(64 * 1024, 7);
    const res: FetchResponse = {
      throttleTimeMs: 0,
      responses: [
        {
          topic: 't',
          partitions: [{ partitionIndex: 0, errorCode: 0, highWatermark: 10n, lastStableOffset: 10n, abortedTransactions: null, records }],
        },
      ],
    };
    const w = new Writer();
    fetchCodec(11).encodeResponse(w, res);
    expect(w.toChunks()).toContain(records);
    const r = new Reader(w.toBuffer());
    expect([r.int32(), r.int16(), r.int32()]).toEqual([0, 0, 0]); // throttle, error_code, session_id defaults
    expect(r.int32()).toBe(1);
    expect(r.string()).toBe('t');
    expect(r.int32()).toBe(1);
    expect([r.int32(), r.int16(), r.int64(), r.int64(), r.int64()]).toEqual([0, 0, 10n, 10n, -1n]);
    expect(r.nullableArray((x) => x.int64())).toBeNull();
    expect(r.int32()).toBe(-1); // preferred_read_replica
    expect(r.nullableBytes()).toEqual(records);
    expect(r.remaining).toBe(0);
  });

  it('writes null records as length -1', () => {
    const w = new Writer();
    fetchCodec(4).encodeResponse(w, {
      throttleTimeMs: 0,
      responses: [{ topic: 't', partitions: [{ partitionIndex: 0, errorCode: 1, highWatermark: -1n, lastStableOffset: -1n, abortedTransactions: [], records: null }] }],
    });
    expect([...w.toBuffer().subarray(-8)]).toEqual([0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
  });

  it('error response answers every partition and the session', () => {
    const req: FetchRequest = {
      replicaId: -1,
      maxWaitMs: 1,
      minBytes: 1,
      maxBytes: 1,
      isolationLevel: 0,
      topics: [{ topic: 'a', partitions: [{ partition: 2, fetchOffset: 0n, partitionMaxBytes: 1 }] }],
    };
    const res = fetchApi.errorResponse(req, 70);
    expect(res.errorCode).toBe(70);
    expect(res.responses[0].partitions[0]).toMatchObject({ partitionIndex: 2, errorCode: 70, records: Buffer.alloc(0) });
  });
});

describe('ListOffsets', () => {
  it('v0: writes a handler\'s single offset as a one-element offsets list', () => {
    const w = new Writer();
    listOffsetsCodec(0).encodeResponse(w, {
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, errorCode: 0, offset: 5n, timestamp: -1n }, { partitionIndex: 1, errorCode: 3 }] }],
    });
    const r = new Reader(w.toBuffer());
    const topics = r.array((x) => [x.string(), x.array((p) => [p.int32(), p.int16(), p.array((o) => o.int64())])]);
    expect(topics).toEqual([['t', [[0, 0, [5n]], [1, 3, []]]]]);
  });

  it('v5: decodes hand-made bytes', () => {
    const w = new Writer().int32(-1).int8(1).int32(1).string('t').int32(1).int32(0).int32(4).int64(-2n);
    const req = listOffsetsCodec(5).decodeRequest(new Reader(w.toBuffer()));
    expect(req).toEqual({ replicaId: -1, isolationLevel: 1, topics: [{ name: 't', partitions: [{ partitionIndex: 0, currentLeaderEpoch: 4, timestamp: -2n }] }] });
  });

  it('error response answers every partition', () => {
    const req: ListOffsetsRequest = { replicaId: -1, topics: [{ name: 't', partitions: [{ partitionIndex: 1, timestamp: -1n }] }] };
    expect(listOffsetsApi.errorResponse(req, 6).topics[0].partitions).toEqual([
      { partitionIndex: 1, errorCode: 6, timestamp: -1n, offset: -1n, leaderEpoch: -1 },
    ]);
  });
});
