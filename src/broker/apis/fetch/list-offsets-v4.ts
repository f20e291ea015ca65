/**
 * ListOffsets v4 (apiKey 2): leader epochs for fencing (KIP-320), the client's current epoch in
 * the request and the epoch of the returned offset in the response. Grammar from Kafka's
 * protocol guide:
 *
 *   ListOffsets Request (Version: 4) => replica_id isolation_level [topics]
 *     replica_id => INT32
 *     isolation_level => INT8
 *     topics => name [partitions]
 *       name => STRING
 *       partitions => partition_index current_leader_epoch timestamp
 *         partition_index => INT32
 *         current_leader_epoch => INT32
 *         timestamp => INT64
 *
 *   ListOffsets Response (Version: 4) => throttle_time_ms [topics]
 *     throttle_time_ms => INT32
 *     topics => name [partitions]
 *       name => STRING
 *       partitions => partition_index error_code timestamp offset leader_epoch
 *         partition_index => INT32
 *         error_code => INT16
 *         timestamp => INT64
 *         offset => INT64
 *         leader_epoch => INT32
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
  const currentLeaderEpoch = r.int32();
  const timestamp = r.int64();
  return { partitionIndex, currentLeaderEpoch, timestamp };
}

function decodeTopic(r: Reader): ListOffsetsTopic {
  const name = r.string();
  const partitions = r.array(decodePartition);
  return { name, partitions };
}

function encodePartition(w: Writer, p: ListOffsetsPartitionResponse): void {
  w.int32(p.partitionIndex).int16(p.errorCode).int64(p.timestamp ?? -1n).int64(p.offset ?? -1n).int32(p.leaderEpoch ?? -1);
}

function encodeTopic(w: Writer, t: ListOffsetsTopicResponse): void {
  w.string(t.name);
  w.array(t.partitions, encodePartition);
}

export const listOffsetsV4: ApiVersionCodec<ListOffsetsRequest, ListOffsetsResponse> = {
  apiKey: ApiKey.ListOffsets,
  version: 4,
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
