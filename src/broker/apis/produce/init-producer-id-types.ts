/**
 * InitProducerId (apiKey 22): the version-independent request and response, with the spec's
 * field names (InitProducerIdRequest.json / InitProducerIdResponse.json) in camelCase. Idempotent
 * producers call it with a null transactional id, transactional ones with theirs.
 */

export interface InitProducerIdRequest {
  transactionalId: string | null;
  /** How long the coordinator waits before aborting an open transaction; -1 for idempotent-only producers. */
  transactionTimeoutMs: number;
}

export interface InitProducerIdResponse {
  throttleTimeMs: number;
  errorCode: number;
  producerId: bigint;
  producerEpoch: number;
}
