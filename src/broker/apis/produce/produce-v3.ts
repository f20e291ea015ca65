/**
 * Produce v3 (apiKey 0): the first version with transactional_id and RecordBatch v2 (magic 2),
 * the only record format Runnel stores. Grammar from Kafka's protocol guide:
 *
 *   Produce Request (Version: 3) => transactional_id acks timeout_ms [topic_data]
 *     transactional_id => NULLABLE_STRING
 *     acks => INT16
 *     timeout_ms => INT32
 *     topic_data => name [partition_data]
 *       name => STRING
 *       partition_data => index records
 *         index => INT32
 *         records => RECORDS
 *
 *   Produce Response (Version: 3) => [responses] throttle_time_ms
 *     responses => name [partition_responses]
 *       name => STRING
 *       partition_responses => index error_code base_offset log_append_time_ms
 *         index => INT32
 *         error_code => INT16
 *         base_offset => INT64
 *         log_append_time_ms => INT64
 *     throttle_time_ms => INT32
 */
import type { ApiVersionCodec } from '../api.ts';
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';
import type {
  PartitionProduceData,
  PartitionProduceResponse,
  ProduceRequest,
  ProduceResponse,
  TopicProduceData,
  TopicProduceResponse,
} from './produce-types.ts';

function decodePartition(r: Reader): PartitionProduceData {
  const index = r.int32();
  const records = r.nullableBytes();
  return { index, records };
}

function decodeTopic(r: Reader): TopicProduceData {
  const name = r.string();
  const partitionData = r.array(decodePartition);
  return { name, partitionData };
}

function encodePartition(w: Writer, p: PartitionProduceResponse): void {
  w.int32(p.index).int16(p.errorCode).int64(p.baseOffset).int64(p.logAppendTimeMs);
}

function encodeTopic(w: Writer, t: TopicProduceResponse): void {
  w.string(t.name);
  w.array(t.partitionResponses, encodePartition);
}

export const produceV3: ApiVersionCodec<ProduceRequest, ProduceResponse> = {
  apiKey: ApiKey.Produce,
  version: 3,
  flexible: false,
  decodeRequest(r: Reader): ProduceRequest {
    const transactionalId = r.nullableString();
    const acks = r.int16();
    const timeoutMs = r.int32();
    const topicData = r.array(decodeTopic);
    return { transactionalId, acks, timeoutMs, topicData };
  },
  encodeResponse(w: Writer, res: ProduceResponse): void {
    w.array(res.responses, encodeTopic);
    w.int32(res.throttleTimeMs);
  },
};
