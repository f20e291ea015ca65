/**
 * ApiVersions v1 (apiKey 18). Grammar from Kafka's protocol guide:
 *
 *   ApiVersions Request (Version: 1) =>
 *
 *   ApiVersions Response (Version: 1) => error_code [api_keys] throttle_time_ms
 *     error_code => INT16
 *     api_keys => api_key min_version max_version
 *       api_key => INT16
 *       min_version => INT16
 *       max_version => INT16
 *     throttle_time_ms => INT32
 */
import type { ApiVersionCodec } from '../api.ts';
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';
import type { ApiVersionRange, ApiVersionsRequest, ApiVersionsResponse } from './api-versions-types.ts';

function encodeApiKey(w: Writer, k: ApiVersionRange): void {
  w.int16(k.apiKey).int16(k.minVersion).int16(k.maxVersion);
}

export const apiVersionsV1: ApiVersionCodec<ApiVersionsRequest, ApiVersionsResponse> = {
  apiKey: ApiKey.ApiVersions,
  version: 1,
  flexible: false,
  decodeRequest(_r: Reader): ApiVersionsRequest {
    return {};
  },
  encodeResponse(w: Writer, res: ApiVersionsResponse): void {
    w.int16(res.errorCode);
    w.array(res.apiKeys, encodeApiKey);
    w.int32(res.throttleTimeMs ?? 0);
  },
};
