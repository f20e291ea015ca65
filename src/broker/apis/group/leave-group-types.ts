/**
 * LeaveGroup (API key 13), version-independent shapes. Spec:
 * clients/src/main/resources/common/message/LeaveGroup{Request,Response}.json.
 */

export interface LeaveGroupMemberIdentity {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
}

export interface LeaveGroupRequest {
  readonly groupId: string;
  /** v0-v2: the one member leaving. */
  readonly memberId?: string;
  /** v3+: a batch of leaving members, by member id or by group instance id. */
  readonly members?: readonly LeaveGroupMemberIdentity[];
}

export interface LeaveGroupMemberResponse {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly errorCode: number;
}

export interface LeaveGroupResponse {
  /** v1+. */
  readonly throttleTimeMs?: number;
  readonly errorCode: number;
  /** v3+. */
  readonly members?: readonly LeaveGroupMemberResponse[];
}
