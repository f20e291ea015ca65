/**
 * EndTxn v1 (apiKey 26): the same on the wire as v0; from v1 a broker sends the
 * response before throttling a client over its quota.
 *
 *   EndTxn Request (Version: 1) => transactional_id producer_id producer_epoch committed
 *     transactional_id => STRING
 *     producer_id => INT64
 *     producer_epoch => INT16
 *     committed => BOOLEAN
 *
 *   EndTxn Response (Version: 1) => throttle_time_ms error_code
 *     throttle_time_ms => INT32
 *     error_code => INT16
 */
import type { ApiVersionCodec } from '../api.ts';
import type { EndTxnRequest, EndTxnResponse } from './end-txn-types.ts';
import { endTxnV0 } from './end-txn-v0.ts';

export const endTxnV1: ApiVersionCodec<EndTxnRequest, EndTxnResponse> = { ...endTxnV0, version: 1 };
