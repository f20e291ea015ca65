/**
 * Produce and InitProducerId beyond the grammar round trips: hand-made v3 bytes, records kept as
 * a view of the request, defaults and error responses.
 */
import { describe, expect, it } from 'vitest';
import { initProducerIdApi, produceApi } from '../../../src/broker/apis/produce/index.ts';
import type { ProduceRequest } from '../../../src/broker/apis/produce/index.ts';
import { encodeBatch } from '../../../src/broker/protocol/record-batch.ts';
import { Reader } from '../../../src/broker/protocol/reader.ts';
import { Writer } from '../../../src/broker/protocol/writer.ts';

const produceV3 = produceApi.codecs[0];
const produceV7 = produceApi.codecs[4];

describe('Produce', () => {
  it('v3: decodes hand-made bytes, keeping records as a view of the request (no copy)', async () => {
    const batch = await encodeBatch({ records: [{ key: null, value: Buffer.from('hello') }] });
    const w = new Writer()
      .int16(-1) // transactional_id: null
      .int16(-1) // acks
      .int32(30000) // timeout_ms
      .int32(1) // [topic_data]
      .string('orders')
      .int32(1) // [partition_data]
      .int32(2) // index
      .bytes(batch); // records
    const bytes = w.toBuffer();
    const req = produceV3.decodeRequest(new Reader(bytes));
    expect(req).toEqual({ transactionalId: null, acks: -1, timeoutMs: 30000, topicData: [{ name: 'orders', partitionData: [{ index: 2, records: batch }] }] });
    const records = req.topicData[0].partitionData[0].records!;
    expect(records.buffer).toBe(bytes.buffer);
  });

  it('v7: a null records field decodes to null', () => {
    const w = new Writer().string('tx').int16(1).int32(5).int32(1).string('t').int32(1).int32(0).int32(-1);
    expect(produceV7.decodeRequest(new Reader(w.toBuffer())).topicData[0].partitionData[0].records).toBeNull();
  });

  it('v7: writes log_start_offset -1 when the response leaves it out', () => {
    const w = new Writer();
    produceV7.encodeResponse(w, {
      responses: [{ name: 't', partitionResponses: [{ index: 0, errorCode: 0, baseOffset: 42n, logAppendTimeMs: -1n }] }],
      throttleTimeMs: 0,
    });
    const r = new Reader(w.toBuffer());
    const topics = r.array((x) => [x.string(), x.array((p) => [p.int32(), p.int16(), p.int64(), p.int64(), p.int64()])]);
    expect(topics).toEqual([['t', [[0, 0, 42n, -1n, -1n]]]]);
    expect(r.int32()).toBe(0);
    expect(r.remaining).toBe(0);
  });

  it('error response answers every partition', () => {
    const req: ProduceRequest = {
      transactionalId: null,
      acks: 1,
      timeoutMs: 1,
      topicData: [{ name: 'a', partitionData: [{ index: 0, records: null }, { index: 3, records: null }] }],
    };
    const res = produceApi.errorResponse(req, 6);
    expect(res.responses[0].partitionResponses.map((p) => [p.index, p.errorCode, p.baseOffset])).toEqual([
      [0, 6, -1n],
      [3, 6, -1n],
    ]);
  });
});

describe('InitProducerId', () => {
  it('v0 and v1 read a null transactional id and write the producer id as INT64', () => {
    for (const codec of initProducerIdApi.codecs) {
      const req = codec.decodeRequest(new Reader(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff])));
      expect(req).toEqual({ transactionalId: null, transactionTimeoutMs: -1 });
      const w = new Writer();
      codec.encodeResponse(w, { throttleTimeMs: 0, errorCode: 0, producerId: 2n ** 40n, producerEpoch: 3 });
      expect([...w.toBuffer()]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3]);
    }
  });

  it('error response has no producer id', () => {
    expect(initProducerIdApi.errorResponse({ transactionalId: 'x', transactionTimeoutMs: 1 }, 15)).toEqual({
      throttleTimeMs: 0,
      errorCode: 15,
      producerId: -1n,
      producerEpoch: -1,
    });
  });
});
