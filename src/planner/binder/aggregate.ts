/**
 * GROUP BY, aggregates and HAVING. The input is grouped by the GROUP BY expressions (and, for
 * the legacy `GROUP BY TUMBLE(ts, INTERVAL ...)` form, a group window); every aggregate call of
 * the select list and HAVING becomes one AggregateExpr (duplicates share one). Above the
 * Aggregate, expressions may only use grouped expressions, aggregates, and window properties
 * (TUMBLE_START, SESSION_END, ...), which the hook below turns into the Aggregate's columns.
 *
 * Window TVF aggregation (`GROUP BY window_start, window_end`) is an ordinary Aggregate here;
 * the window-aggregate rule recognizes it.
 */
import { E, InvalidPlanError } from '../../operators/index.ts';
import type { AggregateKind, PhysicalExpr } from '../../operators/index.ts';
import type { Expression, FunctionCallNode, GroupingElement, SelectNode } from '../../sql/index.ts';
import { aggregate, aggregateType, filter, project } from '../builders.ts';
import { PlanError, unsupported } from '../errors.ts';
import { exprKey } from '../expr-util.ts';
import type { AggregateExpr, LogicalPlan, WindowDef } from '../logical-plan.ts';
import type { Bound } from './context.ts';
import {
  GROUP_WINDOW_FUNCTIONS, bindScalar, collectAggregates, containsAggregate, functionName, isAggregateCall,
} from './expression.ts';
import { intervalMs } from './literal.ts';
import { bindPredicate, itemTypeOverride, outputScope } from './select.ts';
import type { SelectItem } from './select.ts';
import { checkWindow } from './window-tvf.ts';

interface LegacyWindow {
  readonly fn: string;
  readonly window: WindowDef;
  readonly timeColumn: number;
  /** Bound arguments, to match TUMBLE_START(same args). */
  readonly argsKey: string;
}

export function bindAggregateSelect(sel: SelectNode, items: readonly SelectItem[], input: Bound): Bound {
  const inputCtx = { scope: input.scope, clause: 'GROUP BY' };
  const groupExprs: PhysicalExpr[] = [];
  let legacy: LegacyWindow | undefined;
  for (const g of sel.groupBy) {
    if (g.kind === 'GroupingSets') throw unsupported('GROUPING SETS', g.pos);
    if (g.kind === 'Rollup' || g.kind === 'Cube') throw unsupported(g.kind.toUpperCase(), g.pos);
    if (isGroupingConstruct(g)) continue;
    if (g.kind === 'FunctionCall' && GROUP_WINDOW_FUNCTIONS.has(functionName(g))) {
      if (legacy !== undefined) throw new PlanError('only one group window is allowed in GROUP BY', g.pos);
      legacy = legacyWindow(g, input);
      continue;
    }
    if (containsAggregate(g)) throw new PlanError('aggregate functions are not allowed in GROUP BY', g.pos);
    groupExprs.push(bindScalar(g, inputCtx));
  }

  const calls: FunctionCallNode[] = [];
  for (const item of items) if (item.kind === 'expr') collectAggregates(item.expr, calls);
  if (sel.having !== undefined) collectAggregates(sel.having, calls);
  const aggs: AggregateExpr[] = [];
  const aggIndex = new Map<FunctionCallNode, number>();
  const byKey = new Map<string, number>();
  for (const call of calls) {
    const a = bindAggregateCall(call, input);
    const key = JSON.stringify([a.fn, a.distinct, a.arg, a.filter]);
    let at = byKey.get(key);
    if (at === undefined) {
      at = aggs.length;
      aggs.push(a);
      byKey.set(key, at);
    }
    aggIndex.set(call, at);
  }

  const keyNames = groupExprs.map((e, i) => (e.kind === 'column' ? input.plan.schema[e.index].name : `$f${i}`));
  const names = uniquify([...keyNames, ...aggs.map((_, i) => `$a${i}`)]);
  const windowCols = legacy === undefined ? 0 : 3;
  const plan = aggregate(input.plan, groupExprs, aggs, names, legacy === undefined ? undefined : { window: legacy.window, timeColumn: legacy.timeColumn });
  const scope = outputScope(plan.schema);
  const keyIndex = new Map(groupExprs.map((e, i) => [exprKey(e), i]));

  const hook = (e: Expression): PhysicalExpr | undefined => {
    if (e.kind === 'FunctionCall' && isAggregateCall(e)) return E.col(groupExprs.length + windowCols + (aggIndex.get(e) as number));
    if (e.kind === 'FunctionCall') {
      const prop = /^(TUMBLE|HOP|SESSION|CUMULATE)_(START|END|ROWTIME|PROCTIME)$/.exec(functionName(e));
      if (prop !== null) return windowProperty(e, prop[1], prop[2], legacy, input, groupExprs.length);
    }
    if (containsAggregate(e)) return undefined;
    const bound = bindScalar(e, inputCtx);
    const k = keyIndex.get(exprKey(bound));
    if (k !== undefined) return E.col(k);
    if (e.kind === 'ColumnRef') {
      throw new PlanError(`column '${e.path.join('.')}' must appear in GROUP BY or be used in an aggregate function`, e.pos);
    }
    return undefined;
  };

  let out: LogicalPlan = plan;
  if (sel.having !== undefined) out = filter(out, bindPredicate(sel.having, scope, 'HAVING', hook));
  const exprs = items.map((item) => {
    if (item.kind === 'column') {
      const f = input.scope.fields[item.index];
      throw new PlanError(`column '${f.name}' must appear in GROUP BY or be used in an aggregate function (from SELECT *)`, sel.items[0].pos);
    }
    return bindScalar(item.expr, { scope, clause: 'the SELECT list', hook });
  });
  const projected = project(out, exprs, items.map((i) => i.name), items.map(itemTypeOverride));
  return { plan: projected, scope: outputScope(projected.schema) };
}

