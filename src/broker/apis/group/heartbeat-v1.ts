/**
 * Heartbeat v1 (API key 12): the request is unchanged from v0; the response adds
 * throttle_time_ms. Kafka grammar:
 *
 * Heartbeat Request (Version: 1) => group_id generation_id member_id
 *   (as v0)
 *
 * Heartbeat Response (Version: 1) => throttle_time_ms error_code
 *   throttle_time_ms => INT32
 *   error_code => INT16
 */
import { ApiKey } from '../api.ts';
import type { Writer } from '../../protocol/writer.ts';
import { defineCodec } from './define-codec.ts';
import type { HeartbeatResponse } from './heartbeat-types.ts';
import { decodeHeartbeatRequestV0 } from './heartbeat-v0.ts';

export { decodeHeartbeatRequestV0 as decodeHeartbeatRequestV1 };

export function encodeHeartbeatResponseV1(w: Writer, res: HeartbeatResponse): void {
  w.int32(res.throttleTimeMs ?? 0);
  w.int16(res.errorCode);
}

export const heartbeatV1 = defineCodec(ApiKey.Heartbeat, 1, decodeHeartbeatRequestV0, encodeHeartbeatResponseV1);
