/**
 * The logical plan: what a query computes, before the choice of operators. Nodes are readonly
 * plain objects tagged with `kind`; each carries its output `schema` and its `changelog` mode.
 *
 * Expressions are the operators' `PhysicalExpr` IR with columns referenced by index into the
 * node's input schema; names live in the schemas. Rules rewrite nodes but keep each node's
 * output schema (names and types), so a rule can always copy the schema of what it replaces.
 *
 * Changelog modes (Flink's): `append` (inserts only), `retract` (+I/-U/+U/-D with full rows),
 * `upsert(keys)` (+I/+U/-D keyed by `keys`, no -U).
 */
import type { AggregateKind, ColumnDef, PhysicalExpr } from '../operators/index.ts';
import type { CatalogTable } from './catalog.ts';
import type { OverNode, RankNode } from './logical-over.ts';

export type { OverNode, RankNode } from './logical-over.ts';

export type ChangelogMode =
  | { readonly kind: 'append' }
  | { readonly kind: 'retract' }
  | { readonly kind: 'upsert'; readonly keys: readonly string[] };

export const APPEND: ChangelogMode = Object.freeze({ kind: 'append' });
export const RETRACT: ChangelogMode = Object.freeze({ kind: 'retract' });

/** Window definitions of the four window TVFs, sizes in milliseconds. */
export type WindowDef =
  | { readonly kind: 'tumble'; readonly sizeMs: number; readonly offsetMs?: number }
  | { readonly kind: 'hop'; readonly slideMs: number; readonly sizeMs: number; readonly offsetMs?: number }
  | { readonly kind: 'cumulate'; readonly stepMs: number; readonly maxSizeMs: number; readonly offsetMs?: number }
  | { readonly kind: 'session'; readonly gapMs: number };

/** `COUNT(DISTINCT x) FILTER (WHERE p)`: argument and filter are expressions over the input. */
export interface AggregateExpr {
  readonly fn: AggregateKind;
  readonly arg: PhysicalExpr | null;
  readonly distinct: boolean;
  readonly filter: PhysicalExpr | null;
}

/** How a watermark is derived: `ts - INTERVAL 'd'`, the source's own, or processing time. */
export type WatermarkStrategy =
  | { readonly kind: 'bounded'; readonly delayMs: number }
  | { readonly kind: 'source' }
  | { readonly kind: 'proctime' };

interface Base {
  readonly schema: readonly ColumnDef[];
  readonly changelog: ChangelogMode;
}

/** Reads `columns` (physical and metadata columns, pruned by projection pushdown) of a table. */
export interface ScanNode extends Base {
  readonly kind: 'Scan';
  readonly table: CatalogTable;
  readonly columns: readonly string[];
}

/** Literal rows. */
export interface ValuesNode extends Base {
  readonly kind: 'Values';
  readonly rows: readonly (readonly PhysicalExpr[])[];
}

/** Assigns watermarks on a time column; rows pass unchanged. */
export interface WatermarkAssignerNode extends Base {
  readonly kind: 'WatermarkAssigner';
  readonly input: LogicalPlan;
  readonly timeColumn: number;
  readonly strategy: WatermarkStrategy;
}

export interface ProjectNode extends Base {
  readonly kind: 'Project';
  readonly input: LogicalPlan;
  readonly exprs: readonly PhysicalExpr[];
}

export interface FilterNode extends Base {
  readonly kind: 'Filter';
  readonly input: LogicalPlan;
  readonly predicate: PhysicalExpr;
}

/** A filter and a projection evaluated in one pass (what the merge rule makes of Project/Filter). */
export interface CalcNode extends Base {
  readonly kind: 'Calc';
  readonly input: LogicalPlan;
  readonly predicate: PhysicalExpr | null;
  readonly exprs: readonly PhysicalExpr[];
}

/** TUMBLE / HOP / CUMULATE / SESSION: the input plus window_start, window_end, window_time. */
export interface WindowTableFunctionNode extends Base {
  readonly kind: 'WindowTableFunction';
  readonly input: LogicalPlan;
  readonly timeColumn: number;
  readonly window: WindowDef;
}

/**
 * GROUP BY without windows (GroupAggregate, retract output). Output: keys, then (legacy group
 * windows only) window_start, window_end, window_time, then aggregates. An Aggregate with a
 * `legacyWindow` is what the binder makes of `GROUP BY TUMBLE(ts, INTERVAL ...)`; the window
 * rule turns it into a WindowAggregate.
 */
