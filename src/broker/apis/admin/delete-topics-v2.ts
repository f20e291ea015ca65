/**
 * DeleteTopics v2 (apiKey 20): the same on the wire as v1; from v2 a broker sends the
 * response before throttling a client over its quota.
 *
 *   DeleteTopics Request (Version: 2) => [topic_names] timeout_ms
 *     topic_names => STRING
 *     timeout_ms => INT32
 *
 *   DeleteTopics Response (Version: 2) => throttle_time_ms [responses]
 *     throttle_time_ms => INT32
 *     responses => name error_code
 *       name => STRING
 *       error_code => INT16
 */
import type { ApiVersionCodec } from '../api.ts';
import type { DeleteTopicsRequest, DeleteTopicsResponse } from './delete-topics-types.ts';
import { deleteTopicsV1 } from './delete-topics-v1.ts';

export const deleteTopicsV2: ApiVersionCodec<DeleteTopicsRequest, DeleteTopicsResponse> = { ...deleteTopicsV1, version: 2 };
