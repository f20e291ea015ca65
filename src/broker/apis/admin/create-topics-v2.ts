/**
 * CreateTopics v2 (apiKey 19): the request is v1's; the response adds the throttle time. Grammar
 * from Kafka's protocol guide:
 *
 *   CreateTopics Request (Version: 2) => [topics] timeout_ms validate_only
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
 *   CreateTopics Response (Version: 2) => throttle_time_ms [topics]
 *     throttle_time_ms => INT32
 *     topics => name error_code error_message
 *       name => STRING
 *       error_code => INT16
 *       error_message => NULLABLE_STRING
 */
import type { ApiVersionCodec } from '../api.ts';
import { ApiKey } from '../api.ts';
import type { Writer } from '../../protocol/writer.ts';
import type { CreatableTopicResult, CreateTopicsRequest, CreateTopicsResponse } from './create-topics-types.ts';
import { createTopicsV1 } from './create-topics-v1.ts';

function encodeResult(w: Writer, t: CreatableTopicResult): void {
  w.string(t.name).int16(t.errorCode).nullableString(t.errorMessage ?? null);
}

export const createTopicsV2: ApiVersionCodec<CreateTopicsRequest, CreateTopicsResponse> = {
  apiKey: ApiKey.CreateTopics,
  version: 2,
  flexible: false,
  decodeRequest: createTopicsV1.decodeRequest,
  encodeResponse(w: Writer, res: CreateTopicsResponse): void {
    w.int32(res.throttleTimeMs ?? 0);
    w.array(res.topics, encodeResult);
  },
};