export interface AggregateNode extends Base {
  readonly kind: 'Aggregate';
  readonly input: LogicalPlan;
  readonly groupExprs: readonly PhysicalExpr[];
  readonly aggregates: readonly AggregateExpr[];
  readonly legacyWindow?: { readonly window: WindowDef; readonly timeColumn: number };
}

/** Where a WindowAggregate finds its windows in its input. */
export type WindowColumns =
  | { readonly kind: 'assigned'; readonly startColumn: number; readonly endColumn: number }
  | { readonly kind: 'session'; readonly timeColumn: number };

/** Aggregation per window (append output, emitted when the watermark passes window_end). Output: keys, window_start, window_end, window_time, aggregates. */
export interface WindowAggregateNode extends Base {
  readonly kind: 'WindowAggregate';
  readonly input: LogicalPlan;
  readonly window: WindowDef;
  readonly windowColumns: WindowColumns;
  readonly groupExprs: readonly PhysicalExpr[];
  readonly aggregates: readonly AggregateExpr[];
}

export interface UnionNode extends Base {
  readonly kind: 'Union';
  readonly inputs: readonly LogicalPlan[];
}

export type JoinType = 'INNER' | 'LEFT' | 'RIGHT' | 'FULL';

/**
 * A join of two inputs; `condition` reads the left columns, then the right ones. Which operator
 * runs it (regular, interval, window or temporal join) follows from the condition and the
 * inputs (join-analysis.ts). `temporal`: the right input is read `FOR SYSTEM_TIME AS OF` the
 * left's time column `leftTimeColumn`.
 */
export interface JoinNode extends Base {
  readonly kind: 'Join';
  readonly left: LogicalPlan;
  readonly right: LogicalPlan;
  readonly joinType: JoinType;
  readonly condition: PhysicalExpr | null;
  readonly temporal?: { readonly leftTimeColumn: number };
}

export type LogicalPlan =
  | JoinNode
  | ScanNode
  | ValuesNode
  | WatermarkAssignerNode
  | ProjectNode
  | FilterNode
  | CalcNode
  | WindowTableFunctionNode
  | AggregateNode
  | WindowAggregateNode
  | UnionNode
  | OverNode
  | RankNode;

/** The inputs of a node, in order. */
export function inputsOf(plan: LogicalPlan): readonly LogicalPlan[] {
  switch (plan.kind) {
    case 'Scan': case 'Values': return [];
    case 'Union': return plan.inputs;
    case 'Join': return [plan.left, plan.right];
    case 'WatermarkAssigner': case 'Project': case 'Filter': case 'Calc': case 'WindowTableFunction':
    case 'Aggregate': case 'WindowAggregate': case 'Over': case 'Rank':
      return [plan.input];
    default: {
      const never: never = plan;
      throw new Error(`unknown plan node ${JSON.stringify(never)}`);
    }
  }
}

/** The same node over new inputs (schemas unchanged). */
export function withInputs(plan: LogicalPlan, inputs: readonly LogicalPlan[]): LogicalPlan {
  switch (plan.kind) {
    case 'Scan': case 'Values': return plan;
    case 'Union': return Object.freeze({ ...plan, inputs: Object.freeze([...inputs]) });
    case 'Join': return Object.freeze({ ...plan, left: inputs[0], right: inputs[1] });
    case 'WatermarkAssigner': case 'Project': case 'Filter': case 'Calc': case 'WindowTableFunction':
    case 'Aggregate': case 'WindowAggregate': case 'Over': case 'Rank':
      return Object.freeze({ ...plan, input: inputs[0] });
    default: {
      const never: never = plan;
      throw new Error(`unknown plan node ${JSON.stringify(never)}`);
    }
  }
}

/** Rebuilds a plan bottom-up, applying `f` to every node after its inputs. */
export function transformUp(plan: LogicalPlan, f: (node: LogicalPlan) => LogicalPlan): LogicalPlan {
  const inputs = inputsOf(plan);
  const next = inputs.map((i) => transformUp(i, f));
  const rebuilt = next.every((n, i) => n === inputs[i]) ? plan : withInputs(plan, next);
  return f(rebuilt);
}

/** Rebuilds a plan top-down: `f` first, then the inputs of what it returned. */
export function transformDown(plan: LogicalPlan, f: (node: LogicalPlan) => LogicalPlan): LogicalPlan {
  const top = f(plan);
  const inputs = inputsOf(top);
  const next = inputs.map((i) => transformDown(i, f));
  return next.every((n, i) => n === inputs[i]) ? top : withInputs(top, next);
}

export function changelogName(mode: ChangelogMode): string {
  return mode.kind === 'upsert' ? `upsert[${mode.keys.join(', ')}]` : mode.kind;
}
