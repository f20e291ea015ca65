/**
 * Logical plan -> physical plan: one operator per logical step, aggregate arguments and FILTER
 * conditions projected into columns by a CalcExec below the aggregation (operators aggregate
 * columns, not expressions), and the limits each stateful operator runs with.
 *
 * @example
 *   const physical = createPhysicalPlan(planQuery(query, catalog));
 *   const pipeline = buildPipeline(physical, { source, sink });
 */
import { E, T } from '../operators/index.ts';
import type { AggregateCall, ColumnDef, GroupEmitMode, PhysicalExpr, Projection, WindowSpec } from '../operators/index.ts';
import type { CatalogTable } from './catalog.ts';
import { PlanError, unsupported } from './errors.ts';
import { exprKey, exprType } from './expr-util.ts';
import { changelogName, RETRACT } from './logical-plan.ts';
import type { AggregateExpr, AggregateNode, LogicalPlan, WindowAggregateNode, WindowDef } from './logical-plan.ts';
import { planJoin } from './join-planner.ts';
import { readDeletes } from './physical-plan.ts';
import type { CalcExecNode, PhysicalNode, PhysicalPlan } from './physical-plan.ts';
import { planOver, planRank, withoutUpdateBefore } from './physical-over.ts';
import type { OverPlanContext } from './physical-over.ts';

export interface PhysicalPlannerOptions {
  /** Where the output goes: an INSERT target, or null (default) for results returned to the caller. */
  readonly target?: CatalogTable | null;
  /** State bound of each stateful operator, in bytes (default 512 MiB). */
  readonly stateBytesMax?: number;
  /** GroupAggregate emission: Flink's per-row changelog (default) or one change per key per batch. */
  readonly groupEmit?: GroupEmitMode;
  /** Mini-batch flush triggers for 'per-batch' GroupAggregate (allow-latency in ms, size in rows). */
  readonly miniBatch?: { readonly latencyMs: number; readonly size: number } | null;
  /** `sql.tables.scan.idle-timeout`: a silent source partition stops holding the watermark back. */
  readonly idleTimeoutMs?: number | null;
  /** Out-of-orderness allowed by SOURCE_WATERMARK() (Confluent Cloud's default strategy), in ms. */
  readonly sourceWatermarkDelayMs?: number;
  /** `sql.state-ttl`: processing-time TTL of per-key state without a time bound, in ms (null or 0: forever). */
  readonly stateTtlMs?: number | null;
}

export const STATE_BYTES_MAX_DEFAULT = 512 * 1024 * 1024;
export const SOURCE_WATERMARK_DELAY_MS_DEFAULT = 180;

export function createPhysicalPlan(plan: LogicalPlan, options: PhysicalPlannerOptions = {}): PhysicalPlan {
  const planner = new PhysicalPlanner(options);
  let root = renameTo(planner.plan(plan), plan.schema);
  const pk = options.target?.primaryKey ?? [];
  let changelog = plan.changelog;
  if (changelog.kind === 'upsert') {
    // An upsert table read as it is: into a sink keyed the same way its tombstones are deletes
    // too; results for the caller are its full changelog (what Flink's SQL client shows).
    const keys = changelog.keys;
    if (pk.length > 0 && pk.length === keys.length && pk.every((k) => keys.includes(k))) root = readDeletes(root);
    else if (options.target == null) {
      root = planner.normalize(root, keys);
      changelog = RETRACT;
    }
  }
  return Object.freeze({ root: pk.length > 0 ? withoutUpdateBefore(root, pk) : root, target: options.target ?? null, schema: plan.schema, changelog });
}

class PhysicalPlanner {
  private readonly stateBytesMax: number;
  constructor(private readonly options: PhysicalPlannerOptions) {
    this.stateBytesMax = options.stateBytesMax ?? STATE_BYTES_MAX_DEFAULT;
  }

