/**
 * OffsetCommit v7 (API key 8): adds group_instance_id (static membership); the response is
 * unchanged from v3. Kafka grammar:
 *
 * OffsetCommit Request (Version: 7) => group_id generation_id member_id group_instance_id [topics]
 *   group_id => STRING
 *   generation_id => INT32
 *   member_id => STRING
 *   group_instance_id => NULLABLE_STRING
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index committed_offset committed_leader_epoch committed_metadata
 *       partition_index => INT32
 *       committed_offset => INT64
 *       committed_leader_epoch => INT32
 *       committed_metadata => NULLABLE_STRING
 *
 * OffsetCommit Response (Version: 7) => throttle_time_ms [topics]
 *   (as v3)
 */
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import { defineCodec } from './define-codec.ts';
import type { OffsetCommitRequest } from './offset-commit-types.ts';
import { encodeOffsetCommitResponseV3 } from './offset-commit-v3.ts';
import { decodeOffsetCommitTopicsV6 } from './offset-commit-v6.ts';

export { encodeOffsetCommitResponseV3 as encodeOffsetCommitResponseV7 };

export function decodeOffsetCommitRequestV7(r: Reader): OffsetCommitRequest {
  const groupId = r.string();
  const generationId = r.int32();
  const memberId = r.string();
  const groupInstanceId = r.nullableString();
  const topics = decodeOffsetCommitTopicsV6(r);
  return { groupId, generationId, memberId, groupInstanceId, topics };
}

export const offsetCommitV7 = defineCodec(ApiKey.OffsetCommit, 7, decodeOffsetCommitRequestV7, encodeOffsetCommitResponseV3);
