/**
 * ApiVersions v2 (apiKey 18): the same on the wire as v1; from v2 a broker sends the response
 * before throttling a client that exceeded its quota.
 *
 *   ApiVersions Request (Version: 2) =>
 *
 *   ApiVersions Response (Version: 2) => error_code [api_keys] throttle_time_ms
 *     error_code => INT16
 *     api_keys => api_key min_version max_version
 *       api_key => INT16
 *       min_version => INT16
 *       max_version => INT16
 *     throttle_time_ms => INT32
 */
import type { ApiVersionCodec } from '../api.ts';
import type { ApiVersionsRequest, ApiVersionsResponse } from './api-versions-types.ts';
import { apiVersionsV1 } from './api-versions-v1.ts';

export const apiVersionsV2: ApiVersionCodec<ApiVersionsRequest, ApiVersionsResponse> = { ...apiVersionsV1, version: 2 };
