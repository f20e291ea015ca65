/**
 * JoinGroup v1 (API key 11): adds rebalance_timeout_ms; the response is unchanged from v0.
 * Kafka grammar:
 *
 * JoinGroup Request (Version: 1) => group_id session_timeout_ms rebalance_timeout_ms member_id protocol_type [protocols]
 *   group_id => STRING
 *   session_timeout_ms => INT32
 *   rebalance_timeout_ms => INT32
 *   member_id => STRING
 *   protocol_type => STRING
 *   protocols => name metadata
 *     name => STRING
 *     metadata => BYTES
 *
 * JoinGroup Response (Version: 1) => error_code generation_id protocol_name leader member_id [members]
 *   (as v0)
 */
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import { defineCodec } from './define-codec.ts';
import type { JoinGroupRequest } from './join-group-types.ts';
import { decodeJoinGroupProtocol, encodeJoinGroupResponseV0 } from './join-group-v0.ts';

export { encodeJoinGroupResponseV0 as encodeJoinGroupResponseV1 };

export function decodeJoinGroupRequestV1(r: Reader): JoinGroupRequest {
  const groupId = r.string();
  const sessionTimeoutMs = r.int32();
  const rebalanceTimeoutMs = r.int32();
  const memberId = r.string();
  const protocolType = r.string();
  const protocols = r.array(decodeJoinGroupProtocol);
  return { groupId, sessionTimeoutMs, rebalanceTimeoutMs, memberId, protocolType, protocols };
}

export const joinGroupV1 = defineCodec(ApiKey.JoinGroup, 1, decodeJoinGroupRequestV1, encodeJoinGroupResponseV0);
