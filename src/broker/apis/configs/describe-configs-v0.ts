/**
 * DescribeConfigs v0 (apiKey 32). Grammar from Kafka's protocol guide:
 *
 *   DescribeConfigs Request (Version: 0) => [resources]
 *     resources => resource_type resource_name [configuration_keys]
 *       resource_type => INT8
 *       resource_name => STRING
 *       configuration_keys => STRING
 *
 *   DescribeConfigs Response (Version: 0) => throttle_time_ms [results]
 *     throttle_time_ms => INT32
 *     results => error_code error_message resource_type resource_name [configs]
 *       error_code => INT16
 *       error_message => NULLABLE_STRING
 *       resource_type => INT8
 *       resource_name => STRING
 *       configs => name value read_only is_default is_sensitive
 *         name => STRING
 *         value => NULLABLE_STRING
 *         read_only => BOOLEAN
 *         is_default => BOOLEAN
 *         is_sensitive => BOOLEAN
 *
 * configuration_keys is nullable: null asks for every config of the resource.
 */
import type { ApiVersionCodec } from '../api.ts';
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';
import { ConfigSource } from './config-enums.ts';
import type {
  DescribeConfigsRequest,
  DescribeConfigsResource,
  DescribeConfigsResourceResult,
  DescribeConfigsResponse,
  DescribeConfigsResult,
} from './describe-configs-types.ts';

function decodeResource(r: Reader): DescribeConfigsResource {
  const resourceType = r.int8();
  const resourceName = r.string();
  const configurationKeys = r.nullableArray((r) => r.string());
  return { resourceType, resourceName, configurationKeys };
}

function encodeConfig(w: Writer, c: DescribeConfigsResourceResult): void {
  w.string(c.name).nullableString(c.value).bool(c.readOnly);
  w.bool(c.isDefault ?? c.configSource === ConfigSource.DEFAULT_CONFIG);
  w.bool(c.isSensitive);
}

function encodeResult(w: Writer, res: DescribeConfigsResult): void {
  w.int16(res.errorCode).nullableString(res.errorMessage).int8(res.resourceType).string(res.resourceName);
  w.array(res.configs, encodeConfig);
}

export const describeConfigsV0: ApiVersionCodec<DescribeConfigsRequest, DescribeConfigsResponse> = {
  apiKey: ApiKey.DescribeConfigs,
  version: 0,
  flexible: false,
  decodeRequest(r: Reader): DescribeConfigsRequest {
    return { resources: r.array(decodeResource) };
  },
  encodeResponse(w: Writer, res: DescribeConfigsResponse): void {
    w.int32(res.throttleTimeMs);
    w.array(res.results, encodeResult);
  },
};
