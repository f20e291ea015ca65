/**
 * AddPartitionsToTxn v1 (apiKey 24): the same on the wire as v0; from v1 a broker sends the
 * response before throttling a client over its quota.
 *
 *   AddPartitionsToTxn Request (Version: 1) => v3_and_below_transactional_id v3_and_below_producer_id v3_and_below_producer_epoch [v3_and_below_topics]
 *     v3_and_below_transactional_id => STRING
 *     v3_and_below_producer_id => INT64
 *     v3_and_below_producer_epoch => INT16
 *     v3_and_below_topics => name [partitions]
 *       name => STRING
 *       partitions => INT32
 *
 *   AddPartitionsToTxn Response (Version: 1) => throttle_time_ms [results_by_topic_v3_and_below]
 *     throttle_time_ms => INT32
 *     results_by_topic_v3_and_below => name [results_by_partition]
 *       name => STRING
 *       results_by_partition => partition_index partition_error_code
 *         partition_index => INT32
 *         partition_error_code => INT16
 */
import type { ApiVersionCodec } from '../api.ts';
import type { AddPartitionsToTxnRequest, AddPartitionsToTxnResponse } from './add-partitions-to-txn-types.ts';
import { addPartitionsToTxnV0 } from './add-partitions-to-txn-v0.ts';

export const addPartitionsToTxnV1: ApiVersionCodec<AddPartitionsToTxnRequest, AddPartitionsToTxnResponse> = { ...addPartitionsToTxnV0, version: 1 };
