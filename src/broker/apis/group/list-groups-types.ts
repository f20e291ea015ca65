/**
 * ListGroups (API key 16), version-independent shapes. Spec:
 * clients/src/main/resources/common/message/ListGroups{Request,Response}.json.
 * Versions 0-2 have an empty request body (state and type filters arrive in v4 and v5).
 */

/** Empty in v0-v2. */
export type ListGroupsRequest = Readonly<Record<string, never>>;

export interface ListedGroup {
  readonly groupId: string;
  /** "consumer" for consumer groups, "" for groups that only store offsets. */
  readonly protocolType: string;
}

export interface ListGroupsResponse {
  /** v1+. */
  readonly throttleTimeMs?: number;
  readonly errorCode: number;
  readonly groups: readonly ListedGroup[];
}
