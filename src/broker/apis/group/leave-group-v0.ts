/**
 * LeaveGroup v0 (API key 13). Kafka grammar:
 *
 * LeaveGroup Request (Version: 0) => group_id member_id
 *   group_id => STRING
 *   member_id => STRING
 *
 * LeaveGroup Response (Version: 0) => error_code
 *   error_code => INT16
 */
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';
import { defineCodec } from './define-codec.ts';
import type { LeaveGroupRequest, LeaveGroupResponse } from './leave-group-types.ts';

export function decodeLeaveGroupRequestV0(r: Reader): LeaveGroupRequest {
  const groupId = r.string();
  const memberId = r.string();
  return { groupId, memberId };
}

export function encodeLeaveGroupResponseV0(w: Writer, res: LeaveGroupResponse): void {
  w.int16(res.errorCode);
}

export const leaveGroupV0 = defineCodec(ApiKey.LeaveGroup, 0, decodeLeaveGroupRequestV0, encodeLeaveGroupResponseV0);
