/**
 * SyncGroup (API key 14), version-independent shapes. Spec:
 * clients/src/main/resources/common/message/SyncGroup{Request,Response}.json.
 */

export interface SyncGroupRequestAssignment {
  readonly memberId: string;
  readonly assignment: Buffer;
}

export interface SyncGroupRequest {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  /** v3+. */
  readonly groupInstanceId?: string | null;
  /** Filled only by the leader. */
  readonly assignments: readonly SyncGroupRequestAssignment[];
}

export interface SyncGroupResponse {
  /** v1+. */
  readonly throttleTimeMs?: number;
  readonly errorCode: number;
  readonly assignment: Buffer;
}
