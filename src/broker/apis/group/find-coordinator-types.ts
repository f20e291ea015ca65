/**
 * FindCoordinator (API key 10), version-independent shapes. Spec:
 * clients/src/main/resources/common/message/FindCoordinator{Request,Response}.json.
 */

/** Coordinator key types (KeyType, v1+). */
export const CoordinatorKeyType = { GROUP: 0, TRANSACTION: 1 } as const;

export interface FindCoordinatorRequest {
  readonly key: string;
  /** v1+: 0 = group, 1 = transaction. Absent in v0, which means a group. */
  readonly keyType?: number;
}

export interface FindCoordinatorResponse {
  /** v1+. */
  readonly throttleTimeMs?: number;
  readonly errorCode: number;
  /** v1+. */
  readonly errorMessage?: string | null;
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
}
