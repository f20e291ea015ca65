/**
 * ApiVersions (apiKey 18): the version-independent request and response, with the spec's field
 * names (ApiVersionsRequest.json / ApiVersionsResponse.json) in camelCase.
 */

export interface ApiVersionsRequest {
  /** v3+: the client library's name, e.g. "librdkafka" or "apache-kafka-java". */
  clientSoftwareName?: string;
  /** v3+: the client library's version. */
  clientSoftwareVersion?: string;
}

export interface ApiVersionRange {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

export interface SupportedFeatureKey {
  name: string;
  minVersion: number;
  maxVersion: number;
}

export interface FinalizedFeatureKey {
  name: string;
  maxVersionLevel: number;
  minVersionLevel: number;
}

export interface ApiVersionsResponse {
  errorCode: number;
  apiKeys: ApiVersionRange[];
  /** v1+; written as 0 when absent. */
  throttleTimeMs?: number;
  /** v3+, tagged field 0; omitted from the wire when absent. */
  supportedFeatures?: SupportedFeatureKey[];
  /** v3+, tagged field 1; omitted when absent (the spec's default is -1). */
  finalizedFeaturesEpoch?: bigint;
  /** v3+, tagged field 2; omitted when absent. */
  finalizedFeatures?: FinalizedFeatureKey[];
}
