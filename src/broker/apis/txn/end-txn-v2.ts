/**
 * EndTxn v2 (apiKey 26): the same on the wire as v1; from v2 the broker may answer
 * PRODUCER_FENCED instead of INVALID_PRODUCER_EPOCH.
 *
 *   EndTxn Request (Version: 2) => transactional_id producer_id producer_epoch committed
 *     transactional_id => STRING
 *     producer_id => INT64
 *     producer_epoch => INT16
 *     committed => BOOLEAN
 *
 *   EndTxn Response (Version: 2) => throttle_time_ms error_code
 *     throttle_time_ms => INT32
 *     error_code => INT16
 */
import type { ApiVersionCodec } from '../api.ts';
import type { EndTxnRequest, EndTxnResponse } from './end-txn-types.ts';
import { endTxnV1 } from './end-txn-v1.ts';

export const endTxnV2: ApiVersionCodec<EndTxnRequest, EndTxnResponse> = { ...endTxnV1, version: 2 };
