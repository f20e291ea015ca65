/**
 * OffsetFetch (API key 9), version-independent shapes. Spec:
 * clients/src/main/resources/common/message/OffsetFetch{Request,Response}.json.
 */

export interface OffsetFetchRequestTopic {
  readonly name: string;
  readonly partitionIndexes: readonly number[];
}

export interface OffsetFetchRequest {
  readonly groupId: string;
  /** Null (v2+) asks for every committed offset of the group. */
  readonly topics: readonly OffsetFetchRequestTopic[] | null;
}

export interface OffsetFetchResponsePartition {
  readonly partitionIndex: number;
  /** -1 when nothing is committed. */
  readonly committedOffset: bigint;
  /** v5+; -1 when unknown. */
  readonly committedLeaderEpoch?: number;
  readonly metadata: string | null;
  readonly errorCode: number;
}

export interface OffsetFetchResponseTopic {
  readonly name: string;
  readonly partitions: readonly OffsetFetchResponsePartition[];
}

export interface OffsetFetchResponse {
  /** v3+. */
  readonly throttleTimeMs?: number;
  readonly topics: readonly OffsetFetchResponseTopic[];
  /** v2+: a group-level error. */
  readonly errorCode?: number;
}
