/**
 * Heartbeat v3 (API key 12): adds group_instance_id to the request; the response is unchanged
 * from v1. Kafka grammar:
 *
 * Heartbeat Request (Version: 3) => group_id generation_id member_id group_instance_id
 *   group_id => STRING
 *   generation_id => INT32
 *   member_id => STRING
 *   group_instance_id => NULLABLE_STRING
 *
 * Heartbeat Response (Version: 3) => throttle_time_ms error_code
 *   (as v1)
 */
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import { defineCodec } from './define-codec.ts';
import type { HeartbeatRequest } from './heartbeat-types.ts';
import { encodeHeartbeatResponseV1 } from './heartbeat-v1.ts';

export { encodeHeartbeatResponseV1 as encodeHeartbeatResponseV3 };

export function decodeHeartbeatRequestV3(r: Reader): HeartbeatRequest {
  const groupId = r.string();
  const generationId = r.int32();
  const memberId = r.string();
  const groupInstanceId = r.nullableString();
  return { groupId, generationId, memberId, groupInstanceId };
}

export const heartbeatV3 = defineCodec(ApiKey.Heartbeat, 3, decodeHeartbeatRequestV3, encodeHeartbeatResponseV1);
