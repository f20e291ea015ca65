/**
 * Constant folding: evaluates deterministic expressions without column references once, at plan
 * time (`1 + 2` -> `3`, `CAST('2024-01-01' AS DATE)` -> a date literal), simplifies AND/OR with
 * constant operands, and drops filters that are always TRUE. An expression whose evaluation
 * fails (`1 / 0`) is left alone so it fails at run time, where the data is.
 */
import { E, T, bindExpr, evaluateConstant } from '../../operators/index.ts';
import type { PhysicalExpr } from '../../operators/index.ts';
import { isConstant, mapColumns } from '../expr-util.ts';
import { transformUp } from '../logical-plan.ts';
import type { LogicalPlan } from '../logical-plan.ts';
import type { OptimizerRule } from './rule.ts';

export const constantFolding: OptimizerRule = {
  name: 'constant-folding',
  apply: (plan) => transformUp(plan, foldNode),
};

function foldNode(node: LogicalPlan): LogicalPlan {
  switch (node.kind) {
    case 'Project': return Object.freeze({ ...node, exprs: node.exprs.map(fold) });
    case 'Filter': {
      const predicate = fold(node.predicate);
      if (isTrue(predicate)) return node.input;
      return Object.freeze({ ...node, predicate });
    }
    case 'Calc': {
      const predicate = node.predicate === null ? null : fold(node.predicate);
      return Object.freeze({ ...node, predicate: predicate !== null && isTrue(predicate) ? null : predicate, exprs: node.exprs.map(fold) });
    }
    case 'Aggregate': case 'WindowAggregate':
      return Object.freeze({
        ...node,
        groupExprs: node.groupExprs.map(fold),
        aggregates: node.aggregates.map((a) => ({ ...a, arg: a.arg === null ? null : fold(a.arg), filter: a.filter === null ? null : fold(a.filter) })),
      });
    case 'Values': return Object.freeze({ ...node, rows: node.rows.map((r) => r.map(fold)) });
    case 'Join': {
      if (node.condition === null) return node;
      const condition = fold(node.condition);
      return Object.freeze({ ...node, condition: isTrue(condition) ? null : condition });
    }
    case 'Scan': case 'WatermarkAssigner': case 'WindowTableFunction': case 'Union': case 'Over': case 'Rank': return node;
    default: {
      const never: never = node;
      return never;
    }
  }
}

const isTrue = (e: PhysicalExpr): boolean => e.kind === 'literal' && e.value === true;
const isFalse = (e: PhysicalExpr): boolean => e.kind === 'literal' && e.value === false;

/** Folds children first, then the node itself. */
export function fold(e: PhysicalExpr): PhysicalExpr {
  if (e.kind === 'literal' || e.kind === 'column') return e;
  const inner = foldChildren(e);
  if (inner.kind === 'and' || inner.kind === 'or') {
    const decisive = inner.kind === 'and' ? isFalse : isTrue;
    const neutral = inner.kind === 'and' ? isTrue : isFalse;
    if (inner.args.some(decisive)) return E.lit(inner.kind === 'or', T.boolean(false));
    const rest = inner.args.filter((a) => !neutral(a));
    if (rest.length === 0) return E.lit(inner.kind === 'and', T.boolean(false));
    if (rest.length === 1) return rest[0];
    if (rest.length !== inner.args.length) return inner.kind === 'and' ? E.and(...rest) : E.or(...rest);
  }
  if (!isConstant(inner)) return inner;
  try {
    const type = bindExpr(inner, []).type;
    const value = evaluateConstant(inner);
    if (typeof value === 'object' && value !== null) return inner;
    return E.lit(value ?? null, type);
  } catch {
    return inner;
  }
}

/** Applies `fold` to each direct subexpression. */
function foldChildren(e: PhysicalExpr): PhysicalExpr {
  // mapColumns rebuilds the tree; folding bottom-up happens by recursion on the children here.
  switch (e.kind) {
    case 'call': return Object.freeze({ ...e, args: e.args.map(fold) });
    case 'cast': return Object.freeze({ ...e, expr: fold(e.expr) });
    case 'case':
      return Object.freeze({
        ...e,
        operand: e.operand === null ? null : fold(e.operand),
        whens: e.whens.map((w) => ({ when: fold(w.when), then: fold(w.then) })),
        otherwise: e.otherwise === null ? null : fold(e.otherwise),
      });
    case 'and': case 'or': return Object.freeze({ ...e, args: e.args.map(fold) });
    case 'not': case 'is-null': return Object.freeze({ ...e, arg: fold(e.arg) });
    case 'in-list': return Object.freeze({ ...e, arg: fold(e.arg), list: e.list.map(fold) });
    case 'like': return Object.freeze({ ...e, arg: fold(e.arg), pattern: fold(e.pattern) });
    case 'between': return Object.freeze({ ...e, arg: fold(e.arg), low: fold(e.low), high: fold(e.high) });
    default: return mapColumns(e, (i) => E.col(i));
  }
}
