/**
 * AlterConfigs v1 (apiKey 33): the same on the wire as v0; from v1 a broker sends the
 * response before throttling a client over its quota.
 *
 *   AlterConfigs Request (Version: 1) => [resources] validate_only
 *     resources => resource_type resource_name [configs]
 *       resource_type => INT8
 *       resource_name => STRING
 *       configs => name value
 *         name => STRING
 *         value => NULLABLE_STRING
 *     validate_only => BOOLEAN
 *
 *   AlterConfigs Response (Version: 1) => throttle_time_ms [responses]
 *     throttle_time_ms => INT32
 *     responses => error_code error_message resource_type resource_name
 *       error_code => INT16
 *       error_message => NULLABLE_STRING
 *       resource_type => INT8
 *       resource_name => STRING
 */
import type { ApiVersionCodec } from '../api.ts';
import type { AlterConfigsRequest, AlterConfigsResponse } from './alter-configs-types.ts';
import { alterConfigsV0 } from './alter-configs-v0.ts';

export const alterConfigsV1: ApiVersionCodec<AlterConfigsRequest, AlterConfigsResponse> = { ...alterConfigsV0, version: 1 };
