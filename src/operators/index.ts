/**
 * Runnel's execution layer: SQL types and their Arrow mapping, the physical expression IR and
 * its compiler, built-in functions, aggregate accumulators, streaming operators over Arrow
 * record batches, and the pipeline driver with the Source/Sink contracts. It depends on nothing
 * in src/sql or src/planner; the planner builds these operators from its physical plan.
 */
export * from './errors.ts';
export * from './types.ts';
export * from './arrow-types.ts';
export * from './row-kind.ts';
export type { Column, ColumnValues, PhysicalKind } from './column.ts';
export { readColumn, toArrowData, physicalKind, scalarAt } from './column.ts';
export { makeBatch, batchFromRows, batchToRows, columnFromValues } from './batch.ts';
export { takeData } from './take.ts';
export type { StreamMessage, Operator, OperatorMetrics } from './message.ts';
export { E, displayExpr, EXPR_DEPTH_MAX } from './expr/ir.ts';
export type { PhysicalExpr } from './expr/ir.ts';
export { bindExpr, coerce } from './expr/bind.ts';
export type { BoundExpr } from './expr/bind.ts';
export { compileCalc, readInputs } from './expr/compile.ts';
export { generatedFactory } from './expr/generated-code.ts';
export type { CompiledCalc, CalcOutput } from './expr/compile.ts';
export { commonType } from './expr/coercion.ts';
export { evaluateOnBatch, evaluateRows, evaluateConstant } from './expr/evaluate.ts';
export { builtinFunctions, FunctionRegistry } from './functions/index.ts';
export type { FunctionDef, ResolveResult, FunctionFamily } from './functions/index.ts';
export { canCast } from './functions/cast.ts';
export { aggregateFactory } from './aggregates/index.ts';
export type { Accumulator, AggregateCall, AggregateFactory, AggregateKind } from './aggregates/index.ts';
export { CalcExec, calcBatch, planCalc } from './calc-exec.ts';
export type { CalcOptions, CalcPlan, Projection } from './calc-exec.ts';
export { WatermarkAssignerExec, combineWatermarks, observeEventTimes } from './watermark-assigner-exec.ts';
export type { WatermarkAssignerOptions, PartitionProgress } from './watermark-assigner-exec.ts';
export { WindowAssignerExec, assignWindowsBatch, windowColumns } from './window-assigner-exec.ts';
export type { WindowAssignerOptions } from './window-assigner-exec.ts';
export { assignWindows, windowStart, validateWindowSpec } from './windows.ts';
export type { WindowSpec, AssignedWindows } from './windows.ts';
export { WindowAggregateExec } from './window-aggregate-exec.ts';
export type { WindowAggregateOptions, WindowSource } from './window-aggregate-exec.ts';
export { GroupAggregateExec } from './group-aggregate-exec.ts';
export type { GroupAggregateOptions, GroupEmitMode } from './group-aggregate-exec.ts';
export { UnionExec, minWatermark } from './union-exec.ts';
export { JoinExec } from './join/join-exec.ts';
export { IntervalJoinExec } from './join/interval-join-exec.ts';
export { WindowJoinExec } from './join/window-join-exec.ts';
export { TemporalJoinExec } from './join/temporal-join-exec.ts';
export { LookupJoinExec } from './join/lookup-join-exec.ts';
export type { JoinOptions, JoinType as JoinExecType } from './join/join-exec.ts';
export { ValuesExec, valuesBatch } from './values-exec.ts';
export { Pipeline, CollectSink } from './pipeline.ts';
export type { Source, Sink, SourceOffsets, Checkpoint, RunOptions, NodeId } from './pipeline.ts';
export { RankExec } from './rank-exec.ts';
export type { RankFunction, RankOptions } from './rank-exec.ts';
export { ChangelogNormalizeExec } from './changelog-normalize-exec.ts';
export type { ChangelogNormalizeOptions } from './changelog-normalize-exec.ts';
export { DeduplicateExec } from './deduplicate-exec.ts';
export type { DeduplicateOptions } from './deduplicate-exec.ts';
export type { SortKey } from './sort-key.ts';
export { compareSortValues, displaySortKey } from './sort-key.ts';
export { StateTtl, stateTtl } from './state/ttl.ts';
export type { Clock } from './state/ttl.ts';
export { WindowRankExec } from './window-rank-exec.ts';
export type { WindowRankOptions } from './window-rank-exec.ts';
export { OverAggregateExec } from './over-aggregate-exec.ts';
export type { OverAggregateOptions } from './over-aggregate-exec.ts';
