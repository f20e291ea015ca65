/**
 * SyncGroup: the leader's request carries every member's assignment; each member's request
 * (the leader's included) is answered with its own assignment once the leader's is stored.
 */
import { syncGroupApi } from '../../apis/group/index.ts';
import type { SyncGroupRequest, SyncGroupResponse } from '../../apis/group/sync-group-types.ts';
import type { GroupCoordinator } from '../coordinator.ts';
import type { GroupRequestContext } from './context.ts';
import { errorCodeOf } from './internal-error.ts';

export async function handleSyncGroup(coordinator: GroupCoordinator, req: SyncGroupRequest, _ctx: GroupRequestContext): Promise<SyncGroupResponse> {
  try {
    const result = await coordinator.syncGroup({
      groupId: req.groupId,
      generationId: req.generationId,
      memberId: req.memberId,
      groupInstanceId: req.groupInstanceId ?? null,
      assignments: req.assignments,
    });
    return { throttleTimeMs: 0, errorCode: result.errorCode, assignment: result.assignment };
  } catch (err) {
    return syncGroupApi.errorResponse(req, errorCodeOf(err));
  }
}
