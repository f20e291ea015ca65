/**
 * SyncGroup v3 (API key 14): adds group_instance_id to the request; the response is unchanged
 * from v1. Kafka grammar:
 *
 * SyncGroup Request (Version: 3) => group_id generation_id member_id group_instance_id [assignments]
 *   group_id => STRING
 *   generation_id => INT32
 *   member_id => STRING
 *   group_instance_id => NULLABLE_STRING
 *   assignments => member_id assignment
 *     member_id => STRING
 *     assignment => BYTES
 *
 * SyncGroup Response (Version: 3) => throttle_time_ms error_code assignment
 *   (as v1)
 */
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import { defineCodec } from './define-codec.ts';
import type { SyncGroupRequest } from './sync-group-types.ts';
import { decodeSyncGroupAssignment } from './sync-group-v0.ts';
import { encodeSyncGroupResponseV1 } from './sync-group-v1.ts';

export { encodeSyncGroupResponseV1 as encodeSyncGroupResponseV3 };

export function decodeSyncGroupRequestV3(r: Reader): SyncGroupRequest {
  const groupId = r.string();
  const generationId = r.int32();
  const memberId = r.string();
  const groupInstanceId = r.nullableString();
  const assignments = r.array(decodeSyncGroupAssignment);
  return { groupId, generationId, memberId, groupInstanceId, assignments };
}

export const syncGroupV3 = defineCodec(ApiKey.SyncGroup, 3, decodeSyncGroupRequestV3, encodeSyncGroupResponseV1);
