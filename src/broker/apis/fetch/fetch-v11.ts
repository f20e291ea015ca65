/**
 * Fetch v11 (apiKey 1): rack-aware fetching (KIP-392). The request adds the client's rack; the
 * response adds each partition's preferred read replica. Grammar from Kafka's protocol guide:
 *
 *   Fetch Request (Version: 11) => replica_id max_wait_ms min_bytes max_bytes isolation_level session_id session_epoch [topics] [forgotten_topics_data] rack_id
 *     replica_id => INT32
 *     max_wait_ms => INT32
 *     min_bytes => INT32
 *     max_bytes => INT32
 *     isolation_level => INT8
 *     session_id => INT32
 *     session_epoch => INT32
 *     topics => topic [partitions]
 *       topic => STRING
 *       partitions => partition current_leader_epoch fetch_offset log_start_offset partition_max_bytes
 *         partition => INT32
 *         current_leader_epoch => INT32
 *         fetch_offset => INT64
 *         log_start_offset => INT64
 *         partition_max_bytes => INT32
 *     forgotten_topics_data => topic [partitions]
 *       topic => STRING
 *       partitions => INT32
 *     rack_id => STRING
 *
 *   Fetch Response (Version: 11) => throttle_time_ms error_code session_id [responses]
 *     throttle_time_ms => INT32
 *     error_code => INT16
 *     session_id => INT32
 *     responses => topic [partitions]
 *       topic => STRING
 *       partitions => partition_index error_code high_watermark last_stable_offset log_start_offset [aborted_transactions] preferred_read_replica records
 *         partition_index => INT32
 *         error_code => INT16
 *         high_watermark => INT64
 *         last_stable_offset => INT64
 *         log_start_offset => INT64
 *         aborted_transactions => producer_id first_offset
 *           producer_id => INT64
 *           first_offset => INT64
 *         preferred_read_replica => INT32
 *         records => RECORDS
 */
import type { ApiVersionCodec } from '../api.ts';
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';
import type {
  AbortedTransaction,
  FetchPartition,
  FetchPartitionData,
  FetchRequest,
  FetchResponse,
  FetchTopic,
  FetchableTopicResponse,
  ForgottenTopic,
} from './fetch-types.ts';
import { writeRecords } from './records-field.ts';

function decodePartition(r: Reader): FetchPartition {
  const partition = r.int32();
  const currentLeaderEpoch = r.int32();
  const fetchOffset = r.int64();
  const logStartOffset = r.int64();
  const partitionMaxBytes = r.int32();
  return { partition, currentLeaderEpoch, fetchOffset, logStartOffset, partitionMaxBytes };
}

function decodeTopic(r: Reader): FetchTopic {
  const topic = r.string();
  const partitions = r.array(decodePartition);
  return { topic, partitions };
}

function decodeForgotten(r: Reader): ForgottenTopic {
  const topic = r.string();
  const partitions = r.array((r) => r.int32());
  return { topic, partitions };
}

function encodeAborted(w: Writer, a: AbortedTransaction): void {
  w.int64(a.producerId).int64(a.firstOffset);
}

function encodePartition(w: Writer, p: FetchPartitionData): void {
  w.int32(p.partitionIndex).int16(p.errorCode).int64(p.highWatermark).int64(p.lastStableOffset).int64(p.logStartOffset ?? -1n);
  w.nullableArray(p.abortedTransactions, encodeAborted);
  w.int32(p.preferredReadReplica ?? -1);
  writeRecords(w, p.records);
}

function encodeTopic(w: Writer, t: FetchableTopicResponse): void {
  w.string(t.topic);
  w.array(t.partitions, encodePartition);
}

export const fetchV11: ApiVersionCodec<FetchRequest, FetchResponse> = {
  apiKey: ApiKey.Fetch,
  version: 11,
  flexible: false,
  decodeRequest(r: Reader): FetchRequest {
    const replicaId = r.int32();
    const maxWaitMs = r.int32();
    const minBytes = r.int32();
    const maxBytes = r.int32();
    const isolationLevel = r.int8();
    const sessionId = r.int32();
    const sessionEpoch = r.int32();
    const topics = r.array(decodeTopic);
    const forgottenTopicsData = r.array(decodeForgotten);
    const rackId = r.string();
    return { replicaId, maxWaitMs, minBytes, maxBytes, isolationLevel, sessionId, sessionEpoch, topics, forgottenTopicsData, rackId };
  },
  encodeResponse(w: Writer, res: FetchResponse): void {
    w.int32(res.throttleTimeMs).int16(res.errorCode ?? 0).int32(res.sessionId ?? 0);
    w.array(res.responses, encodeTopic);
  },
};
