/**
 * Before `runnel consume` joins a group it decides, per partition, where to start and where to
 * stop: the offset spec resolved against the watermarks and timestamp lookups, except that a
 * group's committed offset wins for the start (so `-g` resumes), and `-e` caps the end at the
 * high watermark seen now.
 */
import type { Admin } from 'kafkajs';
import { resolveRange, timestampsOf, type OffsetSpec, type PartitionRange, type PartitionWatermarks } from './offset-spec.ts';

export interface PartitionPlan extends PartitionRange {
  readonly partition: number;
  /** True when the start came from the group's committed offset. */
  readonly committed: boolean;
}

export interface PlanInputs {
  readonly watermarks: ReadonlyMap<number, PartitionWatermarks>;
  /** timestamp ms -> partition -> first offset at or after it (high watermark when none). */
  readonly byTimestamp: ReadonlyMap<number, ReadonlyMap<number, bigint>>;
  /** partition -> committed offset, for partitions the group has committed. */
  readonly committed: ReadonlyMap<number, bigint>;
}

/** Pure: the start and exclusive end of every partition. */
export function planPartitions(spec: OffsetSpec, inputs: PlanInputs, exitAtEnd: boolean): PartitionPlan[] {
  const plans: PartitionPlan[] = [];
  for (const [partition, w] of [...inputs.watermarks].sort((a, b) => a[0] - b[0])) {
    const lookup = (ms: number) => inputs.byTimestamp.get(ms)?.get(partition) ?? w.high;
    const range = resolveRange(spec, w, lookup);
    const committed = inputs.committed.get(partition);
    const from = committed ?? range.from;
    let until = range.until;
    if (exitAtEnd && (until === null || until > w.high)) until = w.high;
    plans.push({ partition, from, until, committed: committed !== undefined });
  }
  return plans;
}

/** Asks the cluster for what `planPartitions` needs. */
export async function gatherPlanInputs(admin: Admin, topic: string, spec: OffsetSpec, groupId: string | null): Promise<PlanInputs> {
  const offsets = await admin.fetchTopicOffsets(topic);
  const watermarks = new Map(offsets.map((o) => [o.partition, { low: BigInt(o.low), high: BigInt(o.high) }]));
  const byTimestamp = new Map<number, Map<number, bigint>>();
  for (const ms of timestampsOf(spec)) {
    const found = await admin.fetchTopicOffsetsByTimestamp(topic, ms);
    byTimestamp.set(ms, new Map(found.map((o) => [o.partition, BigInt(o.offset)])));
  }
  const committed = new Map<number, bigint>();
  if (groupId !== null) {
    const fetched = await admin.fetchOffsets({ groupId, topics: [topic] });
    for (const t of fetched) {
      for (const p of t.partitions) if (BigInt(p.offset) >= 0n) committed.set(p.partition, BigInt(p.offset));
    }
  }
  return { watermarks, byTimestamp, committed };
}
