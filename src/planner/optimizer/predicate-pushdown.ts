/**
 * Predicate pushdown: moves filters toward the sources so fewer rows travel: through
 * projections (the predicate is rewritten over the projection's input), below window table
 * functions (conjuncts that do not use window columns), into every input of a UNION ALL, and
 * below an aggregation for conjuncts on its group keys (HAVING auction = 7), into the inputs of
 * a join (join-pushdown.ts). Adjacent filters
 * merge. Filters never move below a WatermarkAssigner: the watermark must see every row.
 */
import { E, builtinFunctions } from '../../operators/index.ts';
import type { PhysicalExpr } from '../../operators/index.ts';
import { filter } from '../builders.ts';
import { columnsUsed, conjuncts, substitute } from '../expr-util.ts';
import { transformDown, withInputs } from '../logical-plan.ts';
import type { FilterNode, LogicalPlan } from '../logical-plan.ts';
import { pushFilterIntoJoin, pushJoinCondition } from './join-pushdown.ts';
import type { OptimizerRule } from './rule.ts';

export const predicatePushdown: OptimizerRule = {
  name: 'predicate-pushdown',
  apply: (plan) => transformDown(plan, (node) => (node.kind === 'Filter' ? pushDown(node) : node.kind === 'Join' ? pushJoinCondition(node) : node)),
};

function and(parts: readonly PhysicalExpr[]): PhysicalExpr {
  return parts.length === 1 ? parts[0] : E.and(...parts);
}

/** Wraps `input` in a filter of `parts`, or returns it as is when there are none. */
function maybeFilter(input: LogicalPlan, parts: readonly PhysicalExpr[]): LogicalPlan {
  return parts.length === 0 ? input : filter(input, and(parts));
}

function pushDown(node: FilterNode): LogicalPlan {
  const input = node.input;
  const parts = conjuncts(node.predicate);
  switch (input.kind) {
    case 'Filter': return pushDown(filter(input.input, and([...conjuncts(input.predicate), ...parts])));
    case 'Project': {
      const movable = parts.filter((p) => [...columnsUsed(p)].every((c) => deterministic(input.exprs[c])));
      if (movable.length === 0) return node;
      const below = maybeFilter(input.input, movable.map((p) => substitute(p, input.exprs)));
      return maybeFilter(withInputs(input, [below]), parts.filter((p) => !movable.includes(p)));
    }
    case 'WindowTableFunction': {
      const n = input.input.schema.length;
      const movable = parts.filter((p) => [...columnsUsed(p)].every((c) => c < n));
      if (movable.length === 0) return node;
      return maybeFilter(withInputs(input, [filter(input.input, and(movable))]), parts.filter((p) => !movable.includes(p)));
    }
    case 'Union': return withInputs(input, input.inputs.map((i) => filter(i, node.predicate)));
    case 'Join': return pushFilterIntoJoin(node, input);
    case 'Aggregate': {
      const keys = input.groupExprs.length;
      const movable = parts.filter((p) => [...columnsUsed(p)].every((c) => c < keys && deterministic(input.groupExprs[c])));
      if (movable.length === 0) return node;
      const below = filter(input.input, and(movable.map((p) => substitute(p, input.groupExprs))));
      return maybeFilter(withInputs(input, [below]), parts.filter((p) => !movable.includes(p)));
    }
    default: return node;
  }
}

/** False when `e` calls a non-deterministic function (PROCTIME() is NOW()). */
export function deterministic(e: PhysicalExpr): boolean {
  let ok = true;
  const visit = (x: PhysicalExpr): void => {
    if (x.kind === 'call') {
      if (builtinFunctions().lookup(x.name)?.deterministic === false) ok = false;
      x.args.forEach(visit);
    } else if (x.kind === 'cast') visit(x.expr);
    else if (x.kind === 'case') {
      if (x.operand !== null) visit(x.operand);
      x.whens.forEach((w) => { visit(w.when); visit(w.then); });
      if (x.otherwise !== null) visit(x.otherwise);
    } else if (x.kind === 'and' || x.kind === 'or') x.args.forEach(visit);
    else if (x.kind === 'not' || x.kind === 'is-null') visit(x.arg);
    else if (x.kind === 'in-list') { visit(x.arg); x.list.forEach(visit); }
    else if (x.kind === 'like') { visit(x.arg); visit(x.pattern); }
    else if (x.kind === 'between') { visit(x.arg); visit(x.low); visit(x.high); }
  };
  visit(e);
  return ok;
}
