/**
 * ListOffsets v1 (apiKey 2): one offset per partition, with the timestamp of its record. Grammar
 * from Kafka's protocol guide:
 *
 *   ListOffsets Request (Version: 1) => replica_id [topics]
 *     replica_id => INT32
 *     topics => name [partitions]
 *       name => STRING
 *       partitions => partition_index timestamp
 *         partition_index => INT32
 *         timestamp => INT64
 *
 *   ListOffsets Response (Version: 1) => [topics]
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

export const listOffsetsV1: ApiVersionCodec<ListOffsetsRequest, ListOffsetsResponse> = {
  apiKey: ApiKey.ListOffsets,
  version: 1,
  flexible: false,
  decodeRequest(r: Reader): ListOffsetsRequest {
    const replicaId = r.int32();
    const topics = r.array(decodeTopic);
    return { replicaId, topics };
  },
  encodeResponse(w: Writer, res: ListOffsetsResponse): void {
    w.array(res.topics, encodeTopic);
  },
};
