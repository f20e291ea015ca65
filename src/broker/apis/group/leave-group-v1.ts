/**
 * LeaveGroup v1 (API key 13): the request is unchanged from v0; the response adds
 * throttle_time_ms. Kafka grammar:
 *
 * LeaveGroup Request (Version: 1) => group_id member_id
 *   (as v0)
 *
 * LeaveGroup Response (Version: 1) => throttle_time_ms error_code
 *   throttle_time_ms => INT32
 *   error_code => INT16
 */
import { ApiKey } from '../api.ts';
import type { Writer } from '../../protocol/writer.ts';
import { defineCodec } from './define-codec.ts';
import type { LeaveGroupResponse } from './leave-group-types.ts';
import { decodeLeaveGroupRequestV0 } from './leave-group-v0.ts';

export { decodeLeaveGroupRequestV0 as decodeLeaveGroupRequestV1 };

export function encodeLeaveGroupResponseV1(w: Writer, res: LeaveGroupResponse): void {
  w.int32(res.throttleTimeMs ?? 0);
  w.int16(res.errorCode);
}

export const leaveGroupV1 = defineCodec(ApiKey.LeaveGroup, 1, decodeLeaveGroupRequestV0, encodeLeaveGroupResponseV1);
