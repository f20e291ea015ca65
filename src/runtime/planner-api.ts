/**
 * The planner as the runtime uses it: the functions of src/planner's public API, behind one
 * async accessor (kept from before the planner landed, so call sites need not change).
 */
import { buildPipeline, createPhysicalPlan, explain, outputSchema, planInsert, planQuery } from '../planner/index.ts';

export type { SourceFactory, SinkFactory } from '../planner/index.ts';

export const plannerApi = { planQuery, planInsert, createPhysicalPlan, buildPipeline, explain, outputSchema } as const;
export type PlannerApi = typeof plannerApi;

export class PlannerUnavailableError extends Error {}

export function loadPlanner(): Promise<PlannerApi> {
  return Promise.resolve(plannerApi);
}
