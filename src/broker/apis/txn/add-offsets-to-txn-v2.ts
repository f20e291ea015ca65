/**
 * AddOffsetsToTxn v2 (apiKey 25): the same on the wire as v1; from v2 the broker may answer
 * PRODUCER_FENCED instead of INVALID_PRODUCER_EPOCH.
 *
 *   AddOffsetsToTxn Request (Version: 2) => transactional_id producer_id producer_epoch group_id
 *     transactional_id => STRING
 *     producer_id => INT64
 *     producer_epoch => INT16
 *     group_id => STRING
 *
 *   AddOffsetsToTxn Response (Version: 2) => throttle_time_ms error_code
 *     throttle_time_ms => INT32
 *     error_code => INT16
 */
import type { ApiVersionCodec } from '../api.ts';
import type { AddOffsetsToTxnRequest, AddOffsetsToTxnResponse } from './add-offsets-to-txn-types.ts';
import { addOffsetsToTxnV1 } from './add-offsets-to-txn-v1.ts';

export const addOffsetsToTxnV2: ApiVersionCodec<AddOffsetsToTxnRequest, AddOffsetsToTxnResponse> = { ...addOffsetsToTxnV1, version: 2 };
