/** Heartbeat: keeps the member's session alive; REBALANCE_IN_PROGRESS tells it to rejoin. */
import type { HeartbeatRequest, HeartbeatResponse } from '../../apis/group/heartbeat-types.ts';
import type { GroupCoordinator } from '../coordinator.ts';
import type { GroupRequestContext } from './context.ts';
import { errorCodeOf } from './internal-error.ts';

export async function handleHeartbeat(coordinator: GroupCoordinator, req: HeartbeatRequest, _ctx: GroupRequestContext): Promise<HeartbeatResponse> {
  try {
    const errorCode = coordinator.heartbeat({
      groupId: req.groupId,
      generationId: req.generationId,
      memberId: req.memberId,
      groupInstanceId: req.groupInstanceId ?? null,
    });
    return { throttleTimeMs: 0, errorCode };
  } catch (err) {
    return { throttleTimeMs: 0, errorCode: errorCodeOf(err) };
  }
}
