/**
 * Calc merging: adjacent projections and filters become one Calc (a filter and a projection
 * evaluated in one compiled pass), as Flink's FlinkCalcMergeRule does. A Calc that only passes
 * its input through under the same names and types disappears.
 */
import { E, displayType } from '../../operators/index.ts';
import type { PhysicalExpr } from '../../operators/index.ts';
import { substitute } from '../expr-util.ts';
import { transformUp } from '../logical-plan.ts';
import type { CalcNode, LogicalPlan } from '../logical-plan.ts';
import { deterministic } from './predicate-pushdown.ts';
import type { OptimizerRule } from './rule.ts';

export const mergeCalc: OptimizerRule = {
  name: 'merge-calc',
  apply: (plan) => transformUp(plan, merge),
};

function merge(node: LogicalPlan): LogicalPlan {
  let calc: CalcNode;
  if (node.kind === 'Project') calc = { kind: 'Calc', input: node.input, predicate: null, exprs: node.exprs, schema: node.schema, changelog: node.changelog };
  else if (node.kind === 'Filter') {
    calc = { kind: 'Calc', input: node.input, predicate: node.predicate, exprs: node.schema.map((_, i) => E.col(i)), schema: node.schema, changelog: node.changelog };
  } else return node;
  const inner = calc.input;
  if (inner.kind === 'Calc' && inner.exprs.every(deterministic)) {
    const outerPredicate = calc.predicate === null ? null : substitute(calc.predicate, inner.exprs);
    const predicate = combine(inner.predicate, outerPredicate);
    calc = { ...calc, input: inner.input, predicate, exprs: calc.exprs.map((e) => substitute(e, inner.exprs)) };
  }
  if (isIdentity(calc)) return calc.input;
  return Object.freeze(calc);
}

function combine(a: PhysicalExpr | null, b: PhysicalExpr | null): PhysicalExpr | null {
  if (a === null) return b;
  if (b === null) return a;
  return E.and(...(a.kind === 'and' ? a.args : [a]), ...(b.kind === 'and' ? b.args : [b]));
}

function isIdentity(c: CalcNode): boolean {
  const input = c.input.schema;
  return c.predicate === null && c.exprs.length === input.length
    && c.exprs.every((e, i) => e.kind === 'column' && e.index === i && c.schema[i].name === input[i].name
      && displayType(c.schema[i].type) === displayType(input[i].type));
}
