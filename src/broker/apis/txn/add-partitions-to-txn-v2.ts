/**
 * AddPartitionsToTxn v2 (apiKey 24): the same on the wire as v1; from v2 the broker may answer
 * PRODUCER_FENCED instead of INVALID_PRODUCER_EPOCH.
 *
 *   AddPartitionsToTxn Request (Version: 2) => v3_and_below_transactional_id v3_and_below_producer_id v3_and_below_producer_epoch [v3_and_below_topics]
 *     v3_and_below_transactional_id => STRING
 *     v3_and_below_producer_id => INT64
 *     v3_and_below_producer_epoch => INT16
 *     v3_and_below_topics => name [partitions]
 *       name => STRING
 *       partitions => INT32
 *
 *   AddPartitionsToTxn Response (Version: 2) => throttle_time_ms [results_by_topic_v3_and_below]
 *     throttle_time_ms => INT32
 *     results_by_topic_v3_and_below => name [results_by_partition]
 *       name => STRING
 *       results_by_partition => partition_index partition_error_code
 *         partition_index => INT32
 *         partition_error_code => INT16
 */
import type { ApiVersionCodec } from '../api.ts';
import type { AddPartitionsToTxnRequest, AddPartitionsToTxnResponse } from './add-partitions-to-txn-types.ts';
import { addPartitionsToTxnV1 } from './add-partitions-to-txn-v1.ts';

export const addPartitionsToTxnV2: ApiVersionCodec<AddPartitionsToTxnRequest, AddPartitionsToTxnResponse> = { ...addPartitionsToTxnV1, version: 2 };
