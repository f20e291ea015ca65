/**
 * The consumer-group protocol APIs: one {@link ApiDefinition} per API, with a codec per
 * version (non-flexible versions only, which cover kafkajs 2.2.4, librdkafka 2.0.2 and
 * kafka-python 2.0.2) and an `errorResponse` that answers every part of a request with one
 * error code. Handlers that map these requests onto the group coordinator live in
 * `src/broker/group/handlers/`.
 */
import { ApiKey } from '../api.ts';
import type { ApiDefinition } from '../api.ts';
import type { DeleteGroupsRequest, DeleteGroupsResponse } from './delete-groups-types.ts';
import { deleteGroupsV0 } from './delete-groups-v0.ts';
import { deleteGroupsV1 } from './delete-groups-v1.ts';
import type { DescribeGroupsRequest, DescribeGroupsResponse } from './describe-groups-types.ts';
import { describeGroupsV0 } from './describe-groups-v0.ts';
import { describeGroupsV1 } from './describe-groups-v1.ts';
import { describeGroupsV2 } from './describe-groups-v2.ts';
import { describeGroupsV3 } from './describe-groups-v3.ts';
import { describeGroupsV4 } from './describe-groups-v4.ts';
import type { FindCoordinatorRequest, FindCoordinatorResponse } from './find-coordinator-types.ts';
import { findCoordinatorV0 } from './find-coordinator-v0.ts';
import { findCoordinatorV1 } from './find-coordinator-v1.ts';
import { findCoordinatorV2 } from './find-coordinator-v2.ts';
import type { HeartbeatRequest, HeartbeatResponse } from './heartbeat-types.ts';
import { heartbeatV0 } from './heartbeat-v0.ts';
import { heartbeatV1 } from './heartbeat-v1.ts';
import { heartbeatV2 } from './heartbeat-v2.ts';
import { heartbeatV3 } from './heartbeat-v3.ts';
import type { JoinGroupRequest, JoinGroupResponse } from './join-group-types.ts';
import { joinGroupV0 } from './join-group-v0.ts';
import { joinGroupV1 } from './join-group-v1.ts';
import { joinGroupV2 } from './join-group-v2.ts';
import { joinGroupV3 } from './join-group-v3.ts';
import { joinGroupV4 } from './join-group-v4.ts';
import { joinGroupV5 } from './join-group-v5.ts';
import type { LeaveGroupRequest, LeaveGroupResponse } from './leave-group-types.ts';
import { leaveGroupV0 } from './leave-group-v0.ts';
import { leaveGroupV1 } from './leave-group-v1.ts';
import { leaveGroupV2 } from './leave-group-v2.ts';
import { leaveGroupV3 } from './leave-group-v3.ts';
import type { ListGroupsRequest, ListGroupsResponse } from './list-groups-types.ts';
import { listGroupsV0 } from './list-groups-v0.ts';
import { listGroupsV1 } from './list-groups-v1.ts';
import { listGroupsV2 } from './list-groups-v2.ts';
import type { OffsetCommitRequest, OffsetCommitResponse } from './offset-commit-types.ts';
import { offsetCommitV0 } from './offset-commit-v0.ts';
import { offsetCommitV1 } from './offset-commit-v1.ts';
import { offsetCommitV2 } from './offset-commit-v2.ts';
import { offsetCommitV3 } from './offset-commit-v3.ts';
import { offsetCommitV4 } from './offset-commit-v4.ts';
import { offsetCommitV5 } from './offset-commit-v5.ts';
import { offsetCommitV6 } from './offset-commit-v6.ts';
import { offsetCommitV7 } from './offset-commit-v7.ts';
import type { OffsetFetchRequest, OffsetFetchResponse } from './offset-fetch-types.ts';
import { offsetFetchV0 } from './offset-fetch-v0.ts';
import { offsetFetchV1 } from './offset-fetch-v1.ts';
import { offsetFetchV2 } from './offset-fetch-v2.ts';
import { offsetFetchV3 } from './offset-fetch-v3.ts';
import { offsetFetchV4 } from './offset-fetch-v4.ts';
import { offsetFetchV5 } from './offset-fetch-v5.ts';
import type { SyncGroupRequest, SyncGroupResponse } from './sync-group-types.ts';
import { syncGroupV0 } from './sync-group-v0.ts';
import { syncGroupV1 } from './sync-group-v1.ts';
import { syncGroupV2 } from './sync-group-v2.ts';
import { syncGroupV3 } from './sync-group-v3.ts';

export type * from './delete-groups-types.ts';
export type * from './describe-groups-types.ts';
export type * from './find-coordinator-types.ts';
export type * from './heartbeat-types.ts';
export type * from './join-group-types.ts';
export type * from './leave-group-types.ts';
export type * from './list-groups-types.ts';
export type * from './offset-commit-types.ts';
export type * from './offset-fetch-types.ts';
export type * from './sync-group-types.ts';
export { CoordinatorKeyType } from './find-coordinator-types.ts';
export { authorizedOperationsOmitted } from './describe-groups-v3.ts';

const emptyBytes = Buffer.alloc(0);

