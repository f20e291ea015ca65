/** AST -> logical plan. */
export { bindQuery } from './query.ts';
export { bindInsert } from './insert.ts';
export type { BindContext, Bound, PlannerOptions } from './context.ts';
export { Scope } from './scope.ts';
