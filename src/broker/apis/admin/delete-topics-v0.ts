/**
 * DeleteTopics v0 (apiKey 20). Grammar from Kafka's protocol guide:
 *
 *   DeleteTopics Request (Version: 0) => [topic_names] timeout_ms
 *     topic_names => STRING
 *     timeout_ms => INT32
 *
 *   DeleteTopics Response (Version: 0) => [responses]
 *     responses => name error_code
 *       name => STRING
 *       error_code => INT16
 */
import type { ApiVersionCodec } from '../api.ts';
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';
import type { DeletableTopicResult, DeleteTopicsRequest, DeleteTopicsResponse } from './delete-topics-types.ts';

function encodeResult(w: Writer, t: DeletableTopicResult): void {
  w.string(t.name).int16(t.errorCode);
}

export const deleteTopicsV0: ApiVersionCodec<DeleteTopicsRequest, DeleteTopicsResponse> = {
  apiKey: ApiKey.DeleteTopics,
  version: 0,
  flexible: false,
  decodeRequest(r: Reader): DeleteTopicsRequest {
    const topicNames = r.array((r) => r.string());
    const timeoutMs = r.int32();
    return { topicNames, timeoutMs };
  },
  encodeResponse(w: Writer, res: DeleteTopicsResponse): void {
    w.array(res.responses, encodeResult);
  },
};
