/**
 * OffsetFetch v2 (API key 9): a null topics array asks for all committed offsets, and the
 * response gains a top-level error code. Kafka grammar:
 *
 * OffsetFetch Request (Version: 2) => group_id [topics]
 *   group_id => STRING
 *   topics => name [partition_indexes]   (nullable array)
 *     name => STRING
 *     partition_indexes => INT32
 *
 * OffsetFetch Response (Version: 2) => [topics] error_code
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
import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';
import { defineCodec } from './define-codec.ts';
import type { OffsetFetchRequest, OffsetFetchResponse } from './offset-fetch-types.ts';
import { decodeOffsetFetchTopic, encodeOffsetFetchTopicsV0 } from './offset-fetch-v0.ts';

export function decodeOffsetFetchRequestV2(r: Reader): OffsetFetchRequest {
  const groupId = r.string();
  const topics = r.nullableArray(decodeOffsetFetchTopic);
  return { groupId, topics };
}

export function encodeOffsetFetchResponseV2(w: Writer, res: OffsetFetchResponse): void {
  encodeOffsetFetchTopicsV0(w, res.topics);
  w.int16(res.errorCode ?? 0);
}

export const offsetFetchV2 = defineCodec(ApiKey.OffsetFetch, 2, decodeOffsetFetchRequestV2, encodeOffsetFetchResponseV2);
