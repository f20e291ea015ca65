/**
 * AddOffsetsToTxn (apiKey 25): the version-independent request and response, with the spec's
 * field names (AddOffsetsToTxnRequest.json / AddOffsetsToTxnResponse.json) in camelCase. It adds
 * a consumer group's offsets topic partition to a transaction, before TxnOffsetCommit.
 */

export interface AddOffsetsToTxnRequest {
  transactionalId: string;
  producerId: bigint;
  producerEpoch: number;
  groupId: string;
}

export interface AddOffsetsToTxnResponse {
  throttleTimeMs: number;
  errorCode: number;
}
