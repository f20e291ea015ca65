/**
 * DescribeConfigs v3 (apiKey 32): the request can ask for documentation; each config adds its
 * type and documentation. Grammar from Kafka's protocol guide:
 *
 *   DescribeConfigs Request (Version: 3) => [resources] include_synonyms include_documentation
 *     resources => resource_type resource_name [configuration_keys]
 *       resource_type => INT8
 *       resource_name => STRING
 *       configuration_keys => STRING
 *     include_synonyms => BOOLEAN
 *     include_documentation => BOOLEAN
 *
 *   DescribeConfigs Response (Version: 3) => throttle_time_ms [results]
 *     throttle_time_ms => INT32
 *     results => error_code error_message resource_type resource_name [configs]
 *       error_code => INT16
 *       error_message => NULLABLE_STRING
 *       resource_type => INT8
 *       resource_name => STRING
 *       configs => name value read_only config_source is_sensitive [synonyms] config_type documentation
 *         name => STRING
 *         value => NULLABLE_STRING
 *         read_only => BOOLEAN
 *         config_source => INT8
 *         is_sensitive => BOOLEAN
 *         synonyms => name value source
 *           name => STRING
 *           value => NULLABLE_STRING
 *           source => INT8
 *         config_type => INT8
 *         documentation => NULLABLE_STRING
 */
import type { ApiVersionCodec } from '../api.ts';
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';
import { ConfigSource, ConfigType } from './config-enums.ts';
import type {
  DescribeConfigsRequest,
  DescribeConfigsResource,
  DescribeConfigsResourceResult,
  DescribeConfigsResponse,
  DescribeConfigsResult,
  DescribeConfigsSynonym,
} from './describe-configs-types.ts';

function decodeResource(r: Reader): DescribeConfigsResource {
  const resourceType = r.int8();
  const resourceName = r.string();
  const configurationKeys = r.nullableArray((r) => r.string());
  return { resourceType, resourceName, configurationKeys };
}

function encodeSynonym(w: Writer, s: DescribeConfigsSynonym): void {
  w.string(s.name).nullableString(s.value).int8(s.source);
}

function encodeConfig(w: Writer, c: DescribeConfigsResourceResult): void {
  w.string(c.name).nullableString(c.value).bool(c.readOnly);
  w.int8(c.configSource ?? (c.isDefault ? ConfigSource.DEFAULT_CONFIG : -1));
  w.bool(c.isSensitive);
  w.array(c.synonyms ?? [], encodeSynonym);
  w.int8(c.configType ?? ConfigType.UNKNOWN);
  w.nullableString(c.documentation ?? null);
}

function encodeResult(w: Writer, res: DescribeConfigsResult): void {
  w.int16(res.errorCode).nullableString(res.errorMessage).int8(res.resourceType).string(res.resourceName);
  w.array(res.configs, encodeConfig);
}

export const describeConfigsV3: ApiVersionCodec<DescribeConfigsRequest, DescribeConfigsResponse> = {
  apiKey: ApiKey.DescribeConfigs,
  version: 3,
  flexible: false,
  decodeRequest(r: Reader): DescribeConfigsRequest {
    const resources = r.array(decodeResource);
    const includeSynonyms = r.bool();
    const includeDocumentation = r.bool();
    return { resources, includeSynonyms, includeDocumentation };
  },
  encodeResponse(w: Writer, res: DescribeConfigsResponse): void {
    w.int32(res.throttleTimeMs);
    w.array(res.results, encodeResult);
  },
};
