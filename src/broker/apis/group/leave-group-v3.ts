/**
 * LeaveGroup v3 (API key 13): leaving becomes a batch of member identities (member id and
 * group instance id, KIP-345), answered member by member. Kafka grammar:
 *
 * LeaveGroup Request (Version: 3) => group_id [members]
 *   group_id => STRING
 *   members => member_id group_instance_id
 *     member_id => STRING
 *     group_instance_id => NULLABLE_STRING
 *
 * LeaveGroup Response (Version: 3) => throttle_time_ms error_code [members]
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   members => member_id group_instance_id error_code
 *     member_id => STRING
 *     group_instance_id => NULLABLE_STRING
 *     error_code => INT16
 */
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';
import { defineCodec } from './define-codec.ts';
import type { LeaveGroupRequest, LeaveGroupResponse } from './leave-group-types.ts';

export function decodeLeaveGroupRequestV3(r: Reader): LeaveGroupRequest {
  const groupId = r.string();
  const members = r.array((r) => {
    const memberId = r.string();
    const groupInstanceId = r.nullableString();
    return { memberId, groupInstanceId };
  });
  return { groupId, members };
}

export function encodeLeaveGroupResponseV3(w: Writer, res: LeaveGroupResponse): void {
  w.int32(res.throttleTimeMs ?? 0);
  w.int16(res.errorCode);
  w.array(res.members ?? [], (w, m) => {
    w.string(m.memberId);
    w.nullableString(m.groupInstanceId);
    w.int16(m.errorCode);
  });
}

export const leaveGroupV3 = defineCodec(ApiKey.LeaveGroup, 3, decodeLeaveGroupRequestV3, encodeLeaveGroupResponseV3);
