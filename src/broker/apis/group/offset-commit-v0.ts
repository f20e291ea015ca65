/**
 * OffsetCommit v0 (API key 8). Kafka grammar:
 *
 * OffsetCommit Request (Version: 0) => group_id [topics]
 *   group_id => STRING
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index committed_offset committed_metadata
 *       partition_index => INT32
 *       committed_offset => INT64
 *       committed_metadata => NULLABLE_STRING
 *
 * OffsetCommit Response (Version: 0) => [topics]
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index error_code
 *       partition_index => INT32
 *       error_code => INT16
 */
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';
import { defineCodec } from './define-codec.ts';
import type { OffsetCommitRequest, OffsetCommitRequestPartition, OffsetCommitResponse, OffsetCommitResponseTopic } from './offset-commit-types.ts';

export function decodeOffsetCommitRequestV0(r: Reader): OffsetCommitRequest {
  const groupId = r.string();
  const topics = r.array((r) => {
    const name = r.string();
    const partitions = r.array((r): OffsetCommitRequestPartition => {
      const partitionIndex = r.int32();
      const committedOffset = r.int64();
      const committedMetadata = r.nullableString();
      return { partitionIndex, committedOffset, committedMetadata };
    });
    return { name, partitions };
  });
  return { groupId, topics };
}

/** Writes the topics array of the response (unchanged through v7). */
export function encodeOffsetCommitResponseTopics(w: Writer, topics: readonly OffsetCommitResponseTopic[]): void {
  w.array(topics, (w, t) => {
    w.string(t.name);
    w.array(t.partitions, (w, p) => {
      w.int32(p.partitionIndex);
      w.int16(p.errorCode);
    });
  });
}

export function encodeOffsetCommitResponseV0(w: Writer, res: OffsetCommitResponse): void {
  encodeOffsetCommitResponseTopics(w, res.topics);
}

export const offsetCommitV0 = defineCodec(ApiKey.OffsetCommit, 0, decodeOffsetCommitRequestV0, encodeOffsetCommitResponseV0);
