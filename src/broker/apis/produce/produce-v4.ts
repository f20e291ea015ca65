/**
 * Produce v4 (apiKey 0): the same on the wire as v3; from v4 the client must be ready for
 * KAFKA_STORAGE_ERROR.
 *
 *   Produce Request (Version: 4) => transactional_id acks timeout_ms [topic_data]
 *     transactional_id => NULLABLE_STRING
 *     acks => INT16
 *     timeout_ms => INT32
 *     topic_data => name [partition_data]
 *       name => STRING
 *       partition_data => index records
 *         index => INT32
 *         records => RECORDS
 *
 *   Produce Response (Version: 4) => [responses] throttle_time_ms
 *     responses => name [partition_responses]
 *       name => STRING
 *       partition_responses => index error_code base_offset log_append_time_ms
 *         index => INT32
 *         error_code => INT16
 *         base_offset => INT64
 *         log_append_time_ms => INT64
 *     throttle_time_ms => INT32
 */
import type { ApiVersionCodec } from '../api.ts';
import type { ProduceRequest, ProduceResponse } from './produce-types.ts';
import { produceV3 } from './produce-v3.ts';

export const produceV4: ApiVersionCodec<ProduceRequest, ProduceResponse> = { ...produceV3, version: 4 };
