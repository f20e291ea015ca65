/**
 * ListOffsets v3 (apiKey 2): the same on the wire as v2; from v3 a broker sends the
 * response before throttling a client over its quota.
 *
 *   ListOffsets Request (Version: 3) => replica_id isolation_level [topics]
 *     replica_id => INT32
 *     isolation_level => INT8
 *     topics => name [partitions]
 *       name => STRING
 *       partitions => partition_index timestamp
 *         partition_index => INT32
 *         timestamp => INT64
 *
 *   ListOffsets Response (Version: 3) => throttle_time_ms [topics]
 *     throttle_time_ms => INT32
 *     topics => name [partitions]
 *       name => STRING
 *       partitions => partition_index error_code timestamp offset
 *         partition_index => INT32
 *         error_code => INT16
 *         timestamp => INT64
 *         offset => INT64
 */
import type { ApiVersionCodec } from '../api.ts';
import type { ListOffsetsRequest, ListOffsetsResponse } from './list-offsets-types.ts';
import { listOffsetsV2 } from './list-offsets-v2.ts';

export const listOffsetsV3: ApiVersionCodec<ListOffsetsRequest, ListOffsetsResponse> = { ...listOffsetsV2, version: 3 };
