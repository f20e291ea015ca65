/**
 * ApiVersions v0 (apiKey 18). Grammar from Kafka's protocol guide:
 *
 *   ApiVersions Request (Version: 0) =>
 *
 *   ApiVersions Response (Version: 0) => error_code [api_keys]
 *     error_code => INT16
 *     api_keys => api_key min_version max_version
 *       api_key => INT16
 *       min_version => INT16
 *       max_version => INT16
 *
 * This is also the format of the fallback answer to an ApiVersions request of a version the
 * broker does not know (see {@link encodeApiVersionsFallback} in index.ts).
 */
import type { ApiVersionCodec } from '../api.ts';
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';
import type { ApiVersionRange, ApiVersionsRequest, ApiVersionsResponse } from './api-versions-types.ts';

function encodeApiKey(w: Writer, k: ApiVersionRange): void {
  w.int16(k.apiKey).int16(k.minVersion).int16(k.maxVersion);
}

export const apiVersionsV0: ApiVersionCodec<ApiVersionsRequest, ApiVersionsResponse> = {
  apiKey: ApiKey.ApiVersions,
  version: 0,
  flexible: false,
  decodeRequest(_r: Reader): ApiVersionsRequest {
    return {};
  },
  encodeResponse(w: Writer, res: ApiVersionsResponse): void {
    w.int16(res.errorCode);
    w.array(res.apiKeys, encodeApiKey);
  },
};