  plan(node: LogicalPlan): PhysicalNode {
    const base = { schema: node.schema, changelog: node.changelog };
    switch (node.kind) {
      case 'Scan': return { kind: 'SourceExec', table: node.table, columns: node.columns, ...base };
      case 'Values': return { kind: 'ValuesExec', rows: node.rows, ...base };
      case 'WatermarkAssigner': {
        const s = node.strategy;
        const delayMs = s.kind === 'bounded' ? s.delayMs : s.kind === 'source' ? this.options.sourceWatermarkDelayMs ?? SOURCE_WATERMARK_DELAY_MS_DEFAULT : 0;
        return {
          kind: 'WatermarkAssignerExec', input: this.plan(node.input), timeColumn: node.timeColumn, delayMs, strategy: s,
          idleTimeoutMs: s.kind === 'proctime' ? null : this.options.idleTimeoutMs ?? null, ...base,
        };
      }
      case 'Project': return calc(this.planCalcInput(node), null, node.exprs, node.schema, node);
      case 'Filter': return calc(this.planCalcInput(node), node.predicate, node.schema.map((_, i) => E.col(i)), node.schema, node);
      case 'Calc': return calc(this.planCalcInput(node), node.predicate, node.exprs, node.schema, node);
      case 'WindowTableFunction': {
        if (node.input.changelog.kind !== 'append') throw appendOnlyWindow(node.input);
        if (node.window.kind === 'session') {
          throw new PlanError('a SESSION window table function must be aggregated with GROUP BY window_start, window_end; other uses are not supported yet');
        }
        return { kind: 'WindowAssignerExec', input: this.plan(node.input), window: windowSpec(node.window), timeColumn: node.timeColumn, ...base };
      }
      case 'Aggregate': return this.aggregate(node);
      case 'Rank': return planRank(node, this.overContext());
      case 'Over': return planOver(node, this.overContext());
      case 'WindowAggregate': return this.windowAggregate(node);
      case 'Join': return planJoin(node, this.plan(node.left), this.plan(node.right), this.stateBytesMax, this.stateTtlMs);
      case 'Union': {
        const inputs = node.inputs.map((i) => this.planRetract(i));
        const updating = node.changelog.kind !== 'append';
        return { kind: 'UnionExec', inputs: updating ? inputs.map(withRowKind) : inputs, ...base };
      }
      default: {
        const never: never = node;
        throw new PlanError(`unknown logical node ${JSON.stringify(never)}`);
      }
    }
  }

  private overContext(): OverPlanContext {
    return { stateBytesMax: this.stateBytesMax, stateTtlMs: this.stateTtlMs, plan: (n) => this.plan(n), planRetract: (n) => this.planRetract(n) };
  }

  /**
   * Plans the input of a consumer that needs the full changelog (what each update replaced):
   * an upsert input gets a ChangelogNormalizeExec keyed by its upsert keys, and its source
   * reads tombstones as deletes. Other inputs are planned as they are.
   */
  private planRetract(input: LogicalPlan): PhysicalNode {
    const physical = this.plan(input);
    return input.changelog.kind === 'upsert' ? this.normalize(physical, input.changelog.keys) : physical;
  }

  /** A ChangelogNormalizeExec keyed by the upsert `keys` (column names) over `physical`, whose scan reads deletes. */
  normalize(physical: PhysicalNode, upsertKeys: readonly string[]): PhysicalNode {
    const names = physical.schema.map((c) => c.name);
    const keys = upsertKeys.map((k) => names.indexOf(k));
    if (keys.length === 0 || keys.some((k) => k < 0)) throw new PlanError(`internal: upsert keys [${upsertKeys.join(', ')}] are not columns of [${names.join(', ')}]`);
    return {
      kind: 'ChangelogNormalizeExec', input: readDeletes(physical), keys, stateBytesMax: this.stateBytesMax, stateTtlMs: this.stateTtlMs,
      schema: physical.schema, changelog: RETRACT,
    };
  }

  /** A projection or filter that keeps an upsert stream upsert runs on it as it is; one that does not (see builders.ts) on its normalized changelog. */
  private planCalcInput(node: LogicalPlan & { readonly input: LogicalPlan }): PhysicalNode {
    return node.changelog.kind === 'upsert' ? this.plan(node.input) : this.planRetract(node.input);
  }

  private get stateTtlMs(): number | null {
    const ttl = this.options.stateTtlMs;
    return ttl === undefined || ttl === null || ttl <= 0 ? null : ttl;
  }

