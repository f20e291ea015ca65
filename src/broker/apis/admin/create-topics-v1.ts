/**
 * CreateTopics v1 (apiKey 19): the request adds validate_only, the response an error message per
 * topic. Grammar from Kafka's protocol guide:
 *
 *   CreateTopics Request (Version: 1) => [topics] timeout_ms validate_only
 *     topics => name num_partitions replication_factor [assignments] [configs]
 *       name => STRING
 *       num_partitions => INT32
 *       replication_factor => INT16
 *       assignments => partition_index [broker_ids]
 *         partition_index => INT32
 *         broker_ids => INT32
 *       configs => name value
 *         name => STRING
 *         value => NULLABLE_STRING
 *     timeout_ms => INT32
 *     validate_only => BOOLEAN
 *
 *   CreateTopics Response (Version: 1) => [topics]
 *     topics => name error_code error_message
 *       name => STRING
 *       error_code => INT16
 *       error_message => NULLABLE_STRING
 */
import type { ApiVersionCodec } from '../api.ts';
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';
import type {
  CreatableReplicaAssignment,
  CreatableTopic,
  CreatableTopicConfig,
  CreatableTopicResult,
  CreateTopicsRequest,
  CreateTopicsResponse,
} from './create-topics-types.ts';

function decodeAssignment(r: Reader): CreatableReplicaAssignment {
  const partitionIndex = r.int32();
  const brokerIds = r.array((r) => r.int32());
  return { partitionIndex, brokerIds };
}

function decodeConfig(r: Reader): CreatableTopicConfig {
  const name = r.string();
  const value = r.nullableString();
  return { name, value };
}

function decodeTopic(r: Reader): CreatableTopic {
  const name = r.string();
  const numPartitions = r.int32();
  const replicationFactor = r.int16();
  const assignments = r.array(decodeAssignment);
  const configs = r.array(decodeConfig);
  return { name, numPartitions, replicationFactor, assignments, configs };
}

function encodeResult(w: Writer, t: CreatableTopicResult): void {
  w.string(t.name).int16(t.errorCode).nullableString(t.errorMessage ?? null);
}

export const createTopicsV1: ApiVersionCodec<CreateTopicsRequest, CreateTopicsResponse> = {
  apiKey: ApiKey.CreateTopics,
  version: 1,
  flexible: false,
  decodeRequest(r: Reader): CreateTopicsRequest {
    const topics = r.array(decodeTopic);
    const timeoutMs = r.int32();
    const validateOnly = r.bool();
    return { topics, timeoutMs, validateOnly };
  },
  encodeResponse(w: Writer, res: CreateTopicsResponse): void {
    w.array(res.topics, encodeResult);
  },
};
