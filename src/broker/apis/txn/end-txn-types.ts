/**
 * EndTxn (apiKey 26): the version-independent request and response, with the spec's field names
 * (EndTxnRequest.json / EndTxnResponse.json) in camelCase.
 */

export interface EndTxnRequest {
  transactionalId: string;
  producerId: bigint;
  producerEpoch: number;
  /** True to commit, false to abort. */
  committed: boolean;
}

export interface EndTxnResponse {
  throttleTimeMs: number;
  errorCode: number;
}
