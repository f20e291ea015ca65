/**
 * IncrementalAlterConfigs v1 (apiKey 44): the first flexible version, otherwise v0. Grammar from
 * Kafka's protocol guide:
 *
 *   IncrementalAlterConfigs Request (Version: 1) => [resources] validate_only TAG_BUFFER
 *     resources => resource_type resource_name [configs] TAG_BUFFER
 *       resource_type => INT8
 *       resource_name => COMPACT_STRING
 *       configs => name config_operation value TAG_BUFFER
 *         name => COMPACT_STRING
 *         config_operation => INT8
 *         value => COMPACT_NULLABLE_STRING
 *     validate_only => BOOLEAN
 *
 *   IncrementalAlterConfigs Response (Version: 1) => throttle_time_ms [responses] TAG_BUFFER
 *     throttle_time_ms => INT32
 *     responses => error_code error_message resource_type resource_name TAG_BUFFER
 *       error_code => INT16
 *       error_message => COMPACT_NULLABLE_STRING
 *       resource_type => INT8
 *       resource_name => COMPACT_STRING
 *
 * Arrays are compact (UNSIGNED_VARINT length + 1). No tagged field is defined for this version;
 * unknown ones in requests are skipped.
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
  const name = r.compactString();
  const configOperation = r.int8();
  const value = r.compactNullableString();
  r.taggedFields();
  return { name, configOperation, value };
}

function decodeResource(r: Reader): IncrementalAlterConfigsResource {
  const resourceType = r.int8();
  const resourceName = r.compactString();
  const configs = r.compactArray(decodeConfig);
  r.taggedFields();
  return { resourceType, resourceName, configs };
}

function encodeResponse(w: Writer, res: IncrementalAlterConfigsResourceResponse): void {
  w.int16(res.errorCode).compactNullableString(res.errorMessage).int8(res.resourceType).compactString(res.resourceName);
  w.taggedFields();
}

export const incrementalAlterConfigsV1: ApiVersionCodec<IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse> = {
  apiKey: ApiKey.IncrementalAlterConfigs,
  version: 1,
  flexible: true,
  decodeRequest(r: Reader): IncrementalAlterConfigsRequest {
    const resources = r.compactArray(decodeResource);
    const validateOnly = r.bool();
    r.taggedFields();
    return { resources, validateOnly };
  },
  encodeResponse(w: Writer, res: IncrementalAlterConfigsResponse): void {
    w.int32(res.throttleTimeMs);
    w.compactArray(res.responses, encodeResponse);
    w.taggedFields();
  },
};
