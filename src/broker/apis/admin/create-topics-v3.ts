/**
 * CreateTopics v3 (apiKey 19): the same on the wire as v2; from v3 a broker sends the
 * response before throttling a client over its quota.
 *
 *   CreateTopics Request (Version: 3) => [topics] timeout_ms validate_only
 *     topics => name num_partitions replication_factor [assignments] [configs]
 *       name => STRING
 *       num_partitions => INT32
 *       replication_factor => INT16
 *       assignments => partition_index [broker_ids]
 *         partition_index => INT32
 *         broker_ids => INT32
 *       configs => name value
 *         name => STRING
 *         value => NULLABLE_STRING
 *     timeout_ms => INT32
 *     validate_only => BOOLEAN
 *
 *   CreateTopics Response (Version: 3) => throttle_time_ms [topics]
 *     throttle_time_ms => INT32
 *     topics => name error_code error_message
 *       name => STRING
 *       error_code => INT16
 *       error_message => NULLABLE_STRING
 */
import type { ApiVersionCodec } from '../api.ts';
import type { CreateTopicsRequest, CreateTopicsResponse } from './create-topics-types.ts';
import { createTopicsV2 } from './create-topics-v2.ts';

export const createTopicsV3: ApiVersionCodec<CreateTopicsRequest, CreateTopicsResponse> = { ...createTopicsV2, version: 3 };
