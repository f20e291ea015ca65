/**
 * JoinGroup (API key 11), version-independent shapes. Spec:
 * clients/src/main/resources/common/message/JoinGroup{Request,Response}.json.
 */

export interface JoinGroupRequestProtocol {
  readonly name: string;
  readonly metadata: Buffer;
}

export interface JoinGroupRequest {
  readonly groupId: string;
  readonly sessionTimeoutMs: number;
  /** v1+. In v0 the session timeout doubles as the rebalance timeout. */
  readonly rebalanceTimeoutMs?: number;
  readonly memberId: string;
  /** v5+ (static membership). */
  readonly groupInstanceId?: string | null;
  readonly protocolType: string;
  readonly protocols: readonly JoinGroupRequestProtocol[];
}

export interface JoinGroupResponseMember {
  readonly memberId: string;
  /** v5+. */
  readonly groupInstanceId?: string | null;
  readonly metadata: Buffer;
}

export interface JoinGroupResponse {
  /** v2+. */
  readonly throttleTimeMs?: number;
  readonly errorCode: number;
  readonly generationId: number;
  readonly protocolName: string;
  readonly leader: string;
  readonly memberId: string;
  readonly members: readonly JoinGroupResponseMember[];
}
