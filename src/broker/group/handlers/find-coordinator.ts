/**
 * FindCoordinator: this single broker coordinates every group and every transactional id.
 */
import { CoordinatorKeyType } from '../../apis/group/find-coordinator-types.ts';
import type { FindCoordinatorRequest, FindCoordinatorResponse } from '../../apis/group/find-coordinator-types.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import type { GroupCoordinator } from '../coordinator.ts';
import type { FindCoordinatorContext } from './context.ts';

export async function handleFindCoordinator(
  _coordinator: GroupCoordinator,
  req: FindCoordinatorRequest,
  ctx: FindCoordinatorContext,
): Promise<FindCoordinatorResponse> {
  const keyType = req.keyType ?? CoordinatorKeyType.GROUP;
  if (keyType !== CoordinatorKeyType.GROUP && keyType !== CoordinatorKeyType.TRANSACTION) {
    return { throttleTimeMs: 0, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `unknown key type ${keyType}`, nodeId: -1, host: '', port: -1 };
  }
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, nodeId: ctx.node.nodeId, host: ctx.node.host, port: ctx.node.port };
}
