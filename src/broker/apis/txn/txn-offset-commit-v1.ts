/**
 * TxnOffsetCommit v1 (apiKey 28): the same on the wire as v0; from v1 a broker sends the
 * response before throttling a client over its quota.
 *
 *   TxnOffsetCommit Request (Version: 1) => transactional_id group_id producer_id producer_epoch [topics]
 *     transactional_id => STRING
 *     group_id => STRING
 *     producer_id => INT64
 *     producer_epoch => INT16
 *     topics => name [partitions]
 *       name => STRING
 *       partitions => partition_index committed_offset committed_metadata
 *         partition_index => INT32
 *         committed_offset => INT64
 *         committed_metadata => NULLABLE_STRING
 *
 *   TxnOffsetCommit Response (Version: 1) => throttle_time_ms [topics]
 *     throttle_time_ms => INT32
 *     topics => name [partitions]
 *       name => STRING
 *       partitions => partition_index error_code
 *         partition_index => INT32
 *         error_code => INT16
 */
import type { ApiVersionCodec } from '../api.ts';
import type { TxnOffsetCommitRequest, TxnOffsetCommitResponse } from './txn-offset-commit-types.ts';
import { txnOffsetCommitV0 } from './txn-offset-commit-v0.ts';

export const txnOffsetCommitV1: ApiVersionCodec<TxnOffsetCommitRequest, TxnOffsetCommitResponse> = { ...txnOffsetCommitV0, version: 1 };
