/**
 * JoinGroup v0 (API key 11). Kafka grammar:
 *
 * JoinGroup Request (Version: 0) => group_id session_timeout_ms member_id protocol_type [protocols]
 *   group_id => STRING
 *   session_timeout_ms => INT32
 *   member_id => STRING
 *   protocol_type => STRING
 *   protocols => name metadata
 *     name => STRING
 *     metadata => BYTES
 *
 * JoinGroup Response (Version: 0) => error_code generation_id protocol_name leader member_id [members]
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
import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';
import { defineCodec } from './define-codec.ts';
import type { JoinGroupRequest, JoinGroupRequestProtocol, JoinGroupResponse } from './join-group-types.ts';

/** Reads one entry of the protocols array (unchanged through v5). */
export function decodeJoinGroupProtocol(r: Reader): JoinGroupRequestProtocol {
  const name = r.string();
  const metadata = r.bytes();
  return { name, metadata };
}

export function decodeJoinGroupRequestV0(r: Reader): JoinGroupRequest {
  const groupId = r.string();
  const sessionTimeoutMs = r.int32();
  const memberId = r.string();
  const protocolType = r.string();
  const protocols = r.array(decodeJoinGroupProtocol);
  return { groupId, sessionTimeoutMs, memberId, protocolType, protocols };
}

export function encodeJoinGroupResponseV0(w: Writer, res: JoinGroupResponse): void {
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

export const joinGroupV0 = defineCodec(ApiKey.JoinGroup, 0, decodeJoinGroupRequestV0, encodeJoinGroupResponseV0);
