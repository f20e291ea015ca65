/**
 * Projection pushdown through Over and Rank (projection-pushdown.ts handles the other nodes):
 * the input keeps the columns read above plus the partition, order and aggregate columns; a
 * Rank whose rank column nobody reads stops producing it (Flink's outputRankNumber = false,
 * which also lets an ROW_NUMBER = 1 over a rowtime become a deduplication).
 */
import { columnsUsed, remap } from '../expr-util.ts';
import { overNode, rankNode } from '../logical-over.ts';
import type { OverNode, RankNode } from '../logical-over.ts';
import type { LogicalPlan } from '../logical-plan.ts';
import type { Pruned } from './projection-pushdown.ts';

type Prune = (plan: LogicalPlan, required: readonly number[]) => Pruned;

export function pruneOver(plan: OverNode | RankNode, required: readonly number[], prune: Prune): Pruned {
  const n = plan.input.schema.length;
  const used = new Set<number>(required.filter((c) => c < n));
  for (const k of plan.partitionKeys) used.add(k);
  for (const k of plan.orderKeys) used.add(k.column);
  if (plan.kind === 'Over') {
    for (const c of plan.calls) {
      if (c.kind !== 'aggregate') continue;
      if (c.aggregate.arg !== null) columnsUsed(c.aggregate.arg, used);
      if (c.aggregate.filter !== null) columnsUsed(c.aggregate.filter, used);
    }
  }
  const inner = prune(plan.input, [...used]);
  const at = (c: number): number => inner.map.get(c) as number;
  const partitionKeys = plan.partitionKeys.map(at);
  const orderKeys = plan.orderKeys.map((k) => ({ ...k, column: at(k.column) }));
  const m = inner.plan.schema.length;
  const map = new Map(inner.map);
  if (plan.kind === 'Rank') {
    const rankName = plan.outputRank && required.includes(n) ? plan.schema[n].name : null;
    if (rankName !== null) map.set(n, m);
    const node = rankNode(inner.plan, partitionKeys, orderKeys, plan.fn, plan.rankStart, plan.rankEnd, rankName);
    return { plan: renamed(node, plan, inner), map };
  }
  const calls = plan.calls.map((c) => (c.kind === 'rank' ? c : {
    kind: 'aggregate' as const,
    aggregate: { ...c.aggregate, arg: c.aggregate.arg === null ? null : remap(c.aggregate.arg, inner.map), filter: c.aggregate.filter === null ? null : remap(c.aggregate.filter, inner.map) },
  }));
  for (let j = 0; j < plan.calls.length; j++) map.set(n + j, m + j);
  const node = overNode(inner.plan, partitionKeys, orderKeys, plan.frame, calls, plan.schema.slice(n));
  return { plan: renamed(node, plan, inner), map };
}

/** Keeps the original output names of the surviving input columns. */
function renamed(node: OverNode | RankNode, original: OverNode | RankNode, inner: Pruned): LogicalPlan {
  const back = new Map([...inner.map].map(([k, v]) => [v, k]));
  const schema = node.schema.map((c, i) => (i < inner.plan.schema.length ? original.schema[back.get(i) as number] : c));
  return Object.freeze({ ...node, schema: Object.freeze(schema) });
}
