/**
 * Window TVF recognition: turns an Aggregate into a WindowAggregate (append-only output, state
 * dropped as the watermark passes each window) when
 *
 * - it groups by `window_start` and `window_end` of one window table function below it
 *   (through filters and column-passing projections), e.g.
 *   `FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY auction, window_start, window_end`;
 * - or it carries a legacy group window (`GROUP BY auction, TUMBLE(ts, INTERVAL '10' SECOND)`
 *   with TUMBLE_START / TUMBLE_END / TUMBLE_ROWTIME).
 *
 * The rewrite keeps the Aggregate's schema: a Project above the WindowAggregate puts the
 * window columns back where the GROUP BY had them. SESSION windows cannot be assigned row by
 * row, so the session TVF is removed and the WindowAggregate merges sessions itself.
 */
import { E } from '../../operators/index.ts';
import type { PhysicalExpr } from '../../operators/index.ts';
import { filter, windowAggregate, windowTableFunction } from '../builders.ts';
import { PlanError } from '../errors.ts';
import { columnsUsed } from '../expr-util.ts';
import { transformUp } from '../logical-plan.ts';
import type { AggregateNode, LogicalPlan, ProjectNode, WindowTableFunctionNode } from '../logical-plan.ts';
import { traceWindowColumn, windowGrouping } from '../window-trace.ts';
import type { OptimizerRule } from './rule.ts';

export const windowAggregateRule: OptimizerRule = {
  name: 'window-aggregate',
  apply: (plan) => transformUp(plan, (node) => (node.kind === 'Aggregate' ? recognize(node) : node)),
};

function recognize(node: AggregateNode): LogicalPlan {
  if (node.legacyWindow !== undefined) return fromLegacy(node);
  const g = windowGrouping(node.groupExprs, node.input);
  return g === null ? node : fromTvf(node, g.tvf, g.start, g.end);
}

function fromLegacy(node: AggregateNode): LogicalPlan {
  const lw = node.legacyWindow;
  if (lw === undefined) return node;
  if (lw.window.kind === 'session') {
    return windowAggregate(node.input, lw.window, { kind: 'session', timeColumn: lw.timeColumn }, node.groupExprs, node.aggregates, node.schema);
  }
  const tvf = windowTableFunction(node.input, lw.timeColumn, lw.window);
  const n = node.input.schema.length;
  return windowAggregate(tvf, lw.window, { kind: 'assigned', startColumn: n, endColumn: n + 1 }, node.groupExprs, node.aggregates, node.schema);
}

/** The Aggregate grouped by window_start (key `si`) and window_end (key `ei`) of `tvf`. */
function fromTvf(node: AggregateNode, tvf: WindowTableFunctionNode, si: number, ei: number): LogicalPlan {
  const timeKeys = node.groupExprs.flatMap((e, i) => {
    const t = i === si || i === ei || e.kind !== 'column' ? null : traceWindowColumn(node.input, e.index);
    return t !== null && t.tvf === tvf && t.which === 2 ? [i] : [];
  });
  const windowKeys = new Set([si, ei, ...timeKeys]);
  const rest = node.groupExprs.filter((_, i) => !windowKeys.has(i));
  const schema = [
    ...node.schema.slice(0, node.groupExprs.length).filter((_, i) => !windowKeys.has(i)),
    ...tvf.schema.slice(tvf.input.schema.length),
    ...node.schema.slice(node.groupExprs.length),
  ];
  let agg: LogicalPlan;
  if (tvf.window.kind === 'session') {
    const input = withoutSessionTvf(node.input, tvf, node);
    agg = windowAggregate(input, tvf.window, { kind: 'session', timeColumn: tvf.timeColumn }, rest, node.aggregates, schema);
  } else {
    const si2 = node.groupExprs[si], ei2 = node.groupExprs[ei];
    if (si2.kind !== 'column' || ei2.kind !== 'column') return node;
    agg = windowAggregate(node.input, tvf.window, { kind: 'assigned', startColumn: si2.index, endColumn: ei2.index }, rest, node.aggregates, schema);
  }
  // Put the window columns back where the GROUP BY listed them.
  const exprs: PhysicalExpr[] = [];
  let k = 0;
  node.groupExprs.forEach((_, i) => {
    if (i === si) exprs.push(E.col(rest.length));
    else if (i === ei) exprs.push(E.col(rest.length + 1));
    else if (windowKeys.has(i)) exprs.push(E.col(rest.length + 2));
    else exprs.push(E.col(k++));
  });
  node.aggregates.forEach((_, j) => exprs.push(E.col(rest.length + 3 + j)));
  const restore: ProjectNode = Object.freeze({ kind: 'Project', input: agg, exprs, schema: node.schema, changelog: agg.changelog });
  return restore;
}

/**
 * The input of a session aggregation: the Aggregate's input with the session TVF taken out.
 * Only filters may stand between them (column-passing projections are not rewritten yet), and
 * nothing but the GROUP BY may use the window columns.
 */
function withoutSessionTvf(input: LogicalPlan, tvf: WindowTableFunctionNode, node: AggregateNode): LogicalPlan {
  const n = tvf.input.schema.length;
  const usesWindow = (e: PhysicalExpr | null): boolean => e !== null && [...columnsUsed(e)].some((c) => c >= n);
  if (node.aggregates.some((a) => usesWindow(a.arg) || usesWindow(a.filter))) {
    throw new PlanError('aggregates over a SESSION window cannot use window_start, window_end or window_time');
  }
  if (input === tvf) return tvf.input;
  if (input.kind === 'Filter' && !usesWindow(input.predicate)) return filter(withoutSessionTvf(input.input, tvf, node), input.predicate);
  throw new PlanError('a SESSION window table function must be aggregated directly: FROM TABLE(SESSION(...)) [WHERE ...] GROUP BY ..., window_start, window_end');
}
