/**
 * AlterConfigs v0 (apiKey 33). Grammar from Kafka's protocol guide:
 *
 *   AlterConfigs Request (Version: 0) => [resources] validate_only
 *     resources => resource_type resource_name [configs]
 *       resource_type => INT8
 *       resource_name => STRING
 *       configs => name value
 *         name => STRING
 *         value => NULLABLE_STRING
 *     validate_only => BOOLEAN
 *
 *   AlterConfigs Response (Version: 0) => throttle_time_ms [responses]
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
  AlterConfigsRequest,
  AlterConfigsResource,
  AlterConfigsResourceResponse,
  AlterConfigsResponse,
  AlterableConfig,
} from './alter-configs-types.ts';

function decodeConfig(r: Reader): AlterableConfig {
  const name = r.string();
  const value = r.nullableString();
  return { name, value };
}

function decodeResource(r: Reader): AlterConfigsResource {
  const resourceType = r.int8();
  const resourceName = r.string();
  const configs = r.array(decodeConfig);
  return { resourceType, resourceName, configs };
}

function encodeResponse(w: Writer, res: AlterConfigsResourceResponse): void {
  w.int16(res.errorCode).nullableString(res.errorMessage).int8(res.resourceType).string(res.resourceName);
}

export const alterConfigsV0: ApiVersionCodec<AlterConfigsRequest, AlterConfigsResponse> = {
  apiKey: ApiKey.AlterConfigs,
  version: 0,
  flexible: false,
  decodeRequest(r: Reader): AlterConfigsRequest {
    const resources = r.array(decodeResource);
    const validateOnly = r.bool();
    return { resources, validateOnly };
  },
  encodeResponse(w: Writer, res: AlterConfigsResponse): void {
    w.int32(res.throttleTimeMs);
    w.array(res.responses, encodeResponse);
  },
};
