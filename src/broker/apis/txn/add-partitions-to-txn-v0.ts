/**
 * AddPartitionsToTxn v0 (apiKey 24). Grammar from Kafka's protocol guide:
 *
 *   AddPartitionsToTxn Request (Version: 0) => v3_and_below_transactional_id v3_and_below_producer_id v3_and_below_producer_epoch [v3_and_below_topics]
 *     v3_and_below_transactional_id => STRING
 *     v3_and_below_producer_id => INT64
 *     v3_and_below_producer_epoch => INT16
 *     v3_and_below_topics => name [partitions]
 *       name => STRING
 *       partitions => INT32
 *
 *   AddPartitionsToTxn Response (Version: 0) => throttle_time_ms [results_by_topic_v3_and_below]
 *     throttle_time_ms => INT32
 *     results_by_topic_v3_and_below => name [results_by_partition]
 *       name => STRING
 *       results_by_partition => partition_index partition_error_code
 *         partition_index => INT32
 *         partition_error_code => INT16
 */
import type { ApiVersionCodec } from '../api.ts';
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';
import type {
  AddPartitionsToTxnPartitionResult,
  AddPartitionsToTxnRequest,
  AddPartitionsToTxnResponse,
  AddPartitionsToTxnTopic,
  AddPartitionsToTxnTopicResult,
} from './add-partitions-to-txn-types.ts';

function decodeTopic(r: Reader): AddPartitionsToTxnTopic {
  const name = r.string();
  const partitions = r.array((r) => r.int32());
  return { name, partitions };
}

function encodePartition(w: Writer, p: AddPartitionsToTxnPartitionResult): void {
  w.int32(p.partitionIndex).int16(p.partitionErrorCode);
}

function encodeTopic(w: Writer, t: AddPartitionsToTxnTopicResult): void {
  w.string(t.name);
  w.array(t.resultsByPartition, encodePartition);
}

export const addPartitionsToTxnV0: ApiVersionCodec<AddPartitionsToTxnRequest, AddPartitionsToTxnResponse> = {
  apiKey: ApiKey.AddPartitionsToTxn,
  version: 0,
  flexible: false,
  decodeRequest(r: Reader): AddPartitionsToTxnRequest {
    const transactionalId = r.string();
    const producerId = r.int64();
    const producerEpoch = r.int16();
    const topics = r.array(decodeTopic);
    return { transactionalId, producerId, producerEpoch, topics };
  },
  encodeResponse(w: Writer, res: AddPartitionsToTxnResponse): void {
    w.int32(res.throttleTimeMs);
    w.array(res.resultsByTopic, encodeTopic);
  },
};
