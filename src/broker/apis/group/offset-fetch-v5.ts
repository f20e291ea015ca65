/**
 * OffsetFetch v5 (API key 9): the request is unchanged from v2; each partition of the response
 * gains the committed leader epoch. Kafka grammar:
 *
 * OffsetFetch Request (Version: 5) => group_id [topics]
 *   (as v2)
 *
 * OffsetFetch Response (Version: 5) => throttle_time_ms [topics] error_code
 *   throttle_time_ms => INT32
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index committed_offset committed_leader_epoch metadata error_code
 *       partition_index => INT32
 *       committed_offset => INT64
 *       committed_leader_epoch => INT32
 *       metadata => NULLABLE_STRING
 *       error_code => INT16
 *   error_code => INT16
 */
import { ApiKey } from '../api.ts';
import type { Writer } from '../../protocol/writer.ts';
import { defineCodec } from './define-codec.ts';
import type { OffsetFetchResponse } from './offset-fetch-types.ts';
import { decodeOffsetFetchRequestV2 } from './offset-fetch-v2.ts';

export { decodeOffsetFetchRequestV2 as decodeOffsetFetchRequestV5 };

export function encodeOffsetFetchResponseV5(w: Writer, res: OffsetFetchResponse): void {
  w.int32(res.throttleTimeMs ?? 0);
  w.array(res.topics, (w, t) => {
    w.string(t.name);
    w.array(t.partitions, (w, p) => {
      w.int32(p.partitionIndex);
      w.int64(p.committedOffset);
      w.int32(p.committedLeaderEpoch ?? -1);
      w.nullableString(p.metadata);
      w.int16(p.errorCode);
    });
  });
  w.int16(res.errorCode ?? 0);
}

export const offsetFetchV5 = defineCodec(ApiKey.OffsetFetch, 5, decodeOffsetFetchRequestV2, encodeOffsetFetchResponseV5);
