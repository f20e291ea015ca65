/**
 * DeleteTopics v3 (apiKey 20): the same on the wire as v2; from v3 the broker may answer
 * TOPIC_DELETION_DISABLED.
 *
 *   DeleteTopics Request (Version: 3) => [topic_names] timeout_ms
 *     topic_names => STRING
 *     timeout_ms => INT32
 *
 *   DeleteTopics Response (Version: 3) => throttle_time_ms [responses]
 *     throttle_time_ms => INT32
 *     responses => name error_code
 *       name => STRING
 *       error_code => INT16
 */
import type { ApiVersionCodec } from '../api.ts';
import type { DeleteTopicsRequest, DeleteTopicsResponse } from './delete-topics-types.ts';
import { deleteTopicsV2 } from './delete-topics-v2.ts';

export const deleteTopicsV3: ApiVersionCodec<DeleteTopicsRequest, DeleteTopicsResponse> = { ...deleteTopicsV2, version: 3 };
