/**
 * Physical planning of Rank and Over (physical-planner.ts handles the other nodes): a Rank runs
 * as a DeduplicateExec, a WindowRankExec or a RankExec (see rankStrategy), an Over with
 * aggregate calls as an OverAggregateExec; a ranking function without a filter on its result is
 * refused, as Flink refuses it.
 */
import type { ColumnDef, RankFunction, SortKey } from '../operators/index.ts';
import type { AggregateCall } from '../operators/index.ts';
import { PlanError, unsupported } from './errors.ts';
import { changelogName } from './logical-plan.ts';
import type { ChangelogMode, LogicalPlan } from './logical-plan.ts';
import { exprType } from './expr-util.ts';
import { E } from '../operators/index.ts';
import type { PhysicalExpr } from '../operators/index.ts';
import { rankStrategy } from './logical-over.ts';
import type { OverFrame, OverNode, RankNode } from './logical-over.ts';
import type { PhysicalNode } from './physical-plan.ts';

interface ExecBase {
  readonly schema: readonly ColumnDef[];
  readonly changelog: ChangelogMode;
}

/** What a Top-N and a window Top-N share. */
interface RankFields extends ExecBase {
  readonly input: PhysicalNode;
  readonly partitionKeys: readonly number[];
  readonly orderKeys: readonly SortKey[];
  readonly fn: RankFunction;
  readonly rankStart: number;
  readonly rankEnd: number;
  readonly rankColumn: string | null;
  readonly stateBytesMax: number;
}

export interface RankExecNode extends RankFields {
  readonly kind: 'RankExec';
  readonly stateTtlMs: number | null;
  /** False when an upsert sink keyed like the output needs no -U rows (Flink's generateUpdateBefore). */
  readonly updateBefore?: boolean;
}

export interface DeduplicateExecNode extends ExecBase {
  readonly kind: 'DeduplicateExec';
  readonly input: PhysicalNode;
  readonly keys: readonly number[];
  readonly timeColumn: number;
  readonly keepLast: boolean;
  readonly stateBytesMax: number;
  readonly stateTtlMs: number | null;
  /** False when an upsert sink keyed by `keys` needs no -U rows: the kept row is then not stored. */
  readonly updateBefore?: boolean;
}

export interface WindowRankExecNode extends RankFields {
  readonly kind: 'WindowRankExec';
  readonly endColumn: number;
}

export interface OverAggregateExecNode extends ExecBase {
  readonly kind: 'OverAggregateExec';
  readonly input: PhysicalNode;
  readonly partitionKeys: readonly number[];
  readonly timeColumn: number;
  readonly frame: OverFrame;
  readonly aggregates: readonly AggregateCall[];
  /** How many leading input columns the output repeats (computed argument columns follow them). */
  readonly passColumns: number;
  readonly stateBytesMax: number;
  readonly stateTtlMs: number | null;
}

export type OverExecNode = RankExecNode | DeduplicateExecNode | WindowRankExecNode | OverAggregateExecNode;

export interface OverPlanContext {
  readonly stateBytesMax: number;
  readonly stateTtlMs: number | null;
  /** Plans the input. */
  plan(node: LogicalPlan): PhysicalNode;
  /** Plans the input as a full changelog (an upsert input through a ChangelogNormalizeExec). */
  planRetract(node: LogicalPlan): PhysicalNode;
}

export function planRank(node: RankNode, ctx: OverPlanContext): PhysicalNode {
  const input = ctx.planRetract(node.input);
  const base = { input, schema: node.schema, changelog: node.changelog };
  const rankColumn = node.outputRank ? node.schema[node.schema.length - 1].name : null;
  const rank = {
    ...base, partitionKeys: node.partitionKeys, orderKeys: node.orderKeys, fn: node.fn, rankStart: node.rankStart, rankEnd: node.rankEnd,
    rankColumn, stateBytesMax: ctx.stateBytesMax,
  };
  const s = rankStrategy(node);
  switch (s.kind) {
    case 'deduplicate':
      return { kind: 'DeduplicateExec', ...base, keys: node.partitionKeys, timeColumn: s.timeColumn, keepLast: s.keepLast, stateBytesMax: ctx.stateBytesMax, stateTtlMs: ctx.stateTtlMs };
    case 'window':
      return { kind: 'WindowRankExec', ...rank, endColumn: s.endColumn };
    case 'topn':
      return { kind: 'RankExec', ...rank, stateTtlMs: ctx.stateTtlMs };
    default: {
      const never: never = s;
      throw new PlanError(`unknown rank strategy ${JSON.stringify(never)}`);
    }
  }
}

