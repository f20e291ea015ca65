/**
 * DeleteGroups (API key 42), version-independent shapes. Spec:
 * clients/src/main/resources/common/message/DeleteGroups{Request,Response}.json.
 */

export interface DeleteGroupsRequest {
  readonly groupsNames: readonly string[];
}

export interface DeletableGroupResult {
  readonly groupId: string;
  readonly errorCode: number;
}

export interface DeleteGroupsResponse {
  readonly throttleTimeMs: number;
  readonly results: readonly DeletableGroupResult[];
}
