/** One handler per group API: decoded request + coordinator → response (never throws). */
export type { BrokerNode, FindCoordinatorContext, GroupRequestContext, OffsetCommitContext } from './context.ts';
export { handleDeleteGroups } from './delete-groups.ts';
export { groupAuthorizedOperations, handleDescribeGroups } from './describe-groups.ts';
export { handleFindCoordinator } from './find-coordinator.ts';
export { handleHeartbeat } from './heartbeat.ts';
export { handleJoinGroup } from './join-group.ts';
export { handleLeaveGroup } from './leave-group.ts';
export { handleListGroups } from './list-groups.ts';
export { handleOffsetCommit } from './offset-commit.ts';
export { handleOffsetFetch } from './offset-fetch.ts';
export { handleSyncGroup } from './sync-group.ts';
