/**
 * CreateTopics (apiKey 19): the version-independent request and response, with the spec's field
 * names (CreateTopicsRequest.json / CreateTopicsResponse.json) in camelCase.
 */

export interface CreatableReplicaAssignment {
  partitionIndex: number;
  brokerIds: number[];
}

export interface CreatableTopicConfig {
  name: string;
  value: string | null;
}

export interface CreatableTopic {
  name: string;
  /** -1 with v4+ asks for the broker default (or comes with explicit assignments). */
  numPartitions: number;
  /** -1 with v4+ asks for the broker default (or comes with explicit assignments). */
  replicationFactor: number;
  assignments: CreatableReplicaAssignment[];
  configs: CreatableTopicConfig[];
}

export interface CreateTopicsRequest {
  topics: CreatableTopic[];
  timeoutMs: number;
  /** v1+; false when absent. */
  validateOnly?: boolean;
}

export interface CreatableTopicResult {
  name: string;
  errorCode: number;
  /** v1+; null when absent. */
  errorMessage?: string | null;
}

export interface CreateTopicsResponse {
  /** v2+; 0 when absent. */
  throttleTimeMs?: number;
  topics: CreatableTopicResult[];
}
