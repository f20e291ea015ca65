/**
 * DescribeGroups (API key 15), version-independent shapes. Spec:
 * clients/src/main/resources/common/message/DescribeGroups{Request,Response}.json.
 */

export interface DescribeGroupsRequest {
  readonly groups: readonly string[];
  /** v3+. */
  readonly includeAuthorizedOperations?: boolean;
}

export interface DescribedGroupMember {
  readonly memberId: string;
  /** v4+. */
  readonly groupInstanceId?: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  /** Filled only when the group is Stable. */
  readonly memberMetadata: Buffer;
  /** Filled only when the group is Stable. */
  readonly memberAssignment: Buffer;
}

export interface DescribedGroup {
  readonly errorCode: number;
  readonly groupId: string;
  /** Empty, PreparingRebalance, CompletingRebalance, Stable or Dead. */
  readonly groupState: string;
  readonly protocolType: string;
  /** The selected protocol, filled only when the group is Stable. */
  readonly protocolData: string;
  readonly members: readonly DescribedGroupMember[];
  /** v3+: a bit field of ACL operations; INT32 min when not requested. */
  readonly authorizedOperations?: number;
}

export interface DescribeGroupsResponse {
  /** v1+. */
  readonly throttleTimeMs?: number;
  readonly groups: readonly DescribedGroup[];
}
