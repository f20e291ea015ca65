/**
 * Configs: DescribeConfigs, AlterConfigs (replace) and IncrementalAlterConfigs (per-key
 * operations), for topics and brokers.
 */
import type { ApiDefinition } from '../api.ts';
import { ApiKey } from '../api.ts';
import type { AlterConfigsRequest, AlterConfigsResponse } from './alter-configs-types.ts';
import { alterConfigsV0 } from './alter-configs-v0.ts';
import { alterConfigsV1 } from './alter-configs-v1.ts';
import type { DescribeConfigsRequest, DescribeConfigsResponse } from './describe-configs-types.ts';
import { describeConfigsV0 } from './describe-configs-v0.ts';
import { describeConfigsV1 } from './describe-configs-v1.ts';
import { describeConfigsV2 } from './describe-configs-v2.ts';
import { describeConfigsV3 } from './describe-configs-v3.ts';
import type { IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse } from './incremental-alter-configs-types.ts';
import { incrementalAlterConfigsV0 } from './incremental-alter-configs-v0.ts';
import { incrementalAlterConfigsV1 } from './incremental-alter-configs-v1.ts';

export type * from './describe-configs-types.ts';
export type * from './alter-configs-types.ts';
export type * from './incremental-alter-configs-types.ts';
export { AlterConfigOp, ConfigResourceType, ConfigSource, ConfigType } from './config-enums.ts';

export const describeConfigsApi: ApiDefinition<DescribeConfigsRequest, DescribeConfigsResponse> = {
  apiKey: ApiKey.DescribeConfigs,
  name: 'DescribeConfigs',
  codecs: [describeConfigsV0, describeConfigsV1, describeConfigsV2, describeConfigsV3],
  errorResponse(req: DescribeConfigsRequest, errorCode: number): DescribeConfigsResponse {
    return {
      throttleTimeMs: 0,
      results: req.resources.map((r) => ({
        errorCode,
        errorMessage: null,
        resourceType: r.resourceType,
        resourceName: r.resourceName,
        configs: [],
      })),
    };
  },
};

export const alterConfigsApi: ApiDefinition<AlterConfigsRequest, AlterConfigsResponse> = {
  apiKey: ApiKey.AlterConfigs,
  name: 'AlterConfigs',
  codecs: [alterConfigsV0, alterConfigsV1],
  errorResponse(req: AlterConfigsRequest, errorCode: number): AlterConfigsResponse {
    return {
      throttleTimeMs: 0,
      responses: req.resources.map((r) => ({ errorCode, errorMessage: null, resourceType: r.resourceType, resourceName: r.resourceName })),
    };
  },
};

export const incrementalAlterConfigsApi: ApiDefinition<IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse> = {
  apiKey: ApiKey.IncrementalAlterConfigs,
  name: 'IncrementalAlterConfigs',
  codecs: [incrementalAlterConfigsV0, incrementalAlterConfigsV1],
  errorResponse(req: IncrementalAlterConfigsRequest, errorCode: number): IncrementalAlterConfigsResponse {
    return {
      throttleTimeMs: 0,
      responses: req.resources.map((r) => ({ errorCode, errorMessage: null, resourceType: r.resourceType, resourceName: r.resourceName })),
    };
  },
};
