/** ListGroups: every group this coordinator knows, including those that only store offsets. */
import type { ListGroupsRequest, ListGroupsResponse } from '../../apis/group/list-groups-types.ts';
import type { GroupCoordinator } from '../coordinator.ts';
import type { GroupRequestContext } from './context.ts';
import { errorCodeOf } from './internal-error.ts';

export async function handleListGroups(coordinator: GroupCoordinator, _req: ListGroupsRequest, _ctx: GroupRequestContext): Promise<ListGroupsResponse> {
  try {
    const result = coordinator.listGroups();
    return { throttleTimeMs: 0, errorCode: result.errorCode, groups: result.groups.map((g) => ({ groupId: g.groupId, protocolType: g.protocolType })) };
  } catch (err) {
    return { throttleTimeMs: 0, errorCode: errorCodeOf(err), groups: [] };
  }
}
