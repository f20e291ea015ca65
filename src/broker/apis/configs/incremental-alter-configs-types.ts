/**
 * IncrementalAlterConfigs (apiKey 44): the version-independent request and response, with the
 * spec's field names (IncrementalAlterConfigsRequest.json / IncrementalAlterConfigsResponse.json)
 * in camelCase. Unlike AlterConfigs, each config carries its own operation.
 */
import type { AlterConfigsResourceResponse } from './alter-configs-types.ts';

export interface IncrementalAlterableConfig {
  name: string;
  /** An {@link AlterConfigOp}: SET, DELETE, APPEND or SUBTRACT. */
  configOperation: number;
  value: string | null;
}

export interface IncrementalAlterConfigsResource {
  /** A {@link ConfigResourceType}. */
  resourceType: number;
  resourceName: string;
  configs: IncrementalAlterableConfig[];
}

export interface IncrementalAlterConfigsRequest {
  resources: IncrementalAlterConfigsResource[];
  validateOnly: boolean;
}

export type IncrementalAlterConfigsResourceResponse = AlterConfigsResourceResponse;

export interface IncrementalAlterConfigsResponse {
  throttleTimeMs: number;
  responses: IncrementalAlterConfigsResourceResponse[];
}
