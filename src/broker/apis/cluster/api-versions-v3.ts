/**
 * ApiVersions v3 (apiKey 18), the first flexible version and the one librdkafka and the Java
 * client send first. Grammar from Kafka's protocol guide:
 *
 *   ApiVersions Request (Version: 3) => client_software_name client_software_version TAG_BUFFER
 *     client_software_name => COMPACT_STRING
 *     client_software_version => COMPACT_STRING
 *
 *   ApiVersions Response (Version: 3) => error_code [api_keys] throttle_time_ms TAG_BUFFER
 *     error_code => INT16
 *     api_keys => api_key min_version max_version TAG_BUFFER
 *       api_key => INT16
 *       min_version => INT16
 *       max_version => INT16
 *     throttle_time_ms => INT32
 *   tagged fields of the response:
 *     0: supported_features => [name min_version max_version TAG_BUFFER]  (COMPACT_STRING INT16 INT16)
 *     1: finalized_features_epoch => INT64
 *     2: finalized_features => [name max_version_level min_version_level TAG_BUFFER]  (COMPACT_STRING INT16 INT16)
 *     3: zk_migration_ready => BOOLEAN (never written: Runnel has no ZooKeeper)
 *
 * The response still goes out with response header v0 (see request-header.ts).
 */
import type { ApiVersionCodec } from '../api.ts';
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import { Writer } from '../../protocol/writer.ts';
import type {
  ApiVersionRange,
  ApiVersionsRequest,
  ApiVersionsResponse,
  FinalizedFeatureKey,
  SupportedFeatureKey,
} from './api-versions-types.ts';

function encodeApiKey(w: Writer, k: ApiVersionRange): void {
  w.int16(k.apiKey).int16(k.minVersion).int16(k.maxVersion).taggedFields();
}

function encodeSupportedFeature(w: Writer, f: SupportedFeatureKey): void {
  w.compactString(f.name).int16(f.minVersion).int16(f.maxVersion).taggedFields();
}

function encodeFinalizedFeature(w: Writer, f: FinalizedFeatureKey): void {
  w.compactString(f.name).int16(f.maxVersionLevel).int16(f.minVersionLevel).taggedFields();
}

function responseTaggedFields(res: ApiVersionsResponse): Map<number, Uint8Array> {
  const fields = new Map<number, Uint8Array>();
  if (res.supportedFeatures) {
    fields.set(0, new Writer(64).compactArray(res.supportedFeatures, encodeSupportedFeature).toBuffer());
  }
  if (res.finalizedFeaturesEpoch !== undefined) {
    fields.set(1, new Writer(8).int64(res.finalizedFeaturesEpoch).toBuffer());
  }
  if (res.finalizedFeatures) {
    fields.set(2, new Writer(64).compactArray(res.finalizedFeatures, encodeFinalizedFeature).toBuffer());
  }
  return fields;
}

export const apiVersionsV3: ApiVersionCodec<ApiVersionsRequest, ApiVersionsResponse> = {
  apiKey: ApiKey.ApiVersions,
  version: 3,
  flexible: true,
  decodeRequest(r: Reader): ApiVersionsRequest {
    const clientSoftwareName = r.compactString();
    const clientSoftwareVersion = r.compactString();
    r.taggedFields();
    return { clientSoftwareName, clientSoftwareVersion };
  },
  encodeResponse(w: Writer, res: ApiVersionsResponse): void {
    w.int16(res.errorCode);
    w.compactArray(res.apiKeys, encodeApiKey);
    w.int32(res.throttleTimeMs ?? 0);
    w.taggedFields(responseTaggedFields(res));
  },
};
