/**
 * Produce v7 (apiKey 0): the same on the wire as v6; from v7 batches may be ZStandard-compressed
 * (KIP-110).
 *
 *   Produce Request (Version: 7) => transactional_id acks timeout_ms [topic_data]
 *     transactional_id => NULLABLE_STRING
 *     acks => INT16
 *     timeout_ms => INT32
 *     topic_data => name [partition_data]
 *       name => STRING
 *       partition_data => index records
 *         index => INT32
 *         records => RECORDS
 *
 *   Produce Response (Version: 7) => [responses] throttle_time_ms
 *     responses => name [partition_responses]
 *       name => STRING
 *       partition_responses => index error_code base_offset log_append_time_ms log_start_offset
 *         index => INT32
 *         error_code => INT16
 *         base_offset => INT64
 *         log_append_time_ms => INT64
 *         log_start_offset => INT64
 *     throttle_time_ms => INT32
 */
import type { ApiVersionCodec } from '../api.ts';
import type { ProduceRequest, ProduceResponse } from './produce-types.ts';
import { produceV6 } from './produce-v6.ts';

export const produceV7: ApiVersionCodec<ProduceRequest, ProduceResponse> = { ...produceV6, version: 7 };
