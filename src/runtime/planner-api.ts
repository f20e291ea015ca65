/**
 * The planner as the runtime uses it (the contract agreed with src/planner), loaded on first use
 * so the runtime works for DDL, SHOW and DESCRIBE even in a build where the planner is absent.
 */
import type { ColumnDef, Pipeline, Sink, Source } from '../operators/index.ts';
import type { Catalog, CatalogTable } from '../planner/catalog.ts';
import type { InsertNode, QueryNode, Statement } from '../sql/index.ts';

export type SourceFactory = (scan: { table: CatalogTable; columns: readonly string[] }) => Source;
export type SinkFactory = (target: { table: CatalogTable | null; schema: readonly ColumnDef[]; changelogMode: string | { kind: string }; upsertKeys?: readonly string[] }) => Sink;

/** Opaque plans: the runtime only hands them back to the planner. */
export type LogicalPlanRef = { readonly schema: readonly ColumnDef[]; readonly changelog: unknown };
export type PhysicalPlanRef = { readonly schema: readonly ColumnDef[] };

export interface PlannerApi {
  planQuery(query: QueryNode, catalog: Catalog): LogicalPlanRef;
  planInsert(stmt: InsertNode, catalog: Catalog): { target: CatalogTable; plan: LogicalPlanRef };
  createPhysicalPlan(plan: LogicalPlanRef, options?: Record<string, unknown>): PhysicalPlanRef;
  buildPipeline(plan: PhysicalPlanRef, factories: { source: SourceFactory; sink: SinkFactory }): Pipeline;
  explain(stmt: Statement, catalog: Catalog): string;
  outputSchema(plan: LogicalPlanRef | PhysicalPlanRef): readonly ColumnDef[];
}

export class PlannerUnavailableError extends Error {}

let loaded: Promise<PlannerApi> | null = null;

/** The planner module; rejects with PlannerUnavailableError when it is missing or incomplete. */
export function loadPlanner(): Promise<PlannerApi> {
  loaded ??= (async () => {
    // A computed specifier: the planner's index lands separately from this module.
    const specifier = ['..', 'planner', 'index.ts'].join('/');
    let mod: Record<string, unknown>;
    try {
      mod = (await import(new URL(specifier, import.meta.url).href)) as Record<string, unknown>;
    } catch (err) {
      throw new PlannerUnavailableError(`the SQL planner is not available in this build: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    const names = ['planQuery', 'planInsert', 'createPhysicalPlan', 'buildPipeline', 'explain', 'outputSchema'] as const;
    const missing = names.filter((n) => typeof mod[n] !== 'function');
    if (missing.includes('planQuery') || missing.includes('buildPipeline') || missing.includes('createPhysicalPlan')) {
      throw new PlannerUnavailableError(`the SQL planner does not export ${missing.join(', ')} yet`);
    }
    return mod as unknown as PlannerApi;
  })();
  loaded.catch(() => {
    loaded = null;
  });
  return loaded;
}
