/**
 * Heartbeat v2 (API key 12): the same grammar as v1 (the broker answers before throttling).
 */
import { ApiKey } from '../api.ts';
import { defineCodec } from './define-codec.ts';
import { decodeHeartbeatRequestV1, encodeHeartbeatResponseV1 } from './heartbeat-v1.ts';

export { decodeHeartbeatRequestV1 as decodeHeartbeatRequestV2, encodeHeartbeatResponseV1 as encodeHeartbeatResponseV2 };

export const heartbeatV2 = defineCodec(ApiKey.Heartbeat, 2, decodeHeartbeatRequestV1, encodeHeartbeatResponseV1);
