/**
 * Heartbeat (API key 12), version-independent shapes. Spec:
 * clients/src/main/resources/common/message/Heartbeat{Request,Response}.json.
 */

export interface HeartbeatRequest {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  /** v3+. */
  readonly groupInstanceId?: string | null;
}

export interface HeartbeatResponse {
  /** v1+. */
  readonly throttleTimeMs?: number;
  readonly errorCode: number;
}
