/**
 * OffsetFetch v3 (API key 9): the request is unchanged from v2; the response adds
 * throttle_time_ms. Kafka grammar:
 *
 * OffsetFetch Request (Version: 3) => group_id [topics]
 *   (as v2)
 *
 * OffsetFetch Response (Version: 3) => throttle_time_ms [topics] error_code
 *   throttle_time_ms => INT32
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index committed_offset metadata error_code
 *       partition_index => INT32
 *       committed_offset => INT64
 *       metadata => NULLABLE_STRING
 *       error_code => INT16
 *   error_code => INT16
 */
import { ApiKey } from '../api.ts';
import type { Writer } from '../../protocol/writer.ts';
import { defineCodec } from './define-codec.ts';
import type { OffsetFetchResponse } from './offset-fetch-types.ts';
import { encodeOffsetFetchTopicsV0 } from './offset-fetch-v0.ts';
import { decodeOffsetFetchRequestV2 } from './offset-fetch-v2.ts';

export { decodeOffsetFetchRequestV2 as decodeOffsetFetchRequestV3 };

export function encodeOffsetFetchResponseV3(w: Writer, res: OffsetFetchResponse): void {
  w.int32(res.throttleTimeMs ?? 0);
  encodeOffsetFetchTopicsV0(w, res.topics);
  w.int16(res.errorCode ?? 0);
}

export const offsetFetchV3 = defineCodec(ApiKey.OffsetFetch, 3, decodeOffsetFetchRequestV2, encodeOffsetFetchResponseV3);
