/**
 * OVER windows in a select list: `ROW_NUMBER() OVER (PARTITION BY p ORDER BY o) AS rn`,
 * `SUM(x) OVER (PARTITION BY p ORDER BY ts ROWS BETWEEN 10 PRECEDING AND CURRENT ROW)`, and
 * `OVER w` with `WINDOW w AS (...)`. Every OVER call of one SELECT becomes a column of one Over
 * node over the FROM/WHERE input, and the select list is a projection above it:
 *
 *   FROM -> Filter (WHERE) -> Over (input columns + one per call) -> Project (items)
 *
 * All calls of one SELECT must share their window (Flink's rule too). PARTITION BY and ORDER BY
 * name columns; the rank rule turns a filter on a ranking call into a Top-N.
 */
import { E, T } from '../../operators/index.ts';
import type { PhysicalExpr, RankFunction, SortKey } from '../../operators/index.ts';
import type { Expression, FrameBound, FunctionCallNode, NamedWindowNode, SelectNode, WindowSpecNode } from '../../sql/index.ts';
import { aggregateType, project } from '../builders.ts';
import { PlanError, unsupported } from '../errors.ts';
import { overNode } from '../logical-over.ts';
import type { OverCall, OverFrame } from '../logical-over.ts';
import { bindAggregateCall } from './aggregate.ts';
import type { Bound } from './context.ts';
import { AGGREGATE_FUNCTIONS, bindScalar, childExpressions, functionName } from './expression.ts';
import { intervalMs } from './literal.ts';
import { itemTypeOverride, outputScope } from './select.ts';
import type { SelectItem } from './select.ts';

const RANK_FUNCTIONS: ReadonlySet<string> = new Set(['ROW_NUMBER', 'RANK', 'DENSE_RANK']);

/** Every `f(...) OVER ...` call in `e`, outermost first. */
export function collectOverCalls(e: Expression, into: FunctionCallNode[]): FunctionCallNode[] {
  if (e.kind === 'FunctionCall' && e.over !== undefined) {
    into.push(e);
    return into;
  }
  for (const c of childExpressions(e)) collectOverCalls(c, into);
  return into;
}

export function bindOverSelect(sel: SelectNode, items: readonly SelectItem[], calls: readonly FunctionCallNode[], input: Bound): Bound {
  const named = new Map<string, NamedWindowNode>();
  for (const w of sel.windows) {
    if (named.has(w.name.value)) throw new PlanError(`window '${w.name.value}' is defined twice`, w.pos);
    named.set(w.name.value, w);
  }
  const specs = calls.map((c) => resolveSpec(c.over as WindowSpecNode, named));
  const first = specs[0];
  const n = input.plan.schema.length;
  const ctx = { scope: input.scope, clause: 'OVER (...)' };
  const column = (e: Expression, what: string): number => {
    const b = bindScalar(e, ctx);
    if (b.kind !== 'column') throw unsupported(`expressions in ${what} of OVER (compute '${what}' values in a subquery)`, e.pos);
    return b.index;
  };
  const partitionKeys = first.partitionBy.map((e) => column(e, 'PARTITION BY'));
  const orderKeys: SortKey[] = first.orderBy.map((o) => {
    const descending = o.direction === 'DESC';
    return { column: column(o.expr, 'ORDER BY'), descending, nullsFirst: o.nulls === undefined ? !descending : o.nulls === 'FIRST' };
  });
  if (orderKeys.length === 0) throw new PlanError('OVER windows on a stream need ORDER BY', (calls[0].over as WindowSpecNode).pos);
  const key = JSON.stringify([partitionKeys, orderKeys, first.frame ?? null]);
  specs.forEach((s, i) => {
    const k = JSON.stringify([s.partitionBy.map((e) => column(e, 'PARTITION BY')), s.orderBy.map((o) => {
      const descending = o.direction === 'DESC';
      return { column: column(o.expr, 'ORDER BY'), descending, nullsFirst: o.nulls === undefined ? !descending : o.nulls === 'FIRST' };
    }), s.frame ?? null]);
    if (k !== key) throw unsupported('different OVER windows in one SELECT (Flink computes one window per OVER aggregation)', calls[i].pos);
  });

  // An OVER call that is a whole select item takes the item's name (errors and plans show `rn`).
  const columnName = (c: FunctionCallNode, i: number): string => {
    const item = items.find((x) => x.kind === 'expr' && x.expr === c);
    return item === undefined || input.plan.schema.some((col) => col.name === item.name) ? `$over${i}` : item.name;
  };
  const overCalls: OverCall[] = [];
  const callColumns = calls.map((c, i) => {
    const name = functionName(c);
    if (RANK_FUNCTIONS.has(name)) {
      if (c.args.length > 0 || c.star || c.distinct) throw new PlanError(`${name}() takes no arguments`, c.pos);
      overCalls.push({ kind: 'rank', fn: name as RankFunction });
      return { name: columnName(c, i), type: T.bigint(false) };
    }
    if (!AGGREGATE_FUNCTIONS.has(name)) throw unsupported(`${name}(...) OVER (...); supported are ROW_NUMBER, RANK, DENSE_RANK and the aggregate functions`, c.pos);
    if (c.distinct) throw unsupported(`${name}(DISTINCT ...) OVER (...)`, c.pos);
    const a = bindAggregateCall({ ...c, over: undefined }, input);
    overCalls.push({ kind: 'aggregate', aggregate: a });
    return { name: columnName(c, i), type: aggregateType(a, input.plan.schema) };
  });
  const hasRank = overCalls.some((c) => c.kind === 'rank');
  if (hasRank && overCalls.length > 1) throw unsupported('a ranking function together with other OVER calls in one SELECT', calls[1].pos);
  const frame = hasRank ? { units: 'ROWS' as const, preceding: null } : overFrame(first);

  const plan = overNode(input.plan, partitionKeys, orderKeys, frame, overCalls, callColumns);
  const at = new Map(calls.map((c, i) => [c, n + i]));
  const hook = (e: Expression): PhysicalExpr | undefined => (e.kind === 'FunctionCall' && at.has(e) ? E.col(at.get(e) as number) : undefined);
  const exprs = items.map((item) => (item.kind === 'column' ? E.col(item.index) : bindScalar(item.expr, { scope: input.scope, clause: 'the SELECT list', hook })));
  const projected = project(plan, exprs, items.map((i) => i.name), items.map(itemTypeOverride));
  return { plan: projected, scope: outputScope(projected.schema) };
}

