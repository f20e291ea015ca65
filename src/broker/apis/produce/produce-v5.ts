/**
 * Produce v5 (apiKey 0): the request is v3's; the response adds each partition's log start
 * offset, which lets clients tell a real sequence gap from records deleted by retention.
 *
 *   Produce Request (Version: 5) => transactional_id acks timeout_ms [topic_data]
 *     transactional_id => NULLABLE_STRING
 *     acks => INT16
 *     timeout_ms => INT32
 *     topic_data => name [partition_data]
 *       name => STRING
 *       partition_data => index records
 *         index => INT32
 *         records => RECORDS
 *
 *   Produce Response (Version: 5) => [responses] throttle_time_ms
 *     responses => name [partition_responses]
 *       name => STRING
 *       partition_responses => index error_code base_offset log_append_time_ms log_start_offset
 *         index => INT32
 *         error_code => INT16
 *         base_offset => INT64
 *         log_append_time_ms => INT64
 *         log_start_offset => INT64
 *     throttle_time_ms => INT32
 */
import type { ApiVersionCodec } from '../api.ts';
import { ApiKey } from '../api.ts';
import type { Writer } from '../../protocol/writer.ts';
import type { PartitionProduceResponse, ProduceRequest, ProduceResponse, TopicProduceResponse } from './produce-types.ts';
import { produceV3 } from './produce-v3.ts';

function encodePartition(w: Writer, p: PartitionProduceResponse): void {
  w.int32(p.index).int16(p.errorCode).int64(p.baseOffset).int64(p.logAppendTimeMs).int64(p.logStartOffset ?? -1n);
}

function encodeTopic(w: Writer, t: TopicProduceResponse): void {
  w.string(t.name);
  w.array(t.partitionResponses, encodePartition);
}

export const produceV5: ApiVersionCodec<ProduceRequest, ProduceResponse> = {
  apiKey: ApiKey.Produce,
  version: 5,
  flexible: false,
  decodeRequest: produceV3.decodeRequest,
  encodeResponse(w: Writer, res: ProduceResponse): void {
    w.array(res.responses, encodeTopic);
    w.int32(res.throttleTimeMs);
  },
};
