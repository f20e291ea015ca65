/**
 * Cluster-level APIs: ApiVersions (what the broker speaks) and Metadata (brokers, topics,
 * partitions and leaders).
 */
import type { ApiDefinition } from '../api.ts';
import { ApiKey } from '../api.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import type { Writer } from '../../protocol/writer.ts';
import type { ApiVersionRange, ApiVersionsRequest, ApiVersionsResponse } from './api-versions-types.ts';
import { apiVersionsV0 } from './api-versions-v0.ts';
import { apiVersionsV1 } from './api-versions-v1.ts';
import { apiVersionsV2 } from './api-versions-v2.ts';
import { apiVersionsV3 } from './api-versions-v3.ts';
import type { MetadataRequest, MetadataResponse } from './metadata-types.ts';
import { metadataV0 } from './metadata-v0.ts';
import { metadataV1 } from './metadata-v1.ts';
import { metadataV2 } from './metadata-v2.ts';
import { metadataV3 } from './metadata-v3.ts';
import { metadataV4 } from './metadata-v4.ts';
import { metadataV5 } from './metadata-v5.ts';
import { metadataV6 } from './metadata-v6.ts';
import { metadataV7 } from './metadata-v7.ts';
import { metadataV8 } from './metadata-v8.ts';

export type * from './api-versions-types.ts';
export type * from './metadata-types.ts';
export { authorizedOperationsUnset } from './metadata-types.ts';

export const apiVersionsApi: ApiDefinition<ApiVersionsRequest, ApiVersionsResponse> = {
  apiKey: ApiKey.ApiVersions,
  name: 'ApiVersions',
  codecs: [apiVersionsV0, apiVersionsV1, apiVersionsV2, apiVersionsV3],
  errorResponse(_req: ApiVersionsRequest, errorCode: number): ApiVersionsResponse {
    return { errorCode, apiKeys: [], throttleTimeMs: 0 };
  },
};

/**
 * The answer to an ApiVersions request of a version the broker does not implement (KIP-511):
 * UNSUPPORTED_VERSION with the broker's ranges, which the client reads as a v0 response and then
 * retries with the highest ApiVersions version both sides know.
 */
export function apiVersionsFallbackResponse(apiKeys: readonly ApiVersionRange[]): ApiVersionsResponse {
  return { errorCode: ErrorCode.UNSUPPORTED_VERSION, apiKeys: [...apiKeys] };
}

/**
 * Writes the body of {@link apiVersionsFallbackResponse} in the v0 response format. The caller
 * writes response header v0 (correlation id only) before it.
 *
 * @example
 *   encodeResponseHeader(w, header.correlationId, 0);
 *   encodeApiVersionsFallback(w, registry.apiVersionRanges());
 */
export function encodeApiVersionsFallback(w: Writer, apiKeys: readonly ApiVersionRange[]): void {
  apiVersionsV0.encodeResponse(w, apiVersionsFallbackResponse(apiKeys));
}

export const metadataApi: ApiDefinition<MetadataRequest, MetadataResponse> = {
  apiKey: ApiKey.Metadata,
  name: 'Metadata',
  codecs: [metadataV0, metadataV1, metadataV2, metadataV3, metadataV4, metadataV5, metadataV6, metadataV7, metadataV8],
  errorResponse(req: MetadataRequest, errorCode: number): MetadataResponse {
    const topics = (req.topics ?? []).map((t) => ({ errorCode, name: t.name, isInternal: false, partitions: [] }));
    return { throttleTimeMs: 0, brokers: [], clusterId: null, controllerId: -1, topics };
  },
};
