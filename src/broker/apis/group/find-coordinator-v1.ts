/**
 * FindCoordinator v1 (API key 10): adds key_type to the request, throttle time and an error
 * message to the response. Kafka grammar:
 *
 * FindCoordinator Request (Version: 1) => key key_type
 *   key => STRING
 *   key_type => INT8
 *
 * FindCoordinator Response (Version: 1) => throttle_time_ms error_code error_message node_id host port
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   error_message => NULLABLE_STRING
 *   node_id => INT32
 *   host => STRING
 *   port => INT32
 */
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';
import { defineCodec } from './define-codec.ts';
import type { FindCoordinatorRequest, FindCoordinatorResponse } from './find-coordinator-types.ts';

export function decodeFindCoordinatorRequestV1(r: Reader): FindCoordinatorRequest {
  const key = r.string();
  const keyType = r.int8();
  return { key, keyType };
}

export function encodeFindCoordinatorResponseV1(w: Writer, res: FindCoordinatorResponse): void {
  w.int32(res.throttleTimeMs ?? 0);
  w.int16(res.errorCode);
  w.nullableString(res.errorMessage ?? null);
  w.int32(res.nodeId);
  w.string(res.host);
  w.int32(res.port);
}

export const findCoordinatorV1 = defineCodec(ApiKey.FindCoordinator, 1, decodeFindCoordinatorRequestV1, encodeFindCoordinatorResponseV1);
