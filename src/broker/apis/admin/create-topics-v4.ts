/**
 * CreateTopics v4 (apiKey 19): the same on the wire as v3; from v4 num_partitions and
 * replication_factor may be -1 without assignments, asking for the broker defaults (KIP-464).
 *
 *   CreateTopics Request (Version: 4) => [topics] timeout_ms validate_only
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
 *   CreateTopics Response (Version: 4) => throttle_time_ms [topics]
 *     throttle_time_ms => INT32
 *     topics => name error_code error_message
 *       name => STRING
 *       error_code => INT16
 *       error_message => NULLABLE_STRING
 */
import type { ApiVersionCodec } from '../api.ts';
import type { CreateTopicsRequest, CreateTopicsResponse } from './create-topics-types.ts';
import { createTopicsV3 } from './create-topics-v3.ts';

export const createTopicsV4: ApiVersionCodec<CreateTopicsRequest, CreateTopicsResponse> = { ...createTopicsV3, version: 4 };
