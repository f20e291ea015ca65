/**
 * OffsetCommit (API key 8), version-independent shapes. Spec:
 * clients/src/main/resources/common/message/OffsetCommit{Request,Response}.json.
 */

export interface OffsetCommitRequestPartition {
  readonly partitionIndex: number;
  readonly committedOffset: bigint;
  /** v6+; -1 when unknown. */
  readonly committedLeaderEpoch?: number;
  /** v1 only; -1 means "now". */
  readonly commitTimestamp?: bigint;
  readonly committedMetadata: string | null;
}

export interface OffsetCommitRequestTopic {
  readonly name: string;
  readonly partitions: readonly OffsetCommitRequestPartition[];
}

export interface OffsetCommitRequest {
  readonly groupId: string;
  /**
   * v1+; -1 for commits outside group management. Newer specs call this field
   * GenerationIdOrMemberEpoch; for the classic protocol it is the generation id.
   */
  readonly generationId?: number;
  /** v1+. */
  readonly memberId?: string;
  /** v7+. */
  readonly groupInstanceId?: string | null;
  /** v2-v4; -1 means the broker's offsets.retention.minutes. */
  readonly retentionTimeMs?: bigint;
  readonly topics: readonly OffsetCommitRequestTopic[];
}

export interface OffsetCommitResponsePartition {
  readonly partitionIndex: number;
  readonly errorCode: number;
}

export interface OffsetCommitResponseTopic {
  readonly name: string;
  readonly partitions: readonly OffsetCommitResponsePartition[];
}

export interface OffsetCommitResponse {
  /** v3+. */
  readonly throttleTimeMs?: number;
  readonly topics: readonly OffsetCommitResponseTopic[];
}