  private aggregate(node: AggregateNode): PhysicalNode {
    if (node.legacyWindow !== undefined) throw new PlanError('internal: a group window was not turned into a WindowAggregate (is the window-aggregate rule disabled?)');
    const input = this.planRetract(node.input);
    const pre = preAggregate(input, node.input.schema, node.groupExprs, node.aggregates, [], node.schema);
    return {
      kind: 'GroupAggregateExec', input: pre.input, groupKeys: pre.keys, aggregates: pre.calls, stateBytesMax: this.stateBytesMax,
      emit: this.options.groupEmit ?? 'per-row', miniBatch: this.options.miniBatch ?? null, stateTtlMs: this.stateTtlMs, schema: node.schema, changelog: node.changelog,
    };
  }

  private windowAggregate(node: WindowAggregateNode): PhysicalNode {
    if (node.input.changelog.kind !== 'append') throw appendOnlyWindow(node.input);
    const input = this.plan(node.input);
    const wc = node.windowColumns;
    const extra = wc.kind === 'assigned' ? [E.col(wc.startColumn), E.col(wc.endColumn)] : [E.col(wc.timeColumn)];
    const pre = preAggregate(input, node.input.schema, node.groupExprs, node.aggregates, extra, node.schema);
    const window = wc.kind === 'assigned'
      ? { kind: 'assigned' as const, startColumn: pre.extra[0], endColumn: pre.extra[1] }
      : { kind: 'session' as const, timeColumn: pre.extra[0], gapMs: node.window.kind === 'session' ? node.window.gapMs : 0 };
    return {
      kind: 'WindowAggregateExec', input: pre.input, window, windowDef: node.window, groupKeys: pre.keys, aggregates: pre.calls,
      stateBytesMax: this.stateBytesMax, schema: node.schema, changelog: node.changelog,
    };
  }
}

/**
 * Puts group keys, aggregate arguments, FILTER conditions and `extra` columns into input
 * columns: directly when they already are columns, else through one CalcExec.
 */
function preAggregate(
  input: PhysicalNode, inputSchema: readonly ColumnDef[], groupExprs: readonly PhysicalExpr[], aggs: readonly AggregateExpr[],
  extra: readonly PhysicalExpr[], output: readonly ColumnDef[],
): { input: PhysicalNode; keys: number[]; calls: AggregateCall[]; extra: number[] } {
  const aggNames = output.slice(output.length - aggs.length).map((c) => c.name);
  const all = [...groupExprs, ...aggs.flatMap((a) => [...(a.arg === null ? [] : [a.arg]), ...(a.filter === null ? [] : [a.filter])]), ...extra];
  const direct = all.every((e) => e.kind === 'column');
  const exprs: PhysicalExpr[] = [];
  const names: string[] = [];
  const slots = new Map<string, number>();
  const slot = (e: PhysicalExpr, name: string): number => {
    if (direct && e.kind === 'column') return e.index;
    const key = exprKey(e);
    let at = slots.get(key);
    if (at === undefined) {
      at = exprs.length;
      exprs.push(e);
      names.push(name);
      slots.set(key, at);
    }
    return at;
  };
  const keys = groupExprs.map((e, i) => slot(e, output[i].name));
  const calls = aggs.map((a, i): AggregateCall => ({
    fn: a.fn,
    arg: a.arg === null ? null : slot(a.arg, `${aggNames[i]}$arg`),
    distinct: a.distinct,
    filter: a.filter === null ? null : slot(a.filter, `${aggNames[i]}$filter`),
    name: aggNames[i],
  }));
  const extraCols = extra.map((e) => slot(e, e.kind === 'column' ? inputSchema[e.index].name : 'time'));
  if (direct) return { input, keys, calls, extra: extraCols };
  const schema = exprs.map((e, i) => ({ name: uniqueName(names, i), type: e.kind === 'column' ? inputSchema[e.index].type : exprType(e, inputSchema) }));
  const pre: CalcExecNode = {
    kind: 'CalcExec', input, predicate: null, projections: exprs.map((expr, i) => ({ name: schema[i].name, expr })), schema, changelog: input.changelog,
  };
  return { input: pre, keys, calls, extra: extraCols };
}

function uniqueName(names: readonly string[], i: number): string {
  const n = names[i];
  return names.indexOf(n) === i ? n : `${n}$${i}`;
}


