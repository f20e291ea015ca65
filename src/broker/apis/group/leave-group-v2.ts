/**
 * LeaveGroup v2 (API key 13): the same grammar as v1 (the broker answers before throttling).
 */
import { ApiKey } from '../api.ts';
import { defineCodec } from './define-codec.ts';
import { decodeLeaveGroupRequestV1, encodeLeaveGroupResponseV1 } from './leave-group-v1.ts';

export { decodeLeaveGroupRequestV1 as decodeLeaveGroupRequestV2, encodeLeaveGroupResponseV1 as encodeLeaveGroupResponseV2 };

export const leaveGroupV2 = defineCodec(ApiKey.LeaveGroup, 2, decodeLeaveGroupRequestV1, encodeLeaveGroupResponseV1);
