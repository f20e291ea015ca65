/**
 * LeaveGroup: v0-v2 name one member; v3 a batch. For v0-v2 the response's one error code is
 * the group-level error, or else the member's, as Kafka's LeaveGroupResponse does.
 */
import type { LeaveGroupRequest, LeaveGroupResponse } from '../../apis/group/leave-group-types.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import type { GroupCoordinator } from '../coordinator.ts';
import type { GroupRequestContext } from './context.ts';
import { errorCodeOf } from './internal-error.ts';

export async function handleLeaveGroup(coordinator: GroupCoordinator, req: LeaveGroupRequest, ctx: GroupRequestContext): Promise<LeaveGroupResponse> {
  try {
    const leaving = ctx.apiVersion >= 3 ? (req.members ?? []) : [{ memberId: req.memberId ?? '', groupInstanceId: null }];
    const result = coordinator.leaveGroup(req.groupId, leaving);
    if (ctx.apiVersion >= 3) return { throttleTimeMs: 0, errorCode: result.errorCode, members: result.members };
    const errorCode = result.errorCode !== ErrorCode.NONE ? result.errorCode : (result.members[0]?.errorCode ?? ErrorCode.NONE);
    return { throttleTimeMs: 0, errorCode };
  } catch (err) {
    return { throttleTimeMs: 0, errorCode: errorCodeOf(err), members: [] };
  }
}
