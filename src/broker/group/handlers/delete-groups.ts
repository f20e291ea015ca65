/** DeleteGroups: removes Empty groups and their offsets; NON_EMPTY_GROUP while members remain. */
import type { DeleteGroupsRequest, DeleteGroupsResponse } from '../../apis/group/delete-groups-types.ts';
import { deleteGroupsApi } from '../../apis/group/index.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import type { GroupCoordinator } from '../coordinator.ts';
import type { GroupRequestContext } from './context.ts';
import { errorCodeOf } from './internal-error.ts';

export async function handleDeleteGroups(coordinator: GroupCoordinator, req: DeleteGroupsRequest, _ctx: GroupRequestContext): Promise<DeleteGroupsResponse> {
  try {
    const results = await coordinator.deleteGroups(req.groupsNames);
    return {
      throttleTimeMs: 0,
      results: req.groupsNames.map((groupId) => ({ groupId, errorCode: results.get(groupId) ?? ErrorCode.UNKNOWN_SERVER_ERROR })),
    };
  } catch (err) {
    return deleteGroupsApi.errorResponse(req, errorCodeOf(err));
  }
}
