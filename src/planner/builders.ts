/**
 * Constructors of logical plan nodes that derive each node's schema and changelog mode from its
 * inputs. The binder uses them; rules that keep a node's schema build nodes directly.
 */
import { aggregateFactory, windowColumns, withoutTimeAttribute } from '../operators/index.ts';
import type { ColumnDef, PhysicalExpr, SqlType } from '../operators/index.ts';
import type { CatalogTable } from './catalog.ts';
import { columnsUsed, exprType } from './expr-util.ts';
import { joinChangelog, joinSchema } from './join-analysis.ts';
import { traceWindowColumn, windowGrouping } from './window-trace.ts';
import { APPEND, RETRACT, transformUp } from './logical-plan.ts';
import { rankChangelog } from './logical-over.ts';
import type {
  AggregateExpr, AggregateNode, ChangelogMode, FilterNode, JoinNode, JoinType, LogicalPlan, ProjectNode, ScanNode, UnionNode, ValuesNode,
  WatermarkAssignerNode, WatermarkStrategy, WindowAggregateNode, WindowColumns, WindowDef, WindowTableFunctionNode,
} from './logical-plan.ts';

export function scan(table: CatalogTable, columns: readonly string[], types: readonly SqlType[]): ScanNode {
  const changelog: ChangelogMode = table.changelogMode === 'upsert' ? { kind: 'upsert', keys: table.primaryKey ?? [] } : APPEND;
  return Object.freeze({
    kind: 'Scan', table, columns: Object.freeze([...columns]), changelog,
    schema: Object.freeze(columns.map((name, i) => ({ name, type: types[i] }))),
  });
}

export function values(rows: readonly (readonly PhysicalExpr[])[], schema: readonly ColumnDef[]): ValuesNode {
  return Object.freeze({ kind: 'Values', rows, schema, changelog: APPEND });
}

/** A projection; `types` overrides derived types (PROCTIME() is `NOW()` typed as a proctime attribute). */
export function project(input: LogicalPlan, exprs: readonly PhysicalExpr[], names: readonly string[], types?: readonly (SqlType | undefined)[]): ProjectNode {
  const schema = exprs.map((e, i) => ({ name: names[i], type: types?.[i] ?? exprType(e, input.schema) }));
  return Object.freeze({ kind: 'Project', input, exprs: Object.freeze([...exprs]), schema: Object.freeze(schema), changelog: projectChangelog(input.changelog, exprs, input.schema, names) });
}

/**
 * Upsert keys survive a projection only when every key column is passed through; a projection that
 * drops one needs the full changelog (ChangelogNormalize below it) and is retract.
 */
function projectChangelog(mode: ChangelogMode, exprs: readonly PhysicalExpr[], input: readonly ColumnDef[], names: readonly string[]): ChangelogMode {
  if (mode.kind !== 'upsert') return mode;
  const keys: string[] = [];
  for (const k of mode.keys) {
    const at = exprs.findIndex((e) => e.kind === 'column' && input[e.index].name === k);
    if (at < 0) return RETRACT;
    keys.push(names[at]);
  }
  return { kind: 'upsert', keys };
}

export function filter(input: LogicalPlan, predicate: PhysicalExpr): FilterNode {
  return Object.freeze({ kind: 'Filter', input, predicate, schema: input.schema, changelog: filterChangelog(input.changelog, predicate, input.schema) });
}

/**
 * A filter over an upsert stream stays upsert only when it tests key columns alone: a filter on
 * another column would drop the update that moves a key's row out of it, and the stale row would
 * stay. Otherwise the filter needs the full changelog (ChangelogNormalize below it) and is retract.
 */
function filterChangelog(mode: ChangelogMode, predicate: PhysicalExpr | null, input: readonly ColumnDef[]): ChangelogMode {
  if (mode.kind !== 'upsert' || predicate === null) return mode;
  for (const c of columnsUsed(predicate)) if (!mode.keys.includes(input[c].name)) return RETRACT;
  return mode;
}

export function watermarkAssigner(input: LogicalPlan, timeColumn: number, strategy: WatermarkStrategy): WatermarkAssignerNode {
  const attr = strategy.kind === 'proctime' ? 'PROCTIME' : 'ROWTIME';
  const schema = input.schema.map((c, i) => (i === timeColumn ? { name: c.name, type: withAttribute(c.type, attr) } : c));
  return Object.freeze({ kind: 'WatermarkAssigner', input, timeColumn, strategy, schema: Object.freeze(schema), changelog: input.changelog });
}

export function withAttribute(t: SqlType, attr: 'ROWTIME' | 'PROCTIME'): SqlType {
  if (t.kind !== 'TIMESTAMP' && t.kind !== 'TIMESTAMP_LTZ') return t;
  return Object.freeze({ kind: t.kind, precision: t.precision, nullable: t.nullable, timeAttribute: attr });
}

export function windowTableFunction(input: LogicalPlan, timeColumn: number, window: WindowDef): WindowTableFunctionNode {
  const schema = [...input.schema, ...windowSchema(input.schema[timeColumn].type)];
  return Object.freeze({ kind: 'WindowTableFunction', input, timeColumn, window, schema: Object.freeze(schema), changelog: APPEND });
}

/** window_start, window_end (TIMESTAMP(3) NOT NULL) and window_time (a time attribute of the time column's kind). */
export function windowSchema(timeType: SqlType): ColumnDef[] {
  const cols = windowColumns(timeType);
  const attr = timeType.kind === 'TIMESTAMP' || timeType.kind === 'TIMESTAMP_LTZ' ? timeType.timeAttribute : undefined;
  return attr === 'PROCTIME' ? [cols[0], cols[1], { name: 'window_time', type: withAttribute(cols[2].type, 'PROCTIME') }] : cols;
}

