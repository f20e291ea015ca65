/**
 * A table name in FROM: a CTE, a view, or a catalog table. A table becomes
 *
 *   Scan (physical and metadata columns)
 *   -> Project (computed columns, only when the table has some)
 *   -> WatermarkAssigner (when it declares a watermark; its column becomes a rowtime attribute)
 */
import { E, T, withoutTimeAttribute } from '../../operators/index.ts';
import type { PhysicalExpr, SqlType } from '../../operators/index.ts';
import type { Expression, ObjectNameNode, Pos, QueryNode, TableNameRefNode } from '../../sql/index.ts';
import { project, scan, watermarkAssigner } from '../builders.ts';
import type { CatalogTable } from '../catalog.ts';
import { PlanError, didYouMean, unsupported } from '../errors.ts';
import type { LogicalPlan, WatermarkStrategy } from '../logical-plan.ts';
import type { BindContext, Bound } from './context.ts';
import { bindScalar } from './expression.ts';
import { intervalMs } from './literal.ts';
import { Scope } from './scope.ts';

/** Binds a query (CTE body or view); supplied by query.ts to avoid an import cycle. */
export type QueryBinder = (q: QueryNode, ctx: BindContext) => Bound;

export function bindTableName(ref: TableNameRefNode, ctx: BindContext, bindQuery: QueryBinder): Bound {
  if (ref.systemTimeAsOf !== undefined) throw new PlanError('FOR SYSTEM_TIME AS OF applies to the right table of a JOIN (a temporal join), not to a table read alone', ref.pos);
  const bound = bindNamedRelation(ref.name, ctx, bindQuery);
  const alias = ref.alias?.value ?? bound.scope.qualifiers()[0] ?? null;
  return renameColumns({ plan: bound.plan, scope: bound.scope.requalify(alias) }, ref.columnAliases.map((c) => c.value), ref.pos);
}

/** A name in FROM or in `TABLE t` of a window function. */
export function bindNamedRelation(name: ObjectNameNode, ctx: BindContext, bindQuery: QueryBinder): Bound {
  const simple = name.parts[name.parts.length - 1];
  const cte = name.parts.length === 1 ? ctx.ctes.get(simple) : undefined;
  if (cte !== undefined) {
    if (ctx.expanding.has(simple)) throw new PlanError(`WITH query '${simple}' refers to itself; recursive queries are not supported`, name.pos);
    const inner = bindQuery(cte.query, { ...ctx, expanding: new Set([...ctx.expanding, simple]) });
    const renamed = renameColumns(inner, cte.columns.map((c) => c.value), cte.pos);
    return { plan: renamed.plan, scope: renamed.scope.requalify(simple) };
  }
  const view = ctx.catalog.getView?.(simple);
  if (view !== undefined) {
    if (ctx.expanding.has(simple)) throw new PlanError(`view '${simple}' refers to itself`, name.pos);
    const inner = bindQuery(view, { catalog: ctx.catalog, ctes: new Map(), expanding: new Set([...ctx.expanding, simple]) });
    return { plan: inner.plan, scope: inner.scope.requalify(simple) };
  }
  const table = ctx.catalog.getTable(simple);
  if (table === undefined) {
    const known = [...ctx.catalog.listTables(), ...(ctx.catalog.listViews?.() ?? []), ...ctx.ctes.keys()];
    throw new PlanError(`unknown table '${name.parts.join('.')}'${didYouMean(simple, known)}`, name.pos);
  }
  return bindCatalogTable(table, name.pos);
}

export function bindCatalogTable(table: CatalogTable, pos: Pos): Bound {
  const stored = table.columns.filter((c) => c.kind !== 'computed');
  let plan: LogicalPlan = scan(table, stored.map((c) => c.name), stored.map((c) => c.type));
  let scope = Scope.of(table.name, plan.schema);
  if (table.columns.some((c) => c.kind === 'computed')) {
    const exprs: PhysicalExpr[] = [];
    const types: SqlType[] = [];
    for (const c of table.columns) {
      if (c.kind === 'computed') {
        if (c.expr === undefined) throw new PlanError(`computed column '${c.name}' of ${table.name} has no expression`, pos);
        const e = bindScalar(c.expr, { scope, clause: `computed column '${c.name}'` });
        exprs.push(e);
        // `pt AS PROCTIME()` declares a processing-time attribute (Flink's DDL form).
        const proctime = c.expr.kind === 'FunctionCall' && c.expr.name.parts.join('.').toUpperCase() === 'PROCTIME';
        types.push(proctime ? T.timestampLtz(3, false, 'PROCTIME') : withoutTimeAttribute(projectType(plan, e)));
      } else {
        exprs.push(E.col(stored.indexOf(c)));
        types.push(c.type);
      }
    }
    plan = project(plan, exprs, table.columns.map((c) => c.name), types);
    scope = Scope.of(table.name, plan.schema);
  }
  if (table.watermark !== undefined) {
    const wm = table.watermark;
    const timeColumn = plan.schema.findIndex((c) => c.name === wm.column);
    if (timeColumn < 0) throw new PlanError(`WATERMARK FOR '${wm.column}': no such column in ${table.name}`, pos);
    const t = plan.schema[timeColumn].type;
    if ((t.kind !== 'TIMESTAMP' && t.kind !== 'TIMESTAMP_LTZ') || t.precision > 3) {
      throw new PlanError(`the rowtime column '${wm.column}' of ${table.name} must be TIMESTAMP(3) or TIMESTAMP_LTZ(3), got ${t.kind}`, wm.expr.pos);
    }
    plan = watermarkAssigner(plan, timeColumn, watermarkStrategy(wm.expr, wm.column));
    scope = Scope.of(table.name, plan.schema);
  }
  return { plan, scope };
}

function projectType(plan: LogicalPlan, e: PhysicalExpr): SqlType {
  return project(plan, [e], ['x']).schema[0].type;
}

/** `ts`, `ts - INTERVAL 'n' unit`, or `SOURCE_WATERMARK()`. */
export function watermarkStrategy(expr: Expression, column: string): WatermarkStrategy {
  if (expr.kind === 'FunctionCall' && expr.name.parts.join('.').toUpperCase() === 'SOURCE_WATERMARK') return { kind: 'source' };
  const isColumn = (x: Expression): boolean => x.kind === 'ColumnRef' && x.path.length === 1 && x.path[0] === column;
  if (isColumn(expr)) return { kind: 'bounded', delayMs: 0 };
  if (expr.kind === 'Binary' && expr.op === '-' && isColumn(expr.left) && expr.right.kind === 'IntervalLiteral') {
    return { kind: 'bounded', delayMs: intervalMs(expr.right) };
  }
  throw unsupported(`this watermark strategy (use \`${column}\`, \`${column} - INTERVAL '5' SECOND\` or SOURCE_WATERMARK())`, expr.pos);
}

/** Applies `AS t(a, b)` column aliases. */
export function renameColumns(bound: Bound, names: readonly string[], pos: Pos): Bound {
  if (names.length === 0) return bound;
  const visible = bound.scope.fields.map((f, i) => ({ f, i })).filter((x) => !x.f.hidden);
  if (names.length !== visible.length) {
    throw new PlanError(`${names.length} column aliases given, but the relation has ${visible.length} columns`, pos);
  }
  const plan = project(bound.plan, visible.map((v) => E.col(v.i)), names, visible.map((v) => v.f.type));
  const qualifier = bound.scope.qualifiers()[0] ?? null;
  return { plan, scope: Scope.of(qualifier, plan.schema) };
}
