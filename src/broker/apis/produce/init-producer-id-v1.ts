/**
 * InitProducerId v1 (apiKey 22): the same on the wire as v0; from v1 a broker sends the response
 * before throttling a client over its quota.
 *
 *   InitProducerId Request (Version: 1) => transactional_id transaction_timeout_ms
 *     transactional_id => NULLABLE_STRING
 *     transaction_timeout_ms => INT32
 *
 *   InitProducerId Response (Version: 1) => throttle_time_ms error_code producer_id producer_epoch
 *     throttle_time_ms => INT32
 *     error_code => INT16
 *     producer_id => INT64
 *     producer_epoch => INT16
 */
import type { ApiVersionCodec } from '../api.ts';
import type { InitProducerIdRequest, InitProducerIdResponse } from './init-producer-id-types.ts';
import { initProducerIdV0 } from './init-producer-id-v0.ts';

export const initProducerIdV1: ApiVersionCodec<InitProducerIdRequest, InitProducerIdResponse> = { ...initProducerIdV0, version: 1 };
