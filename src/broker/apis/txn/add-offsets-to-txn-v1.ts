/**
 * AddOffsetsToTxn v1 (apiKey 25): the same on the wire as v0; from v1 a broker sends the
 * response before throttling a client over its quota.
 *
 *   AddOffsetsToTxn Request (Version: 1) => transactional_id producer_id producer_epoch group_id
 *     transactional_id => STRING
 *     producer_id => INT64
 *     producer_epoch => INT16
 *     group_id => STRING
 *
 *   AddOffsetsToTxn Response (Version: 1) => throttle_time_ms error_code
 *     throttle_time_ms => INT32
 *     error_code => INT16
 */
import type { ApiVersionCodec } from '../api.ts';
import type { AddOffsetsToTxnRequest, AddOffsetsToTxnResponse } from './add-offsets-to-txn-types.ts';
import { addOffsetsToTxnV0 } from './add-offsets-to-txn-v0.ts';

export const addOffsetsToTxnV1: ApiVersionCodec<AddOffsetsToTxnRequest, AddOffsetsToTxnResponse> = { ...addOffsetsToTxnV0, version: 1 };
