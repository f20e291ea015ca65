/**
 * TxnOffsetCommit v2 (apiKey 28): each partition adds the committed leader epoch; the response is
 * v0's. Grammar from Kafka's protocol guide:
 *
 *   TxnOffsetCommit Request (Version: 2) => transactional_id group_id producer_id producer_epoch [topics]
 *     transactional_id => STRING
 *     group_id => STRING
 *     producer_id => INT64
 *     producer_epoch => INT16
 *     topics => name [partitions]
 *       name => STRING
 *       partitions => partition_index committed_offset committed_leader_epoch committed_metadata
 *         partition_index => INT32
 *         committed_offset => INT64
 *         committed_leader_epoch => INT32
 *         committed_metadata => NULLABLE_STRING
 *
 *   TxnOffsetCommit Response (Version: 2) => throttle_time_ms [topics]
 *     throttle_time_ms => INT32
 *     topics => name [partitions]
 *       name => STRING
 *       partitions => partition_index error_code
 *         partition_index => INT32
 *         error_code => INT16
 */
import type { ApiVersionCodec } from '../api.ts';
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import type {
  TxnOffsetCommitRequest,
  TxnOffsetCommitRequestPartition,
  TxnOffsetCommitRequestTopic,
  TxnOffsetCommitResponse,
} from './txn-offset-commit-types.ts';
import { txnOffsetCommitV1 } from './txn-offset-commit-v1.ts';

function decodePartition(r: Reader): TxnOffsetCommitRequestPartition {
  const partitionIndex = r.int32();
  const committedOffset = r.int64();
  const committedLeaderEpoch = r.int32();
  const committedMetadata = r.nullableString();
  return { partitionIndex, committedOffset, committedLeaderEpoch, committedMetadata };
}

function decodeTopic(r: Reader): TxnOffsetCommitRequestTopic {
  const name = r.string();
  const partitions = r.array(decodePartition);
  return { name, partitions };
}

export const txnOffsetCommitV2: ApiVersionCodec<TxnOffsetCommitRequest, TxnOffsetCommitResponse> = {
  apiKey: ApiKey.TxnOffsetCommit,
  version: 2,
  flexible: false,
  decodeRequest(r: Reader): TxnOffsetCommitRequest {
    const transactionalId = r.string();
    const groupId = r.string();
    const producerId = r.int64();
    const producerEpoch = r.int16();
    const topics = r.array(decodeTopic);
    return { transactionalId, groupId, producerId, producerEpoch, topics };
  },
  encodeResponse: txnOffsetCommitV1.encodeResponse,
};
