/**
 * OffsetCommit v1 (API key 8): adds the generation, the member id and a per-partition commit
 * timestamp; the response is unchanged from v0. Kafka grammar:
 *
 * OffsetCommit Request (Version: 1) => group_id generation_id member_id [topics]
 *   group_id => STRING
 *   generation_id => INT32
 *   member_id => STRING
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index committed_offset commit_timestamp committed_metadata
 *       partition_index => INT32
 *       committed_offset => INT64
 *       commit_timestamp => INT64
 *       committed_metadata => NULLABLE_STRING
 *
 * OffsetCommit Response (Version: 1) => [topics]
 *   (as v0)
 */
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import { defineCodec } from './define-codec.ts';
import type { OffsetCommitRequest, OffsetCommitRequestPartition } from './offset-commit-types.ts';
import { encodeOffsetCommitResponseV0 } from './offset-commit-v0.ts';

export { encodeOffsetCommitResponseV0 as encodeOffsetCommitResponseV1 };

export function decodeOffsetCommitRequestV1(r: Reader): OffsetCommitRequest {
  const groupId = r.string();
  const generationId = r.int32();
  const memberId = r.string();
  const topics = r.array((r) => {
    const name = r.string();
    const partitions = r.array((r): OffsetCommitRequestPartition => {
      const partitionIndex = r.int32();
      const committedOffset = r.int64();
      const commitTimestamp = r.int64();
      const committedMetadata = r.nullableString();
      return { partitionIndex, committedOffset, commitTimestamp, committedMetadata };
    });
    return { name, partitions };
  });
  return { groupId, generationId, memberId, topics };
}

export const offsetCommitV1 = defineCodec(ApiKey.OffsetCommit, 1, decodeOffsetCommitRequestV1, encodeOffsetCommitResponseV0);