export function planOver(node: OverNode, ctx: OverPlanContext): PhysicalNode {
  const rank = node.calls.find((c) => c.kind === 'rank');
  const name = node.schema[node.input.schema.length].name;
  if (rank !== undefined) {
    throw new PlanError(`${rank.fn}() OVER (...) needs a filter on its result, such as WHERE ${name} <= 10, in the query around it (a stream cannot rank without a bound)`);
  }
  if (node.input.changelog.kind !== 'append') {
    throw new PlanError(`an OVER aggregation needs an append-only input, but its input is updating (${changelogName(node.input.changelog)}), as in Flink; an upsert table (one with a PRIMARY KEY) or an aggregation's result cannot be its input`);
  }
  const [order] = node.orderKeys;
  const t = node.input.schema[order.column].type;
  const rowtime = (t.kind === 'TIMESTAMP' || t.kind === 'TIMESTAMP_LTZ') && t.timeAttribute === 'ROWTIME';
  if (node.orderKeys.length !== 1 || !rowtime || order.descending) {
    throw new PlanError('OVER aggregations must be ordered by one event-time attribute, ascending (e.g. ORDER BY `dateTime`)');
  }
  const pre = aggregateColumns(ctx.plan(node.input), node);
  return {
    kind: 'OverAggregateExec', input: pre.input, passColumns: node.input.schema.length, partitionKeys: node.partitionKeys, timeColumn: order.column, frame: node.frame,
    aggregates: pre.calls, stateBytesMax: ctx.stateBytesMax, stateTtlMs: node.frame.units === 'RANGE' && node.frame.preceding !== null ? null : ctx.stateTtlMs,
    schema: node.schema, changelog: node.changelog,
  };
}

/**
 * The aggregate calls over columns: arguments and FILTER conditions that are expressions are
 * computed by a CalcExec that repeats the input columns and appends them.
 */
function aggregateColumns(input: PhysicalNode, node: OverNode): { input: PhysicalNode; calls: AggregateCall[] } {
  const inSchema = node.input.schema;
  const extra: PhysicalExpr[] = [];
  const slot = (e: PhysicalExpr): number => {
    if (e.kind === 'column') return e.index;
    extra.push(e);
    return inSchema.length + extra.length - 1;
  };
  const calls: AggregateCall[] = [];
  node.calls.forEach((c, j) => {
    if (c.kind !== 'aggregate') return;
    const a = c.aggregate;
    calls.push({ fn: a.fn, arg: a.arg === null ? null : slot(a.arg), distinct: a.distinct, filter: a.filter === null ? null : slot(a.filter), name: node.schema[inSchema.length + j].name });
  });
  if (extra.length === 0) return { input, calls };
  const projections = [
    ...inSchema.map((col, i) => ({ name: col.name, expr: E.col(i) })),
    ...extra.map((e, i) => ({ name: `$arg${i}`, expr: e })),
  ];
  const schema = [...inSchema, ...extra.map((e, i) => ({ name: `$arg${i}`, type: exprType(e, inSchema) }))];
  return { input: { kind: 'CalcExec', input, predicate: null, projections, schema, changelog: input.changelog }, calls };
}

/**
 * Flink's generateUpdateBefore = false: when the plan writes to an upsert sink whose primary key
 * is exactly the deduplication keys (or a Top-N's partition keys and rank), the -U rows would be
 * ignored by the sink, so the operator below the column-passing projections leaves them out (and
 * a keep-last deduplication stops storing the rows it only kept to retract them).
 */
export function withoutUpdateBefore(root: PhysicalNode, pk: readonly string[]): PhysicalNode {
  let node = root;
  let names: (string | null)[] = root.schema.map((c) => c.name);
  const chain: PhysicalNode[] = [];
  while (node.kind === 'CalcExec' && node.predicate === null) {
    const inputNames: (string | null)[] = node.input.schema.map(() => null);
    node.projections.forEach((p, i) => {
      if (p.expr.kind === 'column' && i < names.length) inputNames[p.expr.index] = names[i];
    });
    names = inputNames;
    chain.push(node);
    node = node.input;
  }
  const at = (name: string): number => names.indexOf(name);
  const keyed = (cols: readonly number[]): boolean => pk.length === cols.length && pk.every((k) => cols.includes(at(k)));
  const upsert = (n: PhysicalNode): ChangelogMode => ({ kind: 'upsert', keys: pk.map((k) => n.schema[at(k)].name) });
  let replaced: PhysicalNode;
  if (node.kind === 'DeduplicateExec' && node.keepLast && keyed(node.keys)) replaced = { ...node, updateBefore: false, changelog: upsert(node) };
  else if (node.kind === 'RankExec' && node.rankColumn !== null && node.fn === 'ROW_NUMBER' && keyed([...node.partitionKeys, node.input.schema.length])) {
    replaced = { ...node, updateBefore: false, changelog: upsert(node) };
  } else return root;
  // The projections above pass the key columns through under the sink's names.
  for (const c of chain.reverse()) replaced = { ...(c as PhysicalNode & { kind: 'CalcExec' }), input: replaced, changelog: { kind: 'upsert', keys: pk } };
  return replaced;
}
