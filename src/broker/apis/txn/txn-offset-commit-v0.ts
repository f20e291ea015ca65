/**
 * TxnOffsetCommit v0 (apiKey 28). Grammar from Kafka's protocol guide:
 *
 *   TxnOffsetCommit Request (Version: 0) => transactional_id group_id producer_id producer_epoch [topics]
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
 *   TxnOffsetCommit Response (Version: 0) => throttle_time_ms [topics]
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
import type { Writer } from '../../protocol/writer.ts';
import type {
  TxnOffsetCommitRequest,
  TxnOffsetCommitRequestPartition,
  TxnOffsetCommitRequestTopic,
  TxnOffsetCommitResponse,
  TxnOffsetCommitResponsePartition,
  TxnOffsetCommitResponseTopic,
} from './txn-offset-commit-types.ts';

function decodePartition(r: Reader): TxnOffsetCommitRequestPartition {
  const partitionIndex = r.int32();
  const committedOffset = r.int64();
  const committedMetadata = r.nullableString();
  return { partitionIndex, committedOffset, committedMetadata };
}

function decodeTopic(r: Reader): TxnOffsetCommitRequestTopic {
  const name = r.string();
  const partitions = r.array(decodePartition);
  return { name, partitions };
}

function encodePartition(w: Writer, p: TxnOffsetCommitResponsePartition): void {
  w.int32(p.partitionIndex).int16(p.errorCode);
}

function encodeTopic(w: Writer, t: TxnOffsetCommitResponseTopic): void {
  w.string(t.name);
  w.array(t.partitions, encodePartition);
}

export const txnOffsetCommitV0: ApiVersionCodec<TxnOffsetCommitRequest, TxnOffsetCommitResponse> = {
  apiKey: ApiKey.TxnOffsetCommit,
  version: 0,
  flexible: false,
  decodeRequest(r: Reader): TxnOffsetCommitRequest {
    const transactionalId = r.string();
    const groupId = r.string();
    const producerId = r.int64();
    const producerEpoch = r.int16();
    const topics = r.array(decodeTopic);
    return { transactionalId, groupId, producerId, producerEpoch, topics };
  },
  encodeResponse(w: Writer, res: TxnOffsetCommitResponse): void {
    w.int32(res.throttleTimeMs);
    w.array(res.topics, encodeTopic);
  },
};