function calc(input: PhysicalNode, predicate: PhysicalExpr | null, exprs: readonly PhysicalExpr[], schema: readonly ColumnDef[], node: LogicalPlan): CalcExecNode {
  const projections: Projection[] = exprs.map((expr, i) => ({ name: schema[i].name, expr }));
  return { kind: 'CalcExec', input, predicate, projections, schema, changelog: node.changelog };
}

/** Windows are assigned by event time to rows that never change afterwards (as in Flink). */
function appendOnlyWindow(input: LogicalPlan): PlanError {
  return new PlanError(`a window needs an append-only input, but its input is updating (${changelogName(input.changelog)}); an upsert table (one with a PRIMARY KEY) or an aggregation's result cannot be windowed, an append-only table can`);
}

/** An append-only input of an updating union gets a `$row_kind` column of +I. */
function withRowKind(node: PhysicalNode): PhysicalNode {
  if (node.changelog.kind !== 'append') return node;
  const projections: Projection[] = [...node.schema.map((c, i) => ({ name: c.name, expr: E.col(i) })), { name: '$row_kind', expr: E.lit(0, T.tinyint(false)) }];
  return { kind: 'CalcExec', input: node, predicate: null, projections, schema: node.schema, changelog: { kind: 'retract' } };
}

/** Renames the root's output to the logical names when an operator chose others. */
function renameTo(root: PhysicalNode, schema: readonly ColumnDef[]): PhysicalNode {
  const names = physicalNames(root);
  if (names.length === schema.length && names.every((n, i) => n === schema[i].name)) return root;
  const projections = schema.map((c, i) => ({ name: c.name, expr: E.col(i) }));
  return { kind: 'CalcExec', input: root, predicate: null, projections, schema, changelog: root.changelog };
}

/** The column names the operator of `node` will output (aggregations take key names from their input). */
function physicalNames(node: PhysicalNode): string[] {
  switch (node.kind) {
    case 'SourceExec': return [...node.columns];
    case 'ValuesExec': return node.schema.map((c) => c.name);
    case 'WatermarkAssignerExec': return physicalNames(node.input);
    case 'CalcExec': return node.projections.map((p) => p.name).filter((n) => n !== '$row_kind');
    case 'WindowAssignerExec': return [...physicalNames(node.input), 'window_start', 'window_end', 'window_time'];
    case 'WindowAggregateExec': {
      const input = physicalNames(node.input);
      return [...node.groupKeys.map((k) => input[k]), 'window_start', 'window_end', 'window_time', ...node.aggregates.map((a) => a.name)];
    }
    case 'GroupAggregateExec': {
      const input = physicalNames(node.input);
      return [...node.groupKeys.map((k) => input[k]), ...node.aggregates.map((a) => a.name)];
    }
    case 'UnionExec': return physicalNames(node.inputs[0]);
    case 'JoinExec': return [...physicalNames(node.left).slice(0, node.outputColumnCounts[0]), ...physicalNames(node.right).slice(0, node.outputColumnCounts[1])];
    case 'RankExec': case 'WindowRankExec': return [...physicalNames(node.input), ...(node.rankColumn === null ? [] : [node.rankColumn])];
    case 'DeduplicateExec': case 'ChangelogNormalizeExec': return physicalNames(node.input);
    case 'OverAggregateExec': return [...physicalNames(node.input).slice(0, node.passColumns), ...node.aggregates.map((a) => a.name)];
    default: {
      const never: never = node;
      return never;
    }
  }
}

export function windowSpec(w: WindowDef): WindowSpec {
  switch (w.kind) {
    case 'tumble': return { kind: 'tumble', sizeMs: w.sizeMs, ...(w.offsetMs === undefined ? {} : { offsetMs: w.offsetMs }) };
    case 'hop': return { kind: 'hop', slideMs: w.slideMs, sizeMs: w.sizeMs, ...(w.offsetMs === undefined ? {} : { offsetMs: w.offsetMs }) };
    case 'cumulate': return { kind: 'cumulate', stepMs: w.stepMs, maxSizeMs: w.maxSizeMs, ...(w.offsetMs === undefined ? {} : { offsetMs: w.offsetMs }) };
    case 'session': throw new PlanError('SESSION windows are assigned by the window aggregation');
    default: {
      const never: never = w;
      throw new PlanError(`unknown window ${JSON.stringify(never)}`);
    }
  }
}
