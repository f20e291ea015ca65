/**
 * ListOffsets (apiKey 2): the version-independent request and response, with the spec's field
 * names (ListOffsetsRequest.json / ListOffsetsResponse.json) in camelCase.
 */

/** The special timestamps of a ListOffsets partition query. */
export const ListOffsetsTimestamp = {
  /** The offset of the next record to be written (the log end offset, or the LSO for read_committed). */
  latest: -1n,
  /** The log start offset. */
  earliest: -2n,
} as const;

export interface ListOffsetsPartition {
  partitionIndex: number;
  /** v4+; -1 when absent (no fencing). */
  currentLeaderEpoch?: number;
  /** A timestamp in ms, or one of {@link ListOffsetsTimestamp}. */
  timestamp: bigint;
  /** v0 only: how many offsets to return (at most; Runnel returns one). */
  maxNumOffsets?: number;
}

export interface ListOffsetsTopic {
  name: string;
  partitions: ListOffsetsPartition[];
}

export interface ListOffsetsRequest {
  /** -1 for consumers. */
  replicaId: number;
  /** v2+; 0 (read_uncommitted) when absent. */
  isolationLevel?: number;
  topics: ListOffsetsTopic[];
}

export interface ListOffsetsPartitionResponse {
  partitionIndex: number;
  errorCode: number;
  /** v0 only. When absent, the v0 encoder writes `[offset]`, or `[]` if offset is absent or -1. */
  oldStyleOffsets?: bigint[];
  /** v1+; -1 when absent. */
  timestamp?: bigint;
  /** v1+; -1 when absent. */
  offset?: bigint;
  /** v4+; -1 when absent. */
  leaderEpoch?: number;
}

export interface ListOffsetsTopicResponse {
  name: string;
  partitions: ListOffsetsPartitionResponse[];
}

export interface ListOffsetsResponse {
  /** v2+; 0 when absent. */
  throttleTimeMs?: number;
  topics: ListOffsetsTopicResponse[];
}
