/**
 * IncrementalAlterConfigs v0 (apiKey 44). Grammar from Kafka's protocol guide:
 *
 *   IncrementalAlterConfigs Request (Version: 0) => [resources] validate_only
 *     resources => resource_type resource_name [configs]
 *       resource_type => INT8
 *       resource_name => STRING
 *       configs => name config_operation value
 *         name => STRING
 *         config_operation => INT8
 *         value => NULLABLE_STRING
 *     validate_only => BOOLEAN
 *
 *   IncrementalAlterConfigs Response (Version: 0) => throttle_time_ms [responses]
 *     throttle_time_ms => INT32
 *     responses => error_code error_message resource_type resource_name
 *       error_code => INT16
 *       error_message => NULLABLE_STRING
 *       resource_type => INT8
 *       resource_name => STRING
 */
import type { ApiVersionCodec } from '../api.ts';
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';
import type {
  IncrementalAlterConfigsRequest,
  IncrementalAlterConfigsResource,
  IncrementalAlterConfigsResourceResponse,
  IncrementalAlterConfigsResponse,
  IncrementalAlterableConfig,
} from './incremental-alter-configs-types.ts';

function decodeConfig(r: Reader): IncrementalAlterableConfig {
  const name = r.string();
  const configOperation = r.int8();
  const value = r.nullableString();
  return { name, configOperation, value };
}

function decodeResource(r: Reader): IncrementalAlterConfigsResource {
  const resourceType = r.int8();
  const resourceName = r.string();
  const configs = r.array(decodeConfig);
  return { resourceType, resourceName, configs };
}

function encodeResponse(w: Writer, res: IncrementalAlterConfigsResourceResponse): void {
  w.int16(res.errorCode).nullableString(res.errorMessage).int8(res.resourceType).string(res.resourceName);
}

export const incrementalAlterConfigsV0: ApiVersionCodec<IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse> = {
  apiKey: ApiKey.IncrementalAlterConfigs,
  version: 0,
  flexible: false,
  decodeRequest(r: Reader): IncrementalAlterConfigsRequest {
    const resources = r.array(decodeResource);
    const validateOnly = r.bool();
    return { resources, validateOnly };
  },
  encodeResponse(w: Writer, res: IncrementalAlterConfigsResponse): void {
    w.int32(res.throttleTimeMs);
    w.array(res.responses, encodeResponse);
  },
};