export const findCoordinatorApi: ApiDefinition<FindCoordinatorRequest, FindCoordinatorResponse> = {
  apiKey: ApiKey.FindCoordinator,
  name: 'FindCoordinator',
  codecs: [findCoordinatorV0, findCoordinatorV1, findCoordinatorV2],
  errorResponse: (_req, errorCode) => ({ throttleTimeMs: 0, errorCode, errorMessage: null, nodeId: -1, host: '', port: -1 }),
};

export const joinGroupApi: ApiDefinition<JoinGroupRequest, JoinGroupResponse> = {
  apiKey: ApiKey.JoinGroup,
  name: 'JoinGroup',
  codecs: [joinGroupV0, joinGroupV1, joinGroupV2, joinGroupV3, joinGroupV4, joinGroupV5],
  errorResponse: (req, errorCode) => ({
    throttleTimeMs: 0,
    errorCode,
    generationId: -1,
    protocolName: '',
    leader: '',
    memberId: req.memberId,
    members: [],
  }),
};

export const syncGroupApi: ApiDefinition<SyncGroupRequest, SyncGroupResponse> = {
  apiKey: ApiKey.SyncGroup,
  name: 'SyncGroup',
  codecs: [syncGroupV0, syncGroupV1, syncGroupV2, syncGroupV3],
  errorResponse: (_req, errorCode) => ({ throttleTimeMs: 0, errorCode, assignment: emptyBytes }),
};

export const heartbeatApi: ApiDefinition<HeartbeatRequest, HeartbeatResponse> = {
  apiKey: ApiKey.Heartbeat,
  name: 'Heartbeat',
  codecs: [heartbeatV0, heartbeatV1, heartbeatV2, heartbeatV3],
  errorResponse: (_req, errorCode) => ({ throttleTimeMs: 0, errorCode }),
};

export const leaveGroupApi: ApiDefinition<LeaveGroupRequest, LeaveGroupResponse> = {
  apiKey: ApiKey.LeaveGroup,
  name: 'LeaveGroup',
  codecs: [leaveGroupV0, leaveGroupV1, leaveGroupV2, leaveGroupV3],
  errorResponse: (_req, errorCode) => ({ throttleTimeMs: 0, errorCode, members: [] }),
};

export const offsetCommitApi: ApiDefinition<OffsetCommitRequest, OffsetCommitResponse> = {
  apiKey: ApiKey.OffsetCommit,
  name: 'OffsetCommit',
  codecs: [offsetCommitV0, offsetCommitV1, offsetCommitV2, offsetCommitV3, offsetCommitV4, offsetCommitV5, offsetCommitV6, offsetCommitV7],
  errorResponse: (req, errorCode) => ({
    throttleTimeMs: 0,
    topics: req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })),
    })),
  }),
};

export const offsetFetchApi: ApiDefinition<OffsetFetchRequest, OffsetFetchResponse> = {
  apiKey: ApiKey.OffsetFetch,
  name: 'OffsetFetch',
  codecs: [offsetFetchV0, offsetFetchV1, offsetFetchV2, offsetFetchV3, offsetFetchV4, offsetFetchV5],
  // v0-v1 have no top-level error code, so the error is repeated on every partition as well.
  errorResponse: (req, errorCode) => ({
    throttleTimeMs: 0,
    errorCode,
    topics: (req.topics ?? []).map((t) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((partitionIndex) => ({
        partitionIndex,
        committedOffset: -1n,
        committedLeaderEpoch: -1,
        metadata: '',
        errorCode,
      })),
    })),
  }),
};

export const listGroupsApi: ApiDefinition<ListGroupsRequest, ListGroupsResponse> = {
  apiKey: ApiKey.ListGroups,
  name: 'ListGroups',
  codecs: [listGroupsV0, listGroupsV1, listGroupsV2],
  errorResponse: (_req, errorCode) => ({ throttleTimeMs: 0, errorCode, groups: [] }),
};

export const describeGroupsApi: ApiDefinition<DescribeGroupsRequest, DescribeGroupsResponse> = {
  apiKey: ApiKey.DescribeGroups,
  name: 'DescribeGroups',
  codecs: [describeGroupsV0, describeGroupsV1, describeGroupsV2, describeGroupsV3, describeGroupsV4],
  errorResponse: (req, errorCode) => ({
    throttleTimeMs: 0,
    groups: req.groups.map((groupId) => ({
      errorCode,
      groupId,
      groupState: '',
      protocolType: '',
      protocolData: '',
      members: [],
    })),
  }),
};

export const deleteGroupsApi: ApiDefinition<DeleteGroupsRequest, DeleteGroupsResponse> = {
  apiKey: ApiKey.DeleteGroups,
  name: 'DeleteGroups',
  codecs: [deleteGroupsV0, deleteGroupsV1],
  errorResponse: (req, errorCode) => ({
    throttleTimeMs: 0,
    results: req.groupsNames.map((groupId) => ({ groupId, errorCode })),
  }),
};

/** Every group API, for the broker's API registry. */
export const groupApis = [
  offsetCommitApi,
  offsetFetchApi,
  findCoordinatorApi,
  joinGroupApi,
  heartbeatApi,
  leaveGroupApi,
  syncGroupApi,
  describeGroupsApi,
  listGroupsApi,
  deleteGroupsApi,
] as const;
