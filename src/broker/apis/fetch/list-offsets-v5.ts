/**
 * ListOffsets v5 (apiKey 2): the same on the wire as v4; from v5 the broker may answer
 * OFFSET_NOT_AVAILABLE while a new leader's high watermark catches up.
 *
 *   ListOffsets Request (Version: 5) => replica_id isolation_level [topics]
 *     replica_id => INT32
 *     isolation_level => INT8
 *     topics => name [partitions]
 *       name => STRING
 *       partitions => partition_index current_leader_epoch timestamp
 *         partition_index => INT32
 *         current_leader_epoch => INT32
 *         timestamp => INT64
 *
 *   ListOffsets Response (Version: 5) => throttle_time_ms [topics]
 *     throttle_time_ms => INT32
 *     topics => name [partitions]
 *       name => STRING
 *       partitions => partition_index error_code timestamp offset leader_epoch
 *         partition_index => INT32
 *         error_code => INT16
 *         timestamp => INT64
 *         offset => INT64
 *         leader_epoch => INT32
 */
import type { ApiVersionCodec } from '../api.ts';
import type { ListOffsetsRequest, ListOffsetsResponse } from './list-offsets-types.ts';
import { listOffsetsV4 } from './list-offsets-v4.ts';

export const listOffsetsV5: ApiVersionCodec<ListOffsetsRequest, ListOffsetsResponse> = { ...listOffsetsV4, version: 5 };