/** Result type of an aggregate over `input`, as the operators compute it. */
export function aggregateType(a: AggregateExpr, input: readonly ColumnDef[]): SqlType {
  const argType = a.arg === null ? null : withoutTimeAttribute(exprType(a.arg, input));
  const cols: ColumnDef[] = argType === null ? [] : [{ name: 'arg', type: argType }];
  const fn = a.fn === 'COUNT' && a.arg === null ? 'COUNT_STAR' : a.fn;
  return aggregateFactory('Aggregate', { fn, arg: argType === null ? null : 0, name: 'agg' }, cols, false).resultType;
}

export function aggregate(
  input: LogicalPlan, groupExprs: readonly PhysicalExpr[], aggregates: readonly AggregateExpr[], names: readonly string[],
  legacyWindow?: { window: WindowDef; timeColumn: number },
): AggregateNode {
  // Grouping keys lose their time attribute, except window_time of a window aggregation (Flink).
  const grouping = windowGrouping(groupExprs, input);
  const keepsAttribute = (e: PhysicalExpr): boolean =>
    grouping !== null && e.kind === 'column' && traceWindowColumn(input, e.index)?.tvf === grouping.tvf && traceWindowColumn(input, e.index)?.which === 2;
  const keys = groupExprs.map((e, i) => ({
    name: names[i], type: keepsAttribute(e) ? exprType(e, input.schema) : withoutTimeAttribute(exprType(e, input.schema)),
  }));
  const win = legacyWindow === undefined ? [] : windowSchema(input.schema[legacyWindow.timeColumn].type);
  const aggs = aggregates.map((a, i) => ({ name: names[groupExprs.length + i], type: aggregateType(a, input.schema) }));
  const node = {
    kind: 'Aggregate' as const, input, groupExprs: Object.freeze([...groupExprs]), aggregates: Object.freeze([...aggregates]),
    schema: Object.freeze([...keys, ...win, ...aggs]),
    changelog: legacyWindow === undefined && grouping === null ? RETRACT : APPEND,
  };
  return Object.freeze(legacyWindow === undefined ? node : { ...node, legacyWindow });
}

export function windowAggregate(
  input: LogicalPlan, window: WindowDef, windowCols: WindowColumns, groupExprs: readonly PhysicalExpr[],
  aggregates: readonly AggregateExpr[], schema: readonly ColumnDef[],
): WindowAggregateNode {
  return Object.freeze({
    kind: 'WindowAggregate', input, window, windowColumns: windowCols, groupExprs: Object.freeze([...groupExprs]),
    aggregates: Object.freeze([...aggregates]), schema, changelog: APPEND,
  });
}

/** UNION ALL; the output is updating if any input is. Types must already agree. */
export function union(inputs: readonly LogicalPlan[], schema: readonly ColumnDef[]): UnionNode {
  const changelog = inputs.every((i) => i.changelog.kind === 'append') ? APPEND : RETRACT;
  return Object.freeze({ kind: 'Union', inputs: Object.freeze([...inputs]), schema, changelog });
}

/** A join; its schema and changelog mode follow from the operator it needs (join-analysis.ts). */
export function join(left: LogicalPlan, right: LogicalPlan, joinType: JoinType, condition: PhysicalExpr | null, temporal?: { leftTimeColumn: number }): JoinNode {
  const parts = { left, right, joinType, condition, ...(temporal === undefined ? {} : { temporal }) };
  return Object.freeze({ kind: 'Join', ...parts, schema: Object.freeze(joinSchema(parts)), changelog: joinChangelog(parts) });
}

/** Recomputes every node's changelog mode from its inputs (after rules replaced nodes below). */
export function deriveChangelogs(plan: LogicalPlan): LogicalPlan {
  return transformUp(plan, (node) => {
    const changelog = changelogOf(node);
    return sameMode(changelog, node.changelog) ? node : Object.freeze({ ...node, changelog }) as LogicalPlan;
  });
}

function changelogOf(node: LogicalPlan): ChangelogMode {
  switch (node.kind) {
    case 'Scan': case 'Values': case 'WindowTableFunction': case 'WindowAggregate': return node.changelog;
    case 'WatermarkAssigner': return node.input.changelog;
    case 'Filter': return filterChangelog(node.input.changelog, node.predicate, node.input.schema);
    case 'Project': return projectChangelog(node.input.changelog, node.exprs, node.input.schema, node.schema.map((c) => c.name));
    case 'Calc': {
      const filtered = filterChangelog(node.input.changelog, node.predicate, node.input.schema);
      return projectChangelog(filtered, node.exprs, node.input.schema, node.schema.map((c) => c.name));
    }
    case 'Aggregate': return node.legacyWindow === undefined && windowGrouping(node.groupExprs, node.input) === null ? RETRACT : APPEND;
    case 'Union': return node.inputs.every((i) => i.changelog.kind === 'append') ? APPEND : RETRACT;
    case 'Join': return joinChangelog(node);
    case 'Over': return node.input.changelog;
    case 'Rank': return rankChangelog(node);
    default: {
      const never: never = node;
      return never;
    }
  }
}

function sameMode(a: ChangelogMode, b: ChangelogMode): boolean {
  return a.kind === b.kind && (a.kind !== 'upsert' || b.kind !== 'upsert' || a.keys.join() === b.keys.join());
}

/** A one-row, zero-column input for `SELECT 1` without FROM. */
export function singleRow(): ValuesNode {
  return values([[]], []);
}
