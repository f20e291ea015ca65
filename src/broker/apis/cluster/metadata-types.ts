/**
 * Metadata (apiKey 3): the version-independent request and response, with the spec's field names
 * (MetadataRequest.json / MetadataResponse.json) in camelCase.
 */

export interface MetadataRequestTopic {
  name: string;
}

export interface MetadataRequest {
  /**
   * The topics to describe; null means all topics. (On the wire, v0 says "all" with an empty
   * array and v1+ with a null array; the v0 decoder turns the empty array into null.)
   */
  topics: MetadataRequestTopic[] | null;
  /** v4+; absent (v0-v3) means true. */
  allowAutoTopicCreation?: boolean;
  /** v8+; absent means false. */
  includeClusterAuthorizedOperations?: boolean;
  /** v8+; absent means false. */
  includeTopicAuthorizedOperations?: boolean;
}

export interface MetadataResponseBroker {
  nodeId: number;
  host: string;
  port: number;
  /** v1+; null when absent. */
  rack?: string | null;
}

export interface MetadataResponsePartition {
  errorCode: number;
  partitionIndex: number;
  leaderId: number;
  /** v7+; -1 when absent. */
  leaderEpoch?: number;
  replicaNodes: number[];
  isrNodes: number[];
  /** v5+; empty when absent. */
  offlineReplicas?: number[];
}

export interface MetadataResponseTopic {
  errorCode: number;
  name: string;
  /** v1+; false when absent. */
  isInternal?: boolean;
  partitions: MetadataResponsePartition[];
  /** v8+; a bit field of ACL operations, -2147483648 (INT32 min) when absent: "not requested". */
  topicAuthorizedOperations?: number;
}

export interface MetadataResponse {
  /** v3+; 0 when absent. */
  throttleTimeMs?: number;
  brokers: MetadataResponseBroker[];
  /** v2+; null when absent. */
  clusterId?: string | null;
  /** v1+; -1 when absent. */
  controllerId?: number;
  topics: MetadataResponseTopic[];
  /** v8+; -2147483648 (INT32 min) when absent: "not requested". */
  clusterAuthorizedOperations?: number;
}

/** The spec's default for the authorized-operations fields: nothing was requested. */
export const authorizedOperationsUnset = -2147483648;
