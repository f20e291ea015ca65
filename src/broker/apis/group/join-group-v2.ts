/**
 * JoinGroup v2 (API key 11): the request is unchanged from v1; the response adds
 * throttle_time_ms. Kafka grammar:
 *
 * JoinGroup Request (Version: 2) => group_id session_timeout_ms rebalance_timeout_ms member_id protocol_type [protocols]
 *   (as v1)
 *
 * JoinGroup Response (Version: 2) => throttle_time_ms error_code generation_id protocol_name leader member_id [members]
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   generation_id => INT32
 *   protocol_name => STRING
 *   leader => STRING
 *   member_id => STRING
 *   members => member_id metadata
 *     member_id => STRING
 *     metadata => BYTES
 */
import { ApiKey } from '../api.ts';
import type { Writer } from '../../protocol/writer.ts';
import { defineCodec } from './define-codec.ts';
import type { JoinGroupResponse } from './join-group-types.ts';
import { decodeJoinGroupRequestV1 } from './join-group-v1.ts';

export { decodeJoinGroupRequestV1 as decodeJoinGroupRequestV2 };

export function encodeJoinGroupResponseV2(w: Writer, res: JoinGroupResponse): void {
  w.int32(res.throttleTimeMs ?? 0);
  w.int16(res.errorCode);
  w.int32(res.generationId);
  w.string(res.protocolName);
  w.string(res.leader);
  w.string(res.memberId);
  w.array(res.members, (w, m) => {
    w.string(m.memberId);
    w.bytes(m.metadata);
  });
}

export const joinGroupV2 = defineCodec(ApiKey.JoinGroup, 2, decodeJoinGroupRequestV1, encodeJoinGroupResponseV2);
