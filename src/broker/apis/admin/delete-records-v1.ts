/**
 * DeleteRecords v1 (apiKey 21): the same on the wire as v0; from v1 a broker sends the
 * response before throttling a client over its quota.
 *
 *   DeleteRecords Request (Version: 1) => [topics] timeout_ms
 *     topics => name [partitions]
 *       name => STRING
 *       partitions => partition_index offset
 *         partition_index => INT32
 *         offset => INT64
 *     timeout_ms => INT32
 *
 *   DeleteRecords Response (Version: 1) => throttle_time_ms [topics]
 *     throttle_time_ms => INT32
 *     topics => name [partitions]
 *       name => STRING
 *       partitions => partition_index low_watermark error_code
 *         partition_index => INT32
 *         low_watermark => INT64
 *         error_code => INT16
 */
import type { ApiVersionCodec } from '../api.ts';
import type { DeleteRecordsRequest, DeleteRecordsResponse } from './delete-records-types.ts';
import { deleteRecordsV0 } from './delete-records-v0.ts';

export const deleteRecordsV1: ApiVersionCodec<DeleteRecordsRequest, DeleteRecordsResponse> = { ...deleteRecordsV0, version: 1 };
