/**
 * The optimizer: rules applied in order, each keeping the plan's output schema (checked).
 *
 *   constant-folding -> predicate-pushdown -> rank -> window-aggregate -> projection-pushdown -> merge-calc
 */
import assert from 'node:assert';
import { displayType } from '../../operators/index.ts';
import { deriveChangelogs } from '../builders.ts';
import type { LogicalPlan } from '../logical-plan.ts';
import { constantFolding } from './constant-folding.ts';
import { mergeCalc } from './merge-calc.ts';
import { predicatePushdown } from './predicate-pushdown.ts';
import { projectionPushdown } from './projection-pushdown.ts';
import type { OptimizerRule } from './rule.ts';
import { rankRule } from './rank.ts';
import { windowAggregateRule } from './window-aggregate.ts';

export type { OptimizerRule } from './rule.ts';
export { constantFolding, mergeCalc, predicatePushdown, projectionPushdown, rankRule, windowAggregateRule };

export const RULES: readonly OptimizerRule[] = [constantFolding, predicatePushdown, rankRule, windowAggregateRule, projectionPushdown, mergeCalc];

export function optimize(plan: LogicalPlan, options: { disabledRules?: readonly string[] } = {}): LogicalPlan {
  let current = plan;
  for (const rule of RULES) {
    if (options.disabledRules?.includes(rule.name) === true) continue;
    const next = rule.apply(current);
    assert.deepStrictEqual(signature(next), signature(current), `optimizer rule ${rule.name} changed the plan's output schema`);
    current = next;
  }
  return deriveChangelogs(current);
}

function signature(plan: LogicalPlan): string[] {
  return plan.schema.map((c) => `${c.name} ${displayType(c.type)}`);
}