function isGroupingConstruct(g: GroupingElement): g is Exclude<GroupingElement, Expression> {
  return g.kind === 'GroupingSets' || g.kind === 'Rollup' || g.kind === 'Cube';
}

export function bindAggregateCall(call: FunctionCallNode, input: Bound): AggregateExpr {
  const name = functionName(call);
  const ctx = { scope: input.scope, clause: `the argument of ${name}` };
  let fn: AggregateKind = name as AggregateKind;
  let arg: PhysicalExpr | null = null;
  if (call.star) {
    if (name !== 'COUNT') throw new PlanError(`${name}(*) is not valid; only COUNT(*) takes *`, call.pos);
    fn = 'COUNT_STAR';
  } else {
    if (call.args.length !== 1) {
      throw call.distinct && call.args.length > 1
        ? unsupported(`${name}(DISTINCT with several arguments)`, call.pos)
        : new PlanError(`${name} takes exactly one argument, got ${call.args.length}`, call.pos);
    }
    arg = bindScalar(call.args[0], ctx);
  }
  const filterExpr = call.filter === undefined ? null : bindPredicate(call.filter, input.scope, `FILTER of ${name}`);
  if (call.filter !== undefined && containsAggregate(call.filter)) throw new PlanError('aggregate functions are not allowed in FILTER (WHERE ...)', call.filter.pos);
  const a: AggregateExpr = { fn, arg, distinct: call.distinct, filter: filterExpr };
  try {
    aggregateType(a, input.plan.schema);
  } catch (err) {
    if (err instanceof InvalidPlanError) throw new PlanError(err.message, call.pos, { cause: err });
    throw err;
  }
  return a;
}

/** `TUMBLE(ts, size)`, `HOP(ts, slide, size)`, `SESSION(ts, gap)`, `CUMULATE(ts, step, size)`. */
function legacyWindow(g: FunctionCallNode, input: Bound): LegacyWindow {
  const fn = functionName(g);
  const arity = fn === 'TUMBLE' || fn === 'SESSION' ? 2 : 3;
  if (g.args.length !== arity) throw new PlanError(`group window ${fn} takes ${arity} arguments: the time attribute and ${arity === 2 ? 'an interval' : 'two intervals'}`, g.pos);
  const [time, ...sizes] = g.args;
  if (time.kind !== 'ColumnRef') throw new PlanError(`the first argument of ${fn} must be a time attribute column`, time.pos);
  const timeColumn = input.scope.resolve(time.path, time.pos);
  const t = input.plan.schema[timeColumn].type;
  const attr = t.kind === 'TIMESTAMP' || t.kind === 'TIMESTAMP_LTZ' ? t.timeAttribute : undefined;
  if (attr === undefined) throw new PlanError(`group window ${fn} needs a time attribute, but '${time.path.join('.')}' is a plain ${t.kind}`, time.pos);
  if (attr === 'PROCTIME') throw unsupported(`processing-time group windows (${fn} on PROCTIME()); use the window TVF form`, time.pos);
  const ms = sizes.map((s) => {
    if (s.kind !== 'IntervalLiteral') throw new PlanError(`${fn} needs interval literals such as INTERVAL '10' SECOND`, s.pos);
    return intervalMs(s);
  });
  let window: WindowDef;
  if (fn === 'TUMBLE') window = { kind: 'tumble', sizeMs: ms[0] };
  else if (fn === 'SESSION') window = { kind: 'session', gapMs: ms[0] };
  else if (fn === 'HOP') window = { kind: 'hop', slideMs: ms[0], sizeMs: ms[1] };
  else window = { kind: 'cumulate', stepMs: ms[0], maxSizeMs: ms[1] };
  checkWindow(window, fn, g.pos);
  return { fn, window, timeColumn, argsKey: JSON.stringify([timeColumn, ms]) };
}

function windowProperty(e: FunctionCallNode, fn: string, prop: string, legacy: LegacyWindow | undefined, input: Bound, keys: number): PhysicalExpr {
  if (legacy === undefined || legacy.fn !== fn) throw new PlanError(`${fn}_${prop} needs GROUP BY ${fn}(...)`, e.pos);
  if (prop === 'PROCTIME') throw unsupported(`${fn}_PROCTIME`, e.pos);
  const probe = legacyWindow({ ...e, name: { ...e.name, parts: [fn] } }, input);
  if (probe.argsKey !== legacy.argsKey) throw new PlanError(`${fn}_${prop} must repeat the arguments of ${fn}(...) in GROUP BY`, e.pos);
  return E.col(keys + (prop === 'START' ? 0 : prop === 'END' ? 1 : 2));
}

function uniquify(names: string[]): string[] {
  const seen = new Set<string>();
  return names.map((n) => {
    let name = n;
    for (let i = 0; seen.has(name); i++) name = `${n}${i}`;
    seen.add(name);
    return name;
  });
}
