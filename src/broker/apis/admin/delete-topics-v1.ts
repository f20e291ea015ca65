/**
 * DeleteTopics v1 (apiKey 20): the request is v0's; the response adds the throttle time. Grammar
 * from Kafka's protocol guide:
 *
 *   DeleteTopics Request (Version: 1) => [topic_names] timeout_ms
 *     topic_names => STRING
 *     timeout_ms => INT32
 *
 *   DeleteTopics Response (Version: 1) => throttle_time_ms [responses]
 *     throttle_time_ms => INT32
 *     responses => name error_code
 *       name => STRING
 *       error_code => INT16
 */
import type { ApiVersionCodec } from '../api.ts';
import { ApiKey } from '../api.ts';
import type { Writer } from '../../protocol/writer.ts';
import type { DeletableTopicResult, DeleteTopicsRequest, DeleteTopicsResponse } from './delete-topics-types.ts';
import { deleteTopicsV0 } from './delete-topics-v0.ts';

function encodeResult(w: Writer, t: DeletableTopicResult): void {
  w.string(t.name).int16(t.errorCode);
}

export const deleteTopicsV1: ApiVersionCodec<DeleteTopicsRequest, DeleteTopicsResponse> = {
  apiKey: ApiKey.DeleteTopics,
  version: 1,
  flexible: false,
  decodeRequest: deleteTopicsV0.decodeRequest,
  encodeResponse(w: Writer, res: DeleteTopicsResponse): void {
    w.int32(res.throttleTimeMs ?? 0);
    w.array(res.responses, encodeResult);
  },
};
