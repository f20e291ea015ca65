/**
 * AlterConfigs (apiKey 33): the version-independent request and response, with the spec's field
 * names (AlterConfigsRequest.json / AlterConfigsResponse.json) in camelCase. AlterConfigs
 * replaces a resource's whole dynamic config with the given set.
 */

export interface AlterableConfig {
  name: string;
  value: string | null;
}

export interface AlterConfigsResource {
  /** A {@link ConfigResourceType}. */
  resourceType: number;
  resourceName: string;
  configs: AlterableConfig[];
}

export interface AlterConfigsRequest {
  resources: AlterConfigsResource[];
  validateOnly: boolean;
}

export interface AlterConfigsResourceResponse {
  errorCode: number;
  errorMessage: string | null;
  resourceType: number;
  resourceName: string;
}

export interface AlterConfigsResponse {
  throttleTimeMs: number;
  responses: AlterConfigsResourceResponse[];
}
