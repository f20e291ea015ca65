/**
 * OffsetFetch v0 (API key 9). (In Kafka v0 read offsets from ZooKeeper; Runnel answers v0 from
 * the same committed offsets as v1.) Kafka grammar:
 *
 * OffsetFetch Request (Version: 0) => group_id [topics]
 *   group_id => STRING
 *   topics => name [partition_indexes]
 *     name => STRING
 *     partition_indexes => INT32
 *
 * OffsetFetch Response (Version: 0) => [topics]
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index committed_offset metadata error_code
 *       partition_index => INT32
 *       committed_offset => INT64
 *       metadata => NULLABLE_STRING
 *       error_code => INT16
 */
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';
import { defineCodec } from './define-codec.ts';
import type { OffsetFetchRequest, OffsetFetchRequestTopic, OffsetFetchResponse, OffsetFetchResponseTopic } from './offset-fetch-types.ts';

/** Reads one entry of the topics array (unchanged through v5). */
export function decodeOffsetFetchTopic(r: Reader): OffsetFetchRequestTopic {
  const name = r.string();
  const partitionIndexes = r.array((r) => r.int32());
  return { name, partitionIndexes };
}

export function decodeOffsetFetchRequestV0(r: Reader): OffsetFetchRequest {
  const groupId = r.string();
  const topics = r.array(decodeOffsetFetchTopic);
  return { groupId, topics };
}

/** Writes the topics array of v0-v4 (partitions without a leader epoch). */
export function encodeOffsetFetchTopicsV0(w: Writer, topics: readonly OffsetFetchResponseTopic[]): void {
  w.array(topics, (w, t) => {
    w.string(t.name);
    w.array(t.partitions, (w, p) => {
      w.int32(p.partitionIndex);
      w.int64(p.committedOffset);
      w.nullableString(p.metadata);
      w.int16(p.errorCode);
    });
  });
}

export function encodeOffsetFetchResponseV0(w: Writer, res: OffsetFetchResponse): void {
  encodeOffsetFetchTopicsV0(w, res.topics);
}

export const offsetFetchV0 = defineCodec(ApiKey.OffsetFetch, 0, decodeOffsetFetchRequestV0, encodeOffsetFetchResponseV0);
