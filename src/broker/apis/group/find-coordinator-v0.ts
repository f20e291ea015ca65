/**
 * FindCoordinator v0 (API key 10). Kafka grammar:
 *
 * FindCoordinator Request (Version: 0) => key
 *   key => STRING
 *
 * FindCoordinator Response (Version: 0) => error_code node_id host port
 *   error_code => INT16
 *   node_id => INT32
 *   host => STRING
 *   port => INT32
 */
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';
import { defineCodec } from './define-codec.ts';
import type { FindCoordinatorRequest, FindCoordinatorResponse } from './find-coordinator-types.ts';

export function decodeFindCoordinatorRequestV0(r: Reader): FindCoordinatorRequest {
  const key = r.string();
  return { key };
}

export function encodeFindCoordinatorResponseV0(w: Writer, res: FindCoordinatorResponse): void {
  w.int16(res.errorCode);
  w.int32(res.nodeId);
  w.string(res.host);
  w.int32(res.port);
}

export const findCoordinatorV0 = defineCodec(ApiKey.FindCoordinator, 0, decodeFindCoordinatorRequestV0, encodeFindCoordinatorResponseV0);
