/**
 * What binding carries around: the catalog, the CTEs in scope, planner options, and the result
 * of binding a relation (its plan and the scope its columns are visible under).
 */
import type { CteNode } from '../../sql/index.ts';
import type { Catalog } from '../catalog.ts';
import type { LogicalPlan } from '../logical-plan.ts';
import type { Scope } from './scope.ts';

export interface PlannerOptions {
  /** Run the optimizer rules (default true). EXPLAIN tests turn single rules on and off. */
  readonly optimize?: boolean;
  /** Names of rules to skip. */
  readonly disabledRules?: readonly string[];
}

export interface BindContext {
  readonly catalog: Catalog;
  readonly ctes: ReadonlyMap<string, CteNode>;
  /** Views and CTEs being expanded, to refuse recursion. */
  readonly expanding: ReadonlySet<string>;
}

export interface Bound {
  readonly plan: LogicalPlan;
  readonly scope: Scope;
}

/** Most nested queries (views in views, subqueries in subqueries) one statement may have. */
export const QUERY_DEPTH_MAX = 64;
