/**
 * Heartbeat v0 (API key 12). Kafka grammar:
 *
 * Heartbeat Request (Version: 0) => group_id generation_id member_id
 *   group_id => STRING
 *   generation_id => INT32
 *   member_id => STRING
 *
 * Heartbeat Response (Version: 0) => error_code
 *   error_code => INT16
 */
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';
import { defineCodec } from './define-codec.ts';
import type { HeartbeatRequest, HeartbeatResponse } from './heartbeat-types.ts';

export function decodeHeartbeatRequestV0(r: Reader): HeartbeatRequest {
  const groupId = r.string();
  const generationId = r.int32();
  const memberId = r.string();
  return { groupId, generationId, memberId };
}

export function encodeHeartbeatResponseV0(w: Writer, res: HeartbeatResponse): void {
  w.int16(res.errorCode);
}

export const heartbeatV0 = defineCodec(ApiKey.Heartbeat, 0, decodeHeartbeatRequestV0, encodeHeartbeatResponseV0);
