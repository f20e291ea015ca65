/**
 * DescribeConfigs (apiKey 32): the version-independent request and response, with the spec's
 * field names (DescribeConfigsRequest.json / DescribeConfigsResponse.json) in camelCase. Numeric
 * enums are in config-enums.ts.
 */

export interface DescribeConfigsResource {
  /** A {@link ConfigResourceType}. */
  resourceType: number;
  resourceName: string;
  /** The config names to describe, or null for all. */
  configurationKeys: string[] | null;
}

export interface DescribeConfigsRequest {
  resources: DescribeConfigsResource[];
  /** v1+; false when absent. */
  includeSynonyms?: boolean;
  /** v3+; false when absent. */
  includeDocumentation?: boolean;
}

export interface DescribeConfigsSynonym {
  name: string;
  value: string | null;
  /** A {@link ConfigSource}. */
  source: number;
}

export interface DescribeConfigsResourceResult {
  name: string;
  value: string | null;
  readOnly: boolean;
  /** v0 only; when absent, true if configSource is DEFAULT_CONFIG. */
  isDefault?: boolean;
  /** v1+, a {@link ConfigSource}; when absent, DEFAULT_CONFIG if isDefault, else -1. */
  configSource?: number;
  isSensitive: boolean;
  /** v1+; empty when absent. */
  synonyms?: DescribeConfigsSynonym[];
  /** v3+, a {@link ConfigType}; UNKNOWN (0) when absent. */
  configType?: number;
  /** v3+; null when absent. */
  documentation?: string | null;
}

export interface DescribeConfigsResult {
  errorCode: number;
  errorMessage: string | null;
  resourceType: number;
  resourceName: string;
  configs: DescribeConfigsResourceResult[];
}

export interface DescribeConfigsResponse {
  throttleTimeMs: number;
  results: DescribeConfigsResult[];
}
