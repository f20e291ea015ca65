/**
 * Fetch (apiKey 1): the version-independent request and response, with the spec's field names
 * (FetchRequest.json / FetchResponse.json) in camelCase. Runnel implements v4-v11: RecordBatch v2,
 * isolation levels and aborted-transaction lists, incremental fetch sessions (v7+), and
 * rack-aware follower fetching (v11).
 */

export interface FetchPartition {
  partition: number;
  /** v9+; -1 when absent (no fencing). */
  currentLeaderEpoch?: number;
  fetchOffset: bigint;
  /** v5+: the follower's log start offset; -1 for consumers and when absent. */
  logStartOffset?: bigint;
  partitionMaxBytes: number;
}

export interface FetchTopic {
  topic: string;
  partitions: FetchPartition[];
}

export interface ForgottenTopic {
  topic: string;
  /** Partitions to drop from the incremental fetch session. */
  partitions: number[];
}

export interface FetchRequest {
  /** -1 for consumers; a broker id for followers. */
  replicaId: number;
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  /** 0: read_uncommitted; 1: read_committed. */
  isolationLevel: number;
  /** v7+; 0 when absent (no session). */
  sessionId?: number;
  /** v7+; -1 when absent (a full fetch, no session). */
  sessionEpoch?: number;
  topics: FetchTopic[];
  /** v7+; empty when absent. */
  forgottenTopicsData?: ForgottenTopic[];
  /** v11+; '' when absent. */
  rackId?: string;
}

export interface AbortedTransaction {
  producerId: bigint;
  firstOffset: bigint;
}

export interface FetchPartitionData {
  partitionIndex: number;
  errorCode: number;
  highWatermark: bigint;
  lastStableOffset: bigint;
  /** v5+; -1 when absent. */
  logStartOffset?: bigint;
  /** Null unless the request was read_committed. */
  abortedTransactions: AbortedTransaction[] | null;
  /** v11+; -1 when absent (read from the leader). */
  preferredReadReplica?: number;
  /** Record batches exactly as stored; attached to the response without a copy. */
  records: Buffer | null;
}

export interface FetchableTopicResponse {
  topic: string;
  partitions: FetchPartitionData[];
}

export interface FetchResponse {
  throttleTimeMs: number;
  /** v7+: the top-level error (fetch session errors); 0 when absent. */
  errorCode?: number;
  /** v7+; 0 when absent (no session). */
  sessionId?: number;
  responses: FetchableTopicResponse[];
}
