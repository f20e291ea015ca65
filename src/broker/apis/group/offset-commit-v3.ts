/**
 * OffsetCommit v3 (API key 8): the request is unchanged from v2; the response adds
 * throttle_time_ms. Kafka grammar:
 *
 * OffsetCommit Request (Version: 3) => group_id generation_id member_id retention_time_ms [topics]
 *   (as v2)
 *
 * OffsetCommit Response (Version: 3) => throttle_time_ms [topics]
 *   throttle_time_ms => INT32
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index error_code
 *       partition_index => INT32
 *       error_code => INT16
 */
import { ApiKey } from '../api.ts';
import type { Writer } from '../../protocol/writer.ts';
import { defineCodec } from './define-codec.ts';
import type { OffsetCommitResponse } from './offset-commit-types.ts';
import { encodeOffsetCommitResponseTopics } from './offset-commit-v0.ts';
import { decodeOffsetCommitRequestV2 } from './offset-commit-v2.ts';

export { decodeOffsetCommitRequestV2 as decodeOffsetCommitRequestV3 };

export function encodeOffsetCommitResponseV3(w: Writer, res: OffsetCommitResponse): void {
  w.int32(res.throttleTimeMs ?? 0);
  encodeOffsetCommitResponseTopics(w, res.topics);
}

export const offsetCommitV3 = defineCodec(ApiKey.OffsetCommit, 3, decodeOffsetCommitRequestV2, encodeOffsetCommitResponseV3);
