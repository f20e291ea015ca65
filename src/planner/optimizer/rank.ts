/**
 * Rank recognition (Flink's FlinkLogicalRankRule): a filter on the result of a ranking function,
 *
 *   Filter(rn <= 10 AND x > 0)            Filter(x > 0)
 *     Over(ROW_NUMBER() OVER (...))   ->    Rank(ROW_NUMBER, range=[1, 10], rank=rn)
 *
 * `rn <= N`, `rn < N`, `rn = N`, `rn >= M`, `rn > M` and `rn BETWEEN M AND N` (either side of the
 * comparison) narrow the rank range; other conjuncts stay in a filter above. Predicate pushdown
 * runs first, so the filter of `SELECT ... FROM (SELECT *, ROW_NUMBER() ...) WHERE rn <= 10`
 * already sits on the Over. An Over with a ranking function and no upper bound is left alone;
 * the physical planner refuses it (an unbounded rank is not computable on a stream).
 */
import type { PhysicalExpr } from '../../operators/index.ts';
import { E } from '../../operators/index.ts';
import { filter } from '../builders.ts';
import { PlanError } from '../errors.ts';
import { columnsUsed, conjuncts } from '../expr-util.ts';
import { rankNode } from '../logical-over.ts';
import type { OverNode } from '../logical-over.ts';
import { transformUp } from '../logical-plan.ts';
import type { FilterNode, LogicalPlan } from '../logical-plan.ts';
import type { OptimizerRule } from './rule.ts';

export const rankRule: OptimizerRule = {
  name: 'rank',
  apply: (plan) => transformUp(plan, (node) => (node.kind === 'Filter' && node.input.kind === 'Over' ? toRank(node, node.input) : node)),
};

const FLIPPED: Readonly<Record<string, string>> = { '<': '>', '<=': '>=', '=': '=', '>': '<', '>=': '<=' };

function toRank(f: FilterNode, over: OverNode): LogicalPlan {
  const [call] = over.calls;
  if (over.calls.length !== 1 || call.kind !== 'rank') return f;
  const rankCol = over.input.schema.length;
  let start = 1;
  let end = Infinity;
  const rest: PhysicalExpr[] = [];
  for (const p of conjuncts(f.predicate)) {
    const b = bound(p, rankCol);
    if (b === null) {
      rest.push(p);
      continue;
    }
    start = Math.max(start, b.start);
    end = Math.min(end, b.end);
  }
  if (!Number.isFinite(end)) return f;
  if (start > end) throw new PlanError(`the filter on ${over.schema[rankCol].name} keeps no rank (from ${start} to ${end})`);
  const rank = rankNode(over.input, over.partitionKeys, over.orderKeys, call.fn, start, end, over.schema[rankCol].name);
  return rest.length === 0 ? rank : filter(rank, rest.length === 1 ? rest[0] : E.and(...rest));
}

/** The rank range a conjunct allows, or null when it is not a bound on the rank column alone. */
function bound(p: PhysicalExpr, rankCol: number): { start: number; end: number } | null {
  if (p.kind === 'between' && !p.negated && isColumn(p.arg, rankCol)) {
    const lo = intValue(p.low);
    const hi = intValue(p.high);
    return lo === null || hi === null ? null : { start: Math.max(1, lo), end: hi };
  }
  if (p.kind !== 'call' || p.args.length !== 2 || FLIPPED[p.name] === undefined) return null;
  let [l, r] = p.args;
  let op = p.name;
  if (!isColumn(l, rankCol)) {
    [l, r] = [r, l];
    op = FLIPPED[op];
  }
  if (!isColumn(l, rankCol) || columnsUsed(r).size > 0) return null;
  const v = intValue(r);
  if (v === null) return null;
  switch (op) {
    case '<=': return { start: 1, end: v };
    case '<': return { start: 1, end: v - 1 };
    case '=': return { start: v, end: v };
    case '>=': return { start: Math.max(1, v), end: Infinity };
    case '>': return { start: Math.max(1, v + 1), end: Infinity };
    default: return null;
  }
}

function isColumn(e: PhysicalExpr, index: number): boolean {
  const x = e.kind === 'cast' ? e.expr : e;
  return x.kind === 'column' && x.index === index;
}

function intValue(e: PhysicalExpr): number | null {
  const x = e.kind === 'cast' ? e.expr : e;
  if (x.kind !== 'literal') return null;
  const v = typeof x.value === 'bigint' ? Number(x.value) : typeof x.value === 'string' ? Number(x.value) : x.value;
  return typeof v === 'number' && Number.isInteger(v) ? v : null;
}
