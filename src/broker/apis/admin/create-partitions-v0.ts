/**
 * CreatePartitions v0 (apiKey 37). Grammar from Kafka's protocol guide:
 *
 *   CreatePartitions Request (Version: 0) => [topics] timeout_ms validate_only
 *     topics => name count [assignments]
 *       name => STRING
 *       count => INT32
 *       assignments => [broker_ids]
 *         broker_ids => INT32
 *     timeout_ms => INT32
 *     validate_only => BOOLEAN
 *
 *   CreatePartitions Response (Version: 0) => throttle_time_ms [results]
 *     throttle_time_ms => INT32
 *     results => name error_code error_message
 *       name => STRING
 *       error_code => INT16
 *       error_message => NULLABLE_STRING
 *
 * The assignments array is nullable: null lets the broker place the new partitions.
 */
import type { ApiVersionCodec } from '../api.ts';
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';
import type {
  CreatePartitionsAssignment,
  CreatePartitionsRequest,
  CreatePartitionsResponse,
  CreatePartitionsTopic,
  CreatePartitionsTopicResult,
} from './create-partitions-types.ts';

function decodeAssignment(r: Reader): CreatePartitionsAssignment {
  return { brokerIds: r.array((r) => r.int32()) };
}

function decodeTopic(r: Reader): CreatePartitionsTopic {
  const name = r.string();
  const count = r.int32();
  const assignments = r.nullableArray(decodeAssignment);
  return { name, count, assignments };
}

function encodeResult(w: Writer, t: CreatePartitionsTopicResult): void {
  w.string(t.name).int16(t.errorCode).nullableString(t.errorMessage);
}

export const createPartitionsV0: ApiVersionCodec<CreatePartitionsRequest, CreatePartitionsResponse> = {
  apiKey: ApiKey.CreatePartitions,
  version: 0,
  flexible: false,
  decodeRequest(r: Reader): CreatePartitionsRequest {
    const topics = r.array(decodeTopic);
    const timeoutMs = r.int32();
    const validateOnly = r.bool();
    return { topics, timeoutMs, validateOnly };
  },
  encodeResponse(w: Writer, res: CreatePartitionsResponse): void {
    w.int32(res.throttleTimeMs);
    w.array(res.results, encodeResult);
  },
};
