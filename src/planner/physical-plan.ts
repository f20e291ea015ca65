/**
 * The physical plan: which operator runs each step, with every index and limit decided.
 * Each `*Exec` node describes one src/operators class; `buildPipeline` instantiates them.
 * Column indexes refer to the node's input schema (without `$row_kind`, which updating streams
 * carry as their last column).
 */
import type { AggregateCall, ColumnDef, GroupEmitMode, PhysicalExpr, Projection, WindowSource, WindowSpec } from '../operators/index.ts';
import type { CatalogTable } from './catalog.ts';
import { PlanError } from './errors.ts';
import type { ChangelogMode, JoinType, WatermarkStrategy, WindowDef } from './logical-plan.ts';
import type { OverExecNode } from './physical-over.ts';

export type { DeduplicateExecNode, OverAggregateExecNode, OverExecNode, RankExecNode, WindowRankExecNode } from './physical-over.ts';

interface ExecBase {
  readonly schema: readonly ColumnDef[];
  readonly changelog: ChangelogMode;
}

export interface SourceExecNode extends ExecBase {
  readonly kind: 'SourceExec';
  readonly table: CatalogTable;
  readonly columns: readonly string[];
  /**
   * An upsert table read for a ChangelogNormalizeExec: the source adds `$row_kind` and turns
   * tombstones into -D rows (key columns set, the others NULL) instead of skipping them.
   */
  readonly deletes?: boolean;
}

/** Keeps the last row per primary key of an upsert stream and emits the full retract changelog. */
export interface ChangelogNormalizeExecNode extends ExecBase {
  readonly kind: 'ChangelogNormalizeExec';
  readonly input: PhysicalNode;
  readonly keys: readonly number[];
  readonly stateBytesMax: number;
  readonly stateTtlMs: number | null;
}

export interface ValuesExecNode extends ExecBase {
  readonly kind: 'ValuesExec';
  readonly rows: readonly (readonly PhysicalExpr[])[];
}

export interface WatermarkAssignerExecNode extends ExecBase {
  readonly kind: 'WatermarkAssignerExec';
  readonly input: PhysicalNode;
  readonly timeColumn: number;
  readonly delayMs: number;
  readonly strategy: WatermarkStrategy;
  readonly idleTimeoutMs: number | null;
}

export interface CalcExecNode extends ExecBase {
  readonly kind: 'CalcExec';
  readonly input: PhysicalNode;
  readonly predicate: PhysicalExpr | null;
  readonly projections: readonly Projection[];
}

export interface WindowAssignerExecNode extends ExecBase {
  readonly kind: 'WindowAssignerExec';
  readonly input: PhysicalNode;
  readonly window: WindowSpec;
  readonly timeColumn: number;
}

export interface WindowAggregateExecNode extends ExecBase {
  readonly kind: 'WindowAggregateExec';
  readonly input: PhysicalNode;
  readonly window: WindowSource;
  /** The window, for EXPLAIN. */
  readonly windowDef: WindowDef;
  readonly groupKeys: readonly number[];
  readonly aggregates: readonly AggregateCall[];
  readonly stateBytesMax: number;
}

export interface GroupAggregateExecNode extends ExecBase {
  readonly kind: 'GroupAggregateExec';
  readonly input: PhysicalNode;
  readonly groupKeys: readonly number[];
  readonly aggregates: readonly AggregateCall[];
  readonly stateBytesMax: number;
  readonly emit: GroupEmitMode;
  /** 'per-batch' flush triggers (null: flush after every batch). */
  readonly miniBatch: { readonly latencyMs: number; readonly size: number } | null;
  /** Processing-time TTL of a key's state (null: kept forever). */
  readonly stateTtlMs: number | null;
}

export interface UnionExecNode extends ExecBase {
  readonly kind: 'UnionExec';
  readonly inputs: readonly PhysicalNode[];
}

/** Which join operator runs a JoinExecNode (join-analysis.ts decides); columns index its inputs. */
export type JoinOperatorSpec =
  | { readonly kind: 'regular'; readonly leftUniqueKey: readonly number[] | null; readonly rightUniqueKey: readonly number[] | null; readonly stateTtlMs: number | null }
  | { readonly kind: 'interval'; readonly leftTime: number; readonly rightTime: number; readonly lowerMs: number; readonly upperMs: number }
  | { readonly kind: 'window'; readonly leftEnd: number; readonly rightEnd: number; readonly window: WindowDef }
  | { readonly kind: 'temporal'; readonly leftTime: number; readonly rightTime: number | null; readonly rightUniqueKey: readonly number[] | null };

/**
 * A join. Its inputs may carry extra trailing key columns (computed join keys); the output has
 * the first `outputColumnCounts` columns of each input. `condition` is the residual condition
 * over that output row.
 */
export interface JoinExecNode extends ExecBase {
  readonly kind: 'JoinExec';
  readonly left: PhysicalNode;
  readonly right: PhysicalNode;
  readonly joinType: JoinType;
  readonly leftKeys: readonly number[];
  readonly rightKeys: readonly number[];
  readonly condition: PhysicalExpr | null;
  readonly outputColumnCounts: readonly [number, number];
  readonly spec: JoinOperatorSpec;
  readonly stateBytesMax: number;
}

export type PhysicalNode =
  | JoinExecNode
  | SourceExecNode
  | ValuesExecNode
  | WatermarkAssignerExecNode
  | CalcExecNode
  | WindowAssignerExecNode
  | WindowAggregateExecNode
  | GroupAggregateExecNode
  | UnionExecNode
  | ChangelogNormalizeExecNode
  | OverExecNode;

/** A plan ready to run: the operator tree and where its output goes. */
export interface PhysicalPlan {
  readonly root: PhysicalNode;
  /** The INSERT target, or null when results go back to the caller (SELECT). */
  readonly target: CatalogTable | null;
  readonly schema: readonly ColumnDef[];
  readonly changelog: ChangelogMode;
}

/**
 * The scan under an upsert stream (through the projections, filters and watermark assigner that
 * keep it upsert), asked to read tombstones as -D rows for the operator above, which looks rows
 * up by the key (ChangelogNormalizeExec, a join's upsert side).
 */
export function readDeletes(node: PhysicalNode): PhysicalNode {
  switch (node.kind) {
    case 'SourceExec': return { ...node, deletes: true };
    case 'CalcExec': case 'WatermarkAssignerExec': return { ...node, input: readDeletes(node.input) };
    default: throw new PlanError(`internal: an upsert stream comes from ${node.kind}, not from a table scan`);
  }
}

export function physicalInputs(node: PhysicalNode): readonly PhysicalNode[] {
  switch (node.kind) {
    case 'SourceExec': case 'ValuesExec': return [];
    case 'UnionExec': return node.inputs;
    case 'JoinExec': return [node.left, node.right];
    case 'WatermarkAssignerExec': case 'CalcExec': case 'WindowAssignerExec': case 'WindowAggregateExec': case 'GroupAggregateExec':
    case 'ChangelogNormalizeExec': case 'RankExec': case 'DeduplicateExec': case 'WindowRankExec': case 'OverAggregateExec':
      return [node.input];
    default: {
      const never: never = node;
      throw new Error(`unknown physical node ${JSON.stringify(never)}`);
    }
  }
}
