/**
 * OffsetCommit v2 (API key 8): adds retention_time_ms and drops the per-partition commit
 * timestamp; the response is unchanged from v0. Kafka grammar:
 *
 * OffsetCommit Request (Version: 2) => group_id generation_id member_id retention_time_ms [topics]
 *   group_id => STRING
 *   generation_id => INT32
 *   member_id => STRING
 *   retention_time_ms => INT64
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index committed_offset committed_metadata
 *       partition_index => INT32
 *       committed_offset => INT64
 *       committed_metadata => NULLABLE_STRING
 *
 * OffsetCommit Response (Version: 2) => [topics]
 *   (as v0)
 */
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import { defineCodec } from './define-codec.ts';
import type { OffsetCommitRequest, OffsetCommitRequestTopic } from './offset-commit-types.ts';
import { encodeOffsetCommitResponseV0 } from './offset-commit-v0.ts';

export { encodeOffsetCommitResponseV0 as encodeOffsetCommitResponseV2 };

/** Reads the topics array of v2-v5, whose partitions carry index, offset and metadata. */
export function decodeOffsetCommitTopicsV2(r: Reader): OffsetCommitRequestTopic[] {
  return r.array((r) => {
    const name = r.string();
    const partitions = r.array((r) => {
      const partitionIndex = r.int32();
      const committedOffset = r.int64();
      const committedMetadata = r.nullableString();
      return { partitionIndex, committedOffset, committedMetadata };
    });
    return { name, partitions };
  });
}

export function decodeOffsetCommitRequestV2(r: Reader): OffsetCommitRequest {
  const groupId = r.string();
  const generationId = r.int32();
  const memberId = r.string();
  const retentionTimeMs = r.int64();
  const topics = decodeOffsetCommitTopicsV2(r);
  return { groupId, generationId, memberId, retentionTimeMs, topics };
}

export const offsetCommitV2 = defineCodec(ApiKey.OffsetCommit, 2, decodeOffsetCommitRequestV2, encodeOffsetCommitResponseV0);