/** `OVER w`, `OVER (w ORDER BY ...)`: the named window's parts, overridden by the call's own. */
function resolveSpec(spec: WindowSpecNode, named: ReadonlyMap<string, NamedWindowNode>, depth = 0): WindowSpecNode {
  if (spec.baseWindow === undefined) return spec;
  const base = named.get(spec.baseWindow.value);
  if (base === undefined) throw new PlanError(`unknown window '${spec.baseWindow.value}'; define it with WINDOW ${spec.baseWindow.value} AS (...)`, spec.baseWindow.pos);
  if (depth > named.size) throw new PlanError(`window '${spec.baseWindow.value}' refers to itself`, spec.pos);
  const b = resolveSpec(base.spec, named, depth + 1);
  return {
    ...spec,
    baseWindow: undefined,
    partitionBy: spec.partitionBy.length > 0 ? spec.partitionBy : b.partitionBy,
    orderBy: spec.orderBy.length > 0 ? spec.orderBy : b.orderBy,
    frame: spec.frame ?? b.frame,
  };
}

/** The frame of an OVER aggregation: ending at CURRENT ROW, starting n rows or an interval back, or unbounded. */
function overFrame(spec: WindowSpecNode): OverFrame {
  const f = spec.frame;
  if (f === undefined) return { units: 'RANGE', preceding: null };
  if (f.end.type !== 'CURRENT ROW') throw unsupported(`OVER frames ending at ${f.end.type} (a stream can only look back)`, spec.pos);
  return { units: f.units, preceding: precedingOf(f.start, f.units, spec) };
}

function precedingOf(b: FrameBound, units: 'ROWS' | 'RANGE', spec: WindowSpecNode): number | null {
  switch (b.type) {
    case 'UNBOUNDED PRECEDING': return null;
    case 'CURRENT ROW': return 0;
    case 'PRECEDING': {
      const o = b.offset;
      if (units === 'ROWS') {
        if (o?.kind !== 'NumericLiteral' || !/^\d+$/.test(o.text)) throw new PlanError('ROWS BETWEEN n PRECEDING needs a whole number n', o?.pos ?? spec.pos);
        return Number(o.text);
      }
      if (o?.kind !== 'IntervalLiteral') throw new PlanError("RANGE BETWEEN ... PRECEDING needs an interval, e.g. INTERVAL '1' HOUR PRECEDING", o?.pos ?? spec.pos);
      return intervalMs(o);
    }
    default: throw unsupported(`OVER frames starting at ${b.type}`, spec.pos);
  }
}
