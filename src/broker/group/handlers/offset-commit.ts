/**
 * OffsetCommit: partitions that do not exist are answered UNKNOWN_TOPIC_OR_PARTITION, the rest
 * go to the coordinator. v0 commits carry no generation (-1) and no member id.
 */
import { offsetCommitApi } from '../../apis/group/index.ts';
import type { OffsetCommitRequest, OffsetCommitResponse } from '../../apis/group/offset-commit-types.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import type { GroupCoordinator } from '../coordinator.ts';
import type { OffsetCommitEntry } from '../types.ts';
import type { OffsetCommitContext } from './context.ts';
import { errorCodeOf } from './internal-error.ts';

export async function handleOffsetCommit(coordinator: GroupCoordinator, req: OffsetCommitRequest, ctx: OffsetCommitContext): Promise<OffsetCommitResponse> {
  try {
    // One error slot per partition of the request, in order; existing partitions get theirs from the coordinator.
    const codes: number[] = [];
    const entries: OffsetCommitEntry[] = [];
    const slots: number[] = [];
    for (const t of req.topics) {
      for (const p of t.partitions) {
        if (!ctx.partitionExists(t.name, p.partitionIndex)) {
          codes.push(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
          continue;
        }
        slots.push(codes.length);
        codes.push(ErrorCode.NONE);
        entries.push({
          topic: t.name,
          partition: p.partitionIndex,
          offset: p.committedOffset,
          leaderEpoch: p.committedLeaderEpoch ?? -1,
          metadata: p.committedMetadata,
          commitTimestampMs: p.commitTimestamp !== undefined ? Number(p.commitTimestamp) : undefined,
        });
      }
    }
    if (entries.length > 0) {
      const results = await coordinator.commitOffsets({
        groupId: req.groupId,
        generationId: req.generationId ?? -1,
        memberId: req.memberId ?? '',
        groupInstanceId: req.groupInstanceId ?? null,
        retentionTimeMs: req.retentionTimeMs !== undefined ? Number(req.retentionTimeMs) : undefined,
        offsets: entries,
      });
      results.forEach((code, i) => (codes[slots[i]] = code));
    }
    let i = 0;
    return {
      throttleTimeMs: 0,
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: codes[i++] })),
      })),
    };
  } catch (err) {
    return offsetCommitApi.errorResponse(req, errorCodeOf(err));
  }
}
