/**
 * Fetch v9 (apiKey 1): each fetched partition carries the client's current leader epoch, for
 * fencing (KIP-320); the response is v7's. Grammar from Kafka's protocol guide:
 *
 *   Fetch Request (Version: 9) => replica_id max_wait_ms min_bytes max_bytes isolation_level session_id session_epoch [topics] [forgotten_topics_data]
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
 *
 *   Fetch Response (Version: 9) => throttle_time_ms error_code session_id [responses]
 *     throttle_time_ms => INT32
 *     error_code => INT16
 *     session_id => INT32
 *     responses => topic [partitions]
 *       topic => STRING
 *       partitions => partition_index error_code high_watermark last_stable_offset log_start_offset [aborted_transactions] records
 *         partition_index => INT32
 *         error_code => INT16
 *         high_watermark => INT64
 *         last_stable_offset => INT64
 *         log_start_offset => INT64
 *         aborted_transactions => producer_id first_offset
 *           producer_id => INT64
 *           first_offset => INT64
 *         records => RECORDS
 */
import type { ApiVersionCodec } from '../api.ts';
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import type { FetchPartition, FetchRequest, FetchResponse, FetchTopic, ForgottenTopic } from './fetch-types.ts';
import { fetchV7 } from './fetch-v7.ts';

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

export const fetchV9: ApiVersionCodec<FetchRequest, FetchResponse> = {
  apiKey: ApiKey.Fetch,
  version: 9,
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
    return { replicaId, maxWaitMs, minBytes, maxBytes, isolationLevel, sessionId, sessionEpoch, topics, forgottenTopicsData };
  },
  encodeResponse: fetchV7.encodeResponse,
};
