/**
 * JoinGroup v5 (API key 11): adds group_instance_id (static membership, KIP-345) to the request
 * and to each member of the response. Kafka grammar:
 *
 * JoinGroup Request (Version: 5) => group_id session_timeout_ms rebalance_timeout_ms member_id group_instance_id protocol_type [protocols]
 *   group_id => STRING
 *   session_timeout_ms => INT32
 *   rebalance_timeout_ms => INT32
 *   member_id => STRING
 *   group_instance_id => NULLABLE_STRING
 *   protocol_type => STRING
 *   protocols => name metadata
 *     name => STRING
 *     metadata => BYTES
 *
 * JoinGroup Response (Version: 5) => throttle_time_ms error_code generation_id protocol_name leader member_id [members]
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   generation_id => INT32
 *   protocol_name => STRING
 *   leader => STRING
 *   member_id => STRING
 *   members => member_id group_instance_id metadata
 *     member_id => STRING
 *     group_instance_id => NULLABLE_STRING
 *     metadata => BYTES
 */
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';
import { defineCodec } from './define-codec.ts';
import type { JoinGroupRequest, JoinGroupResponse } from './join-group-types.ts';
import { decodeJoinGroupProtocol } from './join-group-v0.ts';

export function decodeJoinGroupRequestV5(r: Reader): JoinGroupRequest {
  const groupId = r.string();
  const sessionTimeoutMs = r.int32();
  const rebalanceTimeoutMs = r.int32();
  const memberId = r.string();
  const groupInstanceId = r.nullableString();
  const protocolType = r.string();
  const protocols = r.array(decodeJoinGroupProtocol);
  return { groupId, sessionTimeoutMs, rebalanceTimeoutMs, memberId, groupInstanceId, protocolType, protocols };
}

export function encodeJoinGroupResponseV5(w: Writer, res: JoinGroupResponse): void {
  w.int32(res.throttleTimeMs ?? 0);
  w.int16(res.errorCode);
  w.int32(res.generationId);
  w.string(res.protocolName);
  w.string(res.leader);
  w.string(res.memberId);
  w.array(res.members, (w, m) => {
    w.string(m.memberId);
    w.nullableString(m.groupInstanceId ?? null);
    w.bytes(m.metadata);
  });
}

export const joinGroupV5 = defineCodec(ApiKey.JoinGroup, 5, decodeJoinGroupRequestV5, encodeJoinGroupResponseV5);
