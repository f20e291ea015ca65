/**
 * Predicate pushdown through joins (part of predicate-pushdown): a conjunct that reads one side
 * only moves into that input when doing so cannot change which rows get NULL-padded:
 *
 * - from a WHERE above the join: into a side that is never padded (left of INNER/LEFT, right of
 *   INNER/RIGHT);
 * - from the ON condition: into a side whose unmatched rows are dropped anyway (left of
 *   INNER/RIGHT, right of INNER/LEFT).
 *
 * The versioned side of a temporal join keeps its rows: a filter there would change which
 * version is current, so nothing moves into it.
 */
import { E } from '../../operators/index.ts';
import type { PhysicalExpr } from '../../operators/index.ts';
import { filter, join } from '../builders.ts';
import { columnsUsed, conjuncts } from '../expr-util.ts';
import { shift } from '../join-analysis.ts';
import type { FilterNode, JoinNode, LogicalPlan } from '../logical-plan.ts';

type Side = 'left' | 'right' | 'other';

function sideOf(e: PhysicalExpr, nLeft: number): Side {
  const used = [...columnsUsed(e)];
  if (used.length === 0) return 'other';
  if (used.every((c) => c < nLeft)) return 'left';
  if (used.every((c) => c >= nLeft)) return 'right';
  return 'other';
}

function and(parts: readonly PhysicalExpr[]): PhysicalExpr | null {
  return parts.length === 0 ? null : parts.length === 1 ? parts[0] : E.and(...parts);
}

/** Moves `toLeft`/`toRight` conjuncts into the join's inputs, with a new condition. */
function rebuild(j: JoinNode, toLeft: readonly PhysicalExpr[], toRight: readonly PhysicalExpr[], condition: PhysicalExpr | null): JoinNode {
  const nLeft = j.left.schema.length;
  const l = and(toLeft), r = and(toRight.map((p) => shift(p, -nLeft)));
  const left = l === null ? j.left : filter(j.left, l);
  const right = r === null ? j.right : filter(j.right, r);
  const next = join(left, right, j.joinType, condition, j.temporal);
  // Keep the node's schema (rules never change a node's output types).
  return Object.freeze({ ...next, schema: j.schema });
}

/** Splits conjuncts into those that may move left, right, or must stay. */
function split(parts: readonly PhysicalExpr[], nLeft: number, leftOk: boolean, rightOk: boolean): { toLeft: PhysicalExpr[]; toRight: PhysicalExpr[]; stay: PhysicalExpr[] } {
  const r = { toLeft: [] as PhysicalExpr[], toRight: [] as PhysicalExpr[], stay: [] as PhysicalExpr[] };
  for (const p of parts) {
    const s = sideOf(p, nLeft);
    if (s === 'left' && leftOk) r.toLeft.push(p);
    else if (s === 'right' && rightOk) r.toRight.push(p);
    else r.stay.push(p);
  }
  return r;
}

/** A WHERE over a join: one-sided conjuncts into never-padded sides. */
export function pushFilterIntoJoin(f: FilterNode, j: JoinNode): LogicalPlan {
  const t = j.joinType;
  const { toLeft, toRight, stay } = split(conjuncts(f.predicate), j.left.schema.length, t === 'INNER' || t === 'LEFT', (t === 'INNER' || t === 'RIGHT') && j.temporal === undefined);
  if (toLeft.length === 0 && toRight.length === 0) return f;
  const below = rebuild(j, toLeft, toRight, j.condition);
  const rest = and(stay);
  return rest === null ? below : filter(below, rest);
}

/** One-sided ON conjuncts into sides whose unmatched rows are dropped. */
export function pushJoinCondition(j: JoinNode): LogicalPlan {
  if (j.condition === null) return j;
  const t = j.joinType;
  const { toLeft, toRight, stay } = split(conjuncts(j.condition), j.left.schema.length, t === 'INNER' || t === 'RIGHT', (t === 'INNER' || t === 'LEFT') && j.temporal === undefined);
  if (toLeft.length === 0 && toRight.length === 0) return j;
  return rebuild(j, toLeft, toRight, and(stay));
}
