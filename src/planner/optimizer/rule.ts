/**
 * An optimizer rule: a named rewrite of a logical plan that keeps the plan's output schema and
 * meaning. Rules are small, one per file, and tested by comparing plan text before and after.
 */
import type { LogicalPlan } from '../logical-plan.ts';

export interface OptimizerRule {
  readonly name: string;
  apply(plan: LogicalPlan): LogicalPlan;
}
