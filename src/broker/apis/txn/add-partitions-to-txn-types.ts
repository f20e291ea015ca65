/**
 * AddPartitionsToTxn (apiKey 24): the version-independent request and response, with the spec's
 * field names (AddPartitionsToTxnRequest.json / AddPartitionsToTxnResponse.json) in camelCase.
 * The spec names the v0-v3 fields `V3AndBelowTransactionalId`, `ResultsByTopicV3AndBelow` and so
 * on, to set them apart from the batched v4+ form that brokers use among themselves; Runnel
 * implements only the client versions, so the types drop that prefix and suffix.
 */

export interface AddPartitionsToTxnTopic {
  name: string;
  partitions: number[];
}

export interface AddPartitionsToTxnRequest {
  transactionalId: string;
  producerId: bigint;
  producerEpoch: number;
  topics: AddPartitionsToTxnTopic[];
}

export interface AddPartitionsToTxnPartitionResult {
  partitionIndex: number;
  partitionErrorCode: number;
}

export interface AddPartitionsToTxnTopicResult {
  name: string;
  resultsByPartition: AddPartitionsToTxnPartitionResult[];
}

export interface AddPartitionsToTxnResponse {
  throttleTimeMs: number;
  resultsByTopic: AddPartitionsToTxnTopicResult[];
}
