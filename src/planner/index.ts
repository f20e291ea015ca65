/**
 * Runnel's planner: AST -> logical plan (binder) -> optimized logical plan (optimizer rules)
 * -> physical plan (`*Exec` descriptions) -> a running Pipeline of src/operators instances.
 *
 * @example
 *   const catalog = new MemoryCatalog().addTable(tableFromCreate(createBidStatement));
 *   const plan = planQuery(parseStatement('SELECT auction, price FROM bid WHERE price > 100') as QueryNode, catalog);
 *   const pipeline = buildPipeline(createPhysicalPlan(plan), { source: (scan) => topicSource(scan), sink: () => new CollectSink() });
 *   await pipeline.run();
 *
 * Errors are PlanError (a RunnelError with code PLAN_ERROR) naming the line and column.
 */
import type { ColumnDef } from '../operators/index.ts';
import type { InsertNode, QueryNode, Statement } from '../sql/index.ts';
import { bindInsert, bindQuery } from './binder/index.ts';
import type { PlannerOptions } from './binder/index.ts';
import type { Catalog, CatalogTable } from './catalog.ts';
import { explainStatement } from './explain.ts';
import type { LogicalPlan } from './logical-plan.ts';
import { optimize } from './optimizer/index.ts';
import type { PhysicalPlannerOptions } from './physical-planner.ts';

export type { Catalog, CatalogColumn, CatalogTable } from './catalog.ts';
export { MemoryCatalog, tableFromCreate, rowtimeColumn, defaultWatermark, isSystemColumn, ROWTIME_COLUMN } from './catalog.ts';
export { sqlTypeOf } from './data-type.ts';
export { PlanError } from './errors.ts';
export type { PlannerOptions } from './binder/index.ts';
export type * from './logical-plan.ts';
export { changelogName } from './logical-plan.ts';
export type * from './physical-plan.ts';
export { createPhysicalPlan, STATE_BYTES_MAX_DEFAULT, SOURCE_WATERMARK_DELAY_MS_DEFAULT } from './physical-planner.ts';
export type { PhysicalPlannerOptions } from './physical-planner.ts';
export { buildPipeline } from './build-pipeline.ts';
export type { SourceFactory, SinkFactory, PipelineFactories, ScanWatermark } from './build-pipeline.ts';
export { displayPlan, displayNode } from './display.ts';
export { displayPhysical } from './explain.ts';
export { optimize, RULES } from './optimizer/index.ts';
export type { OptimizerRule } from './optimizer/index.ts';

/** Binds and optimizes a query. */
export function planQuery(query: QueryNode, catalog: Catalog, options: PlannerOptions = {}): LogicalPlan {
  const bound = bindQuery(query, { catalog, ctes: new Map(), expanding: new Set() });
  return options.optimize === false ? bound.plan : optimize(bound.plan, options);
}

/** Binds and optimizes `INSERT INTO target query`; the plan's columns are the target's physical columns. */
export function planInsert(stmt: InsertNode, catalog: Catalog, options: PlannerOptions = {}): { target: CatalogTable; plan: LogicalPlan } {
  const { target, plan } = bindInsert(stmt, { catalog, ctes: new Map(), expanding: new Set() });
  return { target, plan: options.optimize === false ? plan : optimize(plan, options) };
}

/** EXPLAIN text for a query, INSERT, statement set or CTAS (with or without the EXPLAIN keyword). */
export function explain(stmt: Statement, catalog: Catalog, options: PlannerOptions & PhysicalPlannerOptions = {}): string {
  return explainStatement(stmt, catalog, { planQuery, planInsert }, options);
}

/** The result columns of a plan (without `$row_kind`; updating results carry it in their batches). */
export function outputSchema(plan: LogicalPlan): ColumnDef[] {
  return plan.schema.map((c) => ({ name: c.name, type: c.type }));
}
