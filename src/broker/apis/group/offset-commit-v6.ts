/**
 * OffsetCommit v6 (API key 8): adds the committed leader epoch to each partition; the response
 * is unchanged from v3. Kafka grammar:
 *
 * OffsetCommit Request (Version: 6) => group_id generation_id member_id [topics]
 *   group_id => STRING
 *   generation_id => INT32
 *   member_id => STRING
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index committed_offset committed_leader_epoch committed_metadata
 *       partition_index => INT32
 *       committed_offset => INT64
 *       committed_leader_epoch => INT32
 *       committed_metadata => NULLABLE_STRING
 *
 * OffsetCommit Response (Version: 6) => throttle_time_ms [topics]
 *   (as v3)
 */
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import { defineCodec } from './define-codec.ts';
import type { OffsetCommitRequest, OffsetCommitRequestTopic } from './offset-commit-types.ts';
import { encodeOffsetCommitResponseV3 } from './offset-commit-v3.ts';

export { encodeOffsetCommitResponseV3 as encodeOffsetCommitResponseV6 };

/** Reads the topics array of v6-v7, whose partitions carry a leader epoch. */
export function decodeOffsetCommitTopicsV6(r: Reader): OffsetCommitRequestTopic[] {
  return r.array((r) => {
    const name = r.string();
    const partitions = r.array((r) => {
      const partitionIndex = r.int32();
      const committedOffset = r.int64();
      const committedLeaderEpoch = r.int32();
      const committedMetadata = r.nullableString();
      return { partitionIndex, committedOffset, committedLeaderEpoch, committedMetadata };
    });
    return { name, partitions };
  });
}

export function decodeOffsetCommitRequestV6(r: Reader): OffsetCommitRequest {
  const groupId = r.string();
  const generationId = r.int32();
  const memberId = r.string();
  const topics = decodeOffsetCommitTopicsV6(r);
  return { groupId, generationId, memberId, topics };
}

export const offsetCommitV6 = defineCodec(ApiKey.OffsetCommit, 6, decodeOffsetCommitRequestV6, encodeOffsetCommitResponseV3);
