/**
 * DescribeGroups: state, protocol and members of each group; unknown groups are reported Dead
 * with no error, as Kafka does. Authorized operations (v3+), when asked for, are every group
 * operation, since Runnel has no authorizer here.
 */
import { authorizedOperationsOmitted, describeGroupsApi } from '../../apis/group/index.ts';
import type { DescribeGroupsRequest, DescribeGroupsResponse } from '../../apis/group/describe-groups-types.ts';
import type { GroupCoordinator } from '../coordinator.ts';
import type { GroupRequestContext } from './context.ts';
import { errorCodeOf } from './internal-error.ts';

/** READ (3), DELETE (6) and DESCRIBE (8): the ACL operations that apply to groups, as a bit field. */
export const groupAuthorizedOperations = (1 << 3) | (1 << 6) | (1 << 8);

export async function handleDescribeGroups(coordinator: GroupCoordinator, req: DescribeGroupsRequest, _ctx: GroupRequestContext): Promise<DescribeGroupsResponse> {
  try {
    const authorizedOperations = req.includeAuthorizedOperations ? groupAuthorizedOperations : authorizedOperationsOmitted;
    const groups = req.groups.map((groupId) => {
      const d = coordinator.describeGroup(groupId);
      return {
        errorCode: d.errorCode,
        groupId: d.groupId,
        groupState: d.state,
        protocolType: d.protocolType,
        protocolData: d.protocolName,
        members: d.members.map((m) => ({
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          memberMetadata: m.metadata,
          memberAssignment: m.assignment,
        })),
        authorizedOperations,
      };
    });
    return { throttleTimeMs: 0, groups };
  } catch (err) {
    return describeGroupsApi.errorResponse(req, errorCodeOf(err));
  }
}
