/**
 * JoinGroup: long-polls in the coordinator until the join phase ends. From v4 a member joining
 * with an empty id is first sent back its id with MEMBER_ID_REQUIRED; in v0, which has no
 * rebalance timeout, the session timeout serves as one (as Kafka does).
 */
import { joinGroupApi } from '../../apis/group/index.ts';
import type { JoinGroupRequest, JoinGroupResponse } from '../../apis/group/join-group-types.ts';
import type { GroupCoordinator } from '../coordinator.ts';
import type { GroupRequestContext } from './context.ts';
import { errorCodeOf } from './internal-error.ts';

export async function handleJoinGroup(coordinator: GroupCoordinator, req: JoinGroupRequest, ctx: GroupRequestContext): Promise<JoinGroupResponse> {
  try {
    const result = await coordinator.joinGroup({
      groupId: req.groupId,
      memberId: req.memberId,
      groupInstanceId: req.groupInstanceId ?? null,
      requireKnownMemberId: ctx.apiVersion >= 4,
      clientId: ctx.clientId,
      clientHost: ctx.clientHost,
      rebalanceTimeoutMs: req.rebalanceTimeoutMs ?? req.sessionTimeoutMs,
      sessionTimeoutMs: req.sessionTimeoutMs,
      protocolType: req.protocolType,
      protocols: req.protocols,
    });
    return {
      throttleTimeMs: 0,
      errorCode: result.errorCode,
      generationId: result.generationId,
      protocolName: result.protocolName ?? '',
      leader: result.leaderId ?? '',
      memberId: result.memberId,
      members: result.members,
    };
  } catch (err) {
    return joinGroupApi.errorResponse(req, errorCodeOf(err));
  }
}
