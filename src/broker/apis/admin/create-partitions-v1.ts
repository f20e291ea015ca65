/**
 * CreatePartitions v1 (apiKey 37): the same on the wire as v0; from v1 a broker sends the
 * response before throttling a client over its quota.
 *
 *   CreatePartitions Request (Version: 1) => [topics] timeout_ms validate_only
 *     topics => name count [assignments]
 *       name => STRING
 *       count => INT32
 *       assignments => [broker_ids]
 *         broker_ids => INT32
 *     timeout_ms => INT32
 *     validate_only => BOOLEAN
 *
 *   CreatePartitions Response (Version: 1) => throttle_time_ms [results]
 *     throttle_time_ms => INT32
 *     results => name error_code error_message
 *       name => STRING
 *       error_code => INT16
 *       error_message => NULLABLE_STRING
 */
import type { ApiVersionCodec } from '../api.ts';
import type { CreatePartitionsRequest, CreatePartitionsResponse } from './create-partitions-types.ts';
import { createPartitionsV0 } from './create-partitions-v0.ts';

export const createPartitionsV1: ApiVersionCodec<CreatePartitionsRequest, CreatePartitionsResponse> = { ...createPartitionsV0, version: 1 };
