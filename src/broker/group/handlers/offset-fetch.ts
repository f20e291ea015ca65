/**
 * OffsetFetch: committed offsets by topic, -1 where nothing is committed. A group-level error
 * goes in the top-level error code from v2; v0-v1 have none, so it is repeated per partition.
 */
import { offsetFetchApi } from '../../apis/group/index.ts';
import type { OffsetFetchRequest, OffsetFetchResponse, OffsetFetchResponsePartition } from '../../apis/group/offset-fetch-types.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import type { GroupCoordinator } from '../coordinator.ts';
import type { GroupRequestContext } from './context.ts';
import { errorCodeOf } from './internal-error.ts';

export async function handleOffsetFetch(coordinator: GroupCoordinator, req: OffsetFetchRequest, ctx: GroupRequestContext): Promise<OffsetFetchResponse> {
  try {
    const wanted = req.topics?.flatMap((t) => t.partitionIndexes.map((partition) => ({ topic: t.name, partition }))) ?? null;
    const result = coordinator.fetchOffsets(req.groupId, wanted);
    if (result.errorCode !== ErrorCode.NONE) {
      if (ctx.apiVersion < 2) return offsetFetchApi.errorResponse(req, result.errorCode);
      return { throttleTimeMs: 0, errorCode: result.errorCode, topics: [] };
    }
    const byTopic = new Map<string, OffsetFetchResponsePartition[]>();
    for (const o of result.offsets) {
      let partitions = byTopic.get(o.topic);
      if (!partitions) byTopic.set(o.topic, (partitions = []));
      partitions.push({ partitionIndex: o.partition, committedOffset: o.offset, committedLeaderEpoch: o.leaderEpoch, metadata: o.metadata, errorCode: o.errorCode });
    }
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })) };
  } catch (err) {
    return offsetFetchApi.errorResponse(req, errorCodeOf(err));
  }
}
