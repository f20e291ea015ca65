/**
 * `SELECT [DISTINCT] items FROM ... WHERE ... [GROUP BY ... HAVING ...]`:
 *
 *   FROM -> Filter (WHERE) -> Project (items)                      without aggregates
 *   FROM -> Filter (WHERE) -> Aggregate -> Filter (HAVING) -> Project   with them (aggregate.ts)
 *
 * and `DISTINCT` as an Aggregate over every output column. Output names are the aliases, a
 * column's own name, or `EXPR$n` by position, made unique Flink's way (`a`, `a0`).
 */
import { E, T } from '../../operators/index.ts';
import type { PhysicalExpr, SqlType } from '../../operators/index.ts';
import type { Expression, SelectNode, TableRef } from '../../sql/index.ts';
import { aggregate, filter, project, singleRow } from '../builders.ts';
import { PlanError, unsupported } from '../errors.ts';
import type { BindContext, Bound } from './context.ts';
import { bindAggregateSelect } from './aggregate.ts';
import { bindOverSelect, collectOverCalls } from './over.ts';
import { bindScalar, containsAggregate, functionName, typeOf } from './expression.ts';
import { Scope } from './scope.ts';
import { bindJoin, whereIntoJoin } from './join.ts';
import { bindTableName, renameColumns } from './table.ts';
import type { QueryBinder } from './table.ts';
import { bindTableFunction } from './window-tvf.ts';

/** One select-list entry after `*` expansion. */
export type SelectItem =
  | { readonly kind: 'column'; readonly index: number; readonly name: string }
  | { readonly kind: 'expr'; readonly expr: Expression; readonly name: string };

export function bindSelect(sel: SelectNode, ctx: BindContext, bindQuery: QueryBinder): Bound {
  let input: Bound = sel.from === undefined ? { plan: singleRow(), scope: new Scope([]) } : bindFrom(sel.from, ctx, bindQuery);
  if (sel.where !== undefined) {
    if (containsAggregate(sel.where)) throw new PlanError('aggregate functions are not allowed in WHERE; use HAVING', sel.where.pos);
    const predicate = bindPredicate(sel.where, input.scope, 'WHERE');
    input = whereIntoJoin(input, predicate) ?? { plan: filter(input.plan, predicate), scope: input.scope };
  }
  const items = expandItems(sel, input.scope);
  const aggregating = sel.groupBy.length > 0 || sel.having !== undefined
    || items.some((i) => i.kind === 'expr' && containsAggregate(i.expr));
  const overs = items.flatMap((i) => (i.kind === 'expr' ? collectOverCalls(i.expr, []) : []));
  if (overs.length > 0 && aggregating) throw unsupported('OVER windows in a SELECT with GROUP BY or aggregates (aggregate in a subquery first)', overs[0].pos);
  if (overs.length === 0 && sel.windows.length > 0) throw new PlanError('the WINDOW clause defines windows that no OVER uses', sel.windows[0].pos);
  let out = overs.length > 0 ? bindOverSelect(sel, items, overs, input) : aggregating ? bindAggregateSelect(sel, items, input) : bindProjection(items, input);
  if (sel.distinct) {
    const plan = aggregate(out.plan, out.plan.schema.map((_, i) => E.col(i)), [], out.plan.schema.map((c) => c.name));
    out = { plan, scope: out.scope };
  }
  return out;
}

export function bindFrom(ref: TableRef, ctx: BindContext, bindQuery: QueryBinder): Bound {
  switch (ref.kind) {
    case 'TableName': return bindTableName(ref, ctx, bindQuery);
    case 'DerivedTable': {
      if (ref.lateral) throw unsupported('LATERAL subqueries', ref.pos);
      const inner = bindQuery(ref.query, ctx);
      const aliased = { plan: inner.plan, scope: inner.scope.requalify(ref.alias?.value ?? null) };
      return renameColumns(aliased, ref.columnAliases.map((c) => c.value), ref.pos);
    }
    case 'TableFunction': return bindTableFunction(ref, ctx, bindQuery);
    case 'Unnest': throw unsupported('UNNEST', ref.pos);
    case 'Join': return bindJoin(ref, ctx, bindQuery, bindFrom);
    default: {
      const never: never = ref;
      throw new PlanError(`unknown FROM item ${JSON.stringify(never)}`);
    }
  }
}

/** A BOOLEAN expression for WHERE, HAVING or FILTER. */
export function bindPredicate(e: Expression, scope: Scope, clause: string, hook?: (x: Expression) => PhysicalExpr | undefined): PhysicalExpr {
  const p = bindScalar(e, { scope, clause, ...(hook === undefined ? {} : { hook }) });
  const t = typeOf(p, scope.types(), e.pos);
  if (t.kind !== 'BOOLEAN' && t.kind !== 'NULL') throw new PlanError(`${clause} needs a BOOLEAN condition, got ${t.kind}`, e.pos);
  return p;
}

function expandItems(sel: SelectNode, scope: Scope): SelectItem[] {
  const items: SelectItem[] = [];
  sel.items.forEach((item, position) => {
    if (item.kind === 'Wildcard') {
      const q = item.qualifier?.[item.qualifier.length - 1];
      if (q !== undefined && !scope.qualifiers().includes(q)) throw new PlanError(`unknown table or alias '${q}' in ${q}.*`, item.pos);
      const before = items.length;
      scope.fields.forEach((f, index) => {
        if (!f.hidden && (q === undefined || f.qualifier === q)) items.push({ kind: 'column', index, name: f.name });
      });
      if (items.length === before && sel.from === undefined) throw new PlanError('SELECT * needs a FROM clause', item.pos);
      return;
    }
    const e = item.expr;
    const name = item.alias?.value ?? (e.kind === 'ColumnRef' ? e.path[e.path.length - 1] : `EXPR$${position}`);
    items.push({ kind: 'expr', expr: e, name });
  });
  return uniqueNames(items);
}

function uniqueNames(items: SelectItem[]): SelectItem[] {
  const seen = new Set<string>();
  return items.map((item) => {
    let name = item.name;
    for (let n = 0; seen.has(name); n++) name = `${item.name}${n}`;
    seen.add(name);
    return name === item.name ? item : { ...item, name };
  });
}

/** PROCTIME() in a select list yields a processing-time attribute. */
export function itemTypeOverride(item: SelectItem): SqlType | undefined {
  if (item.kind === 'expr' && item.expr.kind === 'FunctionCall' && functionName(item.expr) === 'PROCTIME') {
    return T.timestampLtz(3, false, 'PROCTIME');
  }
  return undefined;
}

function bindProjection(items: readonly SelectItem[], input: Bound): Bound {
  const exprs = items.map((item) => (item.kind === 'column' ? E.col(item.index) : bindScalar(item.expr, { scope: input.scope, clause: 'the SELECT list' })));
  const plan = project(input.plan, exprs, items.map((i) => i.name), items.map(itemTypeOverride));
  return { plan, scope: outputScope(plan.schema) };
}

export function outputScope(schema: readonly { name: string; type: SqlType }[]): Scope {
  return new Scope(schema.map((c) => ({ qualifier: null, name: c.name, type: c.type, hidden: false })));
}
