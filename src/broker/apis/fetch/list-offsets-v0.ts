/**
 * ListOffsets v0 (apiKey 2): the old form, which asks for up to max_num_offsets offsets before a
 * timestamp and answers with an array of them. Grammar from Kafka's protocol guide:
 *
 *   ListOffsets Request (Version: 0) => replica_id [topics]
 *     replica_id => INT32
 *     topics => name [partitions]
 *       name => STRING
 *       partitions => partition_index timestamp max_num_offsets
 *         partition_index => INT32
 *         timestamp => INT64
 *         max_num_offsets => INT32
 *
 *   ListOffsets Response (Version: 0) => [topics]
 *     topics => name [partitions]
 *       name => STRING
 *       partitions => partition_index error_code [old_style_offsets]
 *         partition_index => INT32
 *         error_code => INT16
 *         old_style_offsets => INT64
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
  const maxNumOffsets = r.int32();
  return { partitionIndex, timestamp, maxNumOffsets };
}

function decodeTopic(r: Reader): ListOffsetsTopic {
  const name = r.string();
  const partitions = r.array(decodePartition);
  return { name, partitions };
}

/** v0 answers with a list; a handler that filled in the v1+ single offset gets it as a list of one. */
function oldStyleOffsets(p: ListOffsetsPartitionResponse): bigint[] {
  if (p.oldStyleOffsets) return p.oldStyleOffsets;
  return p.offset === undefined || p.offset < 0n ? [] : [p.offset];
}

function encodePartition(w: Writer, p: ListOffsetsPartitionResponse): void {
  w.int32(p.partitionIndex).int16(p.errorCode);
  w.array(oldStyleOffsets(p), (w, o) => w.int64(o));
}

function encodeTopic(w: Writer, t: ListOffsetsTopicResponse): void {
  w.string(t.name);
  w.array(t.partitions, encodePartition);
}

export const listOffsetsV0: ApiVersionCodec<ListOffsetsRequest, ListOffsetsResponse> = {
  apiKey: ApiKey.ListOffsets,
  version: 0,
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
