/**
 * SyncGroup v1 (API key 14): the request is unchanged from v0; the response adds
 * throttle_time_ms. Kafka grammar:
 *
 * SyncGroup Request (Version: 1) => group_id generation_id member_id [assignments]
 *   (as v0)
 *
 * SyncGroup Response (Version: 1) => throttle_time_ms error_code assignment
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   assignment => BYTES
 */
import { ApiKey } from '../api.ts';
import type { Writer } from '../../protocol/writer.ts';
import { defineCodec } from './define-codec.ts';
import type { SyncGroupResponse } from './sync-group-types.ts';
import { decodeSyncGroupRequestV0 } from './sync-group-v0.ts';

export { decodeSyncGroupRequestV0 as decodeSyncGroupRequestV1 };

export function encodeSyncGroupResponseV1(w: Writer, res: SyncGroupResponse): void {
  w.int32(res.throttleTimeMs ?? 0);
  w.int16(res.errorCode);
  w.bytes(res.assignment);
}

export const syncGroupV1 = defineCodec(ApiKey.SyncGroup, 1, decodeSyncGroupRequestV0, encodeSyncGroupResponseV1);
