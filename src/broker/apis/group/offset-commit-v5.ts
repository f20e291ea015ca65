/**
 * OffsetCommit v5 (API key 8): drops retention_time_ms (retention is the broker's
 * offsets.retention.minutes alone); the response is unchanged from v3. Kafka grammar:
 *
 * OffsetCommit Request (Version: 5) => group_id generation_id member_id [topics]
 *   group_id => STRING
 *   generation_id => INT32
 *   member_id => STRING
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index committed_offset committed_metadata
 *       partition_index => INT32
 *       committed_offset => INT64
 *       committed_metadata => NULLABLE_STRING
 *
 * OffsetCommit Response (Version: 5) => throttle_time_ms [topics]
 *   (as v3)
 */
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import { defineCodec } from './define-codec.ts';
import type { OffsetCommitRequest } from './offset-commit-types.ts';
import { decodeOffsetCommitTopicsV2 } from './offset-commit-v2.ts';
import { encodeOffsetCommitResponseV3 } from './offset-commit-v3.ts';

export { encodeOffsetCommitResponseV3 as encodeOffsetCommitResponseV5 };

export function decodeOffsetCommitRequestV5(r: Reader): OffsetCommitRequest {
  const groupId = r.string();
  const generationId = r.int32();
  const memberId = r.string();
  const topics = decodeOffsetCommitTopicsV2(r);
  return { groupId, generationId, memberId, topics };
}

export const offsetCommitV5 = defineCodec(ApiKey.OffsetCommit, 5, decodeOffsetCommitRequestV5, encodeOffsetCommitResponseV3);
