/**
 * ListOffsets v2 (apiKey 2): the request adds the isolation level, the response the throttle
 * time. Grammar from Kafka's protocol guide:
 *
 *   ListOffsets Request (Version: 2) => replica_id isolation_level [topics]
 *     replica_id => INT32
 *     isolation_level => INT8
 *     topics => name [partitions]
 *       name => STRING
 *       partitions => partition_index timestamp
 *         partition_index => INT32
 *         timestamp => INT64
 *
 *   ListOffsets Response (Version: 2) => throttle_time_ms [topics]
 *     throttle_time_ms => INT32
 *     topics => name [partitions]
 *       name => STRING
 *       partitions => partition_index error_code timestamp offset
 *         partition_index => INT32
 *         error_code => INT16
 *         timestamp => INT64
 *         offset => INT64
 */
import type { ApiVersionCodec } from '../api.ts';
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';
import type {
  ListOffsetsPartition,
  ListOffsetsPartitionResponse,
  ListOffsetsRequest,
  ListOffsetsResponse,
  ListOffsetsTopic,
  ListOffsetsTopicResponse,
} from './list-offsets-types.ts';

function decodePartition(r: Reader): ListOffsetsPartition {
  const partitionIndex = r.int32();
  const timestamp = r.int64();
  return { partitionIndex, timestamp };
}

function decodeTopic(r: Reader): ListOffsetsTopic {
  const name = r.string();
  const partitions = r.array(decodePartition);
  return { name, partitions };
}

function encodePartition(w: Writer, p: ListOffsetsPartitionResponse): void {
  w.int32(p.partitionIndex).int16(p.errorCode).int64(p.timestamp ?? -1n).int64(p.offset ?? -1n);
}

function encodeTopic(w: Writer, t: ListOffsetsTopicResponse): void {
  w.string(t.name);
  w.array(t.partitions, encodePartition);
}

export const listOffsetsV2: ApiVersionCodec<ListOffsetsRequest, ListOffsetsResponse> = {
  apiKey: ApiKey.ListOffsets,
  version: 2,
  flexible: false,
  decodeRequest(r: Reader): ListOffsetsRequest {
    const replicaId = r.int32();
    const isolationLevel = r.int8();
    const topics = r.array(decodeTopic);
    return { replicaId, isolationLevel, topics };
  },
  encodeResponse(w: Writer, res: ListOffsetsResponse): void {
    w.int32(res.throttleTimeMs ?? 0);
    w.array(res.topics, encodeTopic);
  },
};
