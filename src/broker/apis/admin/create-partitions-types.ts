/**
 * CreatePartitions (apiKey 37): the version-independent request and response, with the spec's
 * field names (CreatePartitionsRequest.json / CreatePartitionsResponse.json) in camelCase.
 */

export interface CreatePartitionsAssignment {
  /** The replicas of one new partition. */
  brokerIds: number[];
}

export interface CreatePartitionsTopic {
  name: string;
  /** The new total partition count. */
  count: number;
  /** One entry per new partition, or null to let the broker place them. */
  assignments: CreatePartitionsAssignment[] | null;
}

export interface CreatePartitionsRequest {
  topics: CreatePartitionsTopic[];
  timeoutMs: number;
  validateOnly: boolean;
}

export interface CreatePartitionsTopicResult {
  name: string;
  errorCode: number;
  errorMessage: string | null;
}

export interface CreatePartitionsResponse {
  throttleTimeMs: number;
  results: CreatePartitionsTopicResult[];
}
