/**
 * Binds AST expressions to the operators' expression IR over a scope, type-checking each call
 * with the function registry so errors point at the call that is wrong:
 *
 *   line 1, column 8: no function UPPER(BIGINT); did you mean UPPER(STRING)?
 *
 * A `hook` lets the aggregate binder replace whole subexpressions (aggregate calls, grouped
 * expressions, TUMBLE_START) by columns of the aggregate's output before anything else happens.
 */
import { E, InvalidPlanError, T, bindExpr, builtinFunctions, displayType } from '../../operators/index.ts';
import type { PhysicalExpr, SqlType } from '../../operators/index.ts';
import type { Expression, FunctionCallNode, Pos } from '../../sql/index.ts';
import { sqlTypeOf } from '../data-type.ts';
import { PlanError, unsupported } from '../errors.ts';
import { intervalLiteral, numericLiteral, stringLiteral } from './literal.ts';
import type { Scope } from './scope.ts';

export interface ExprContext {
  readonly scope: Scope;
  /** Where the expression stands, for messages: 'WHERE', 'the SELECT list', ... */
  readonly clause: string;
  readonly hook?: (e: Expression) => PhysicalExpr | undefined;
}

export const AGGREGATE_FUNCTIONS = new Set(['COUNT', 'SUM', 'AVG', 'MIN', 'MAX', 'FIRST_VALUE', 'LAST_VALUE']);
export const GROUP_WINDOW_FUNCTIONS = new Set(['TUMBLE', 'HOP', 'SESSION', 'CUMULATE']);
const RANKING_FUNCTIONS = new Set(['ROW_NUMBER', 'RANK', 'DENSE_RANK', 'PERCENT_RANK', 'CUME_DIST', 'NTILE', 'LAG', 'LEAD']);
const WINDOW_PROPERTY = /^(TUMBLE|HOP|SESSION|CUMULATE)_(START|END|ROWTIME|PROCTIME)$/;

export function functionName(f: FunctionCallNode): string {
  return f.name.parts[f.name.parts.length - 1].toUpperCase();
}

export function isAggregateCall(e: Expression): boolean {
  return e.kind === 'FunctionCall' && e.over === undefined && AGGREGATE_FUNCTIONS.has(functionName(e));
}

/** Binds `e` over `ctx.scope`. */
export function bindScalar(e: Expression, ctx: ExprContext): PhysicalExpr {
  const hooked = ctx.hook?.(e);
  if (hooked !== undefined) return hooked;
  const b = (x: Expression): PhysicalExpr => bindScalar(x, ctx);
  const typed = (x: PhysicalExpr): PhysicalExpr => check(x, ctx.scope, e.pos);
  switch (e.kind) {
    case 'ColumnRef': return E.col(ctx.scope.resolve(e.path, e.pos));
    case 'NumericLiteral': return numericLiteral(e);
    case 'StringLiteral': return stringLiteral(e.value);
    case 'BooleanLiteral': return E.lit(e.value, T.boolean(false));
    case 'NullLiteral': return E.lit(null, T.null());
    case 'TypedLiteral': return typed(E.cast(stringLiteral(e.value), typedLiteralType(e.type)));
    case 'IntervalLiteral': return intervalLiteral(e);
    case 'Unary': {
      const operand = b(e.operand);
      if (e.op === 'NOT') return typed(E.not(operand));
      return e.op === '-' ? typed(E.call('-', operand)) : operand;
    }
    case 'Binary': {
      const l = b(e.left), r = b(e.right);
      if (e.op === 'AND') return typed(E.and(l, r));
      if (e.op === 'OR') return typed(E.or(l, r));
      return typed(E.call(e.op, l, r));
    }
    case 'Is': {
      const x = b(e.operand);
      const test = e.test === 'NULL' || e.test === 'UNKNOWN'
        ? E.isNull(x)
        : E.case([{ when: e.test === 'TRUE' ? x : E.not(x), then: E.lit(true, T.boolean(false)) }], E.lit(false, T.boolean(false)));
      return typed(e.not ? E.not(test) : test);
    }
    case 'IsDistinctFrom': return typed(E.call(e.not ? 'IS NOT DISTINCT FROM' : 'IS DISTINCT FROM', b(e.left), b(e.right)));
    case 'Between': return typed(E.between(b(e.operand), b(e.low), b(e.high), e.not, e.symmetric));
    case 'InList': return typed(E.inList(b(e.operand), e.list.map(b), e.not));
    case 'Like': {
      let escape: string | undefined;
      if (e.escape !== undefined) {
        if (e.escape.kind !== 'StringLiteral' || e.escape.value.length !== 1) throw new PlanError('ESCAPE must be a one-character string literal', e.escape.pos);
        escape = e.escape.value;
      }
      return typed(E.like(b(e.operand), b(e.pattern), { negated: e.not, similar: e.operator === 'SIMILAR TO', ...(escape === undefined ? {} : { escape }) }));
    }
    case 'Case':
      return typed(E.case(
        e.whens.map((w) => ({ when: b(w.when), then: b(w.then) })),
        e.else === undefined ? null : b(e.else),
        e.operand === undefined ? null : b(e.operand),
      ));
    case 'Cast': return typed(E.cast(b(e.operand), sqlTypeOf(e.type), e.try));
    case 'FunctionCall': return bindFunction(e, ctx, b, typed);
    case 'Extract': return typed(E.call('EXTRACT', stringLiteral(e.unit), b(e.source)));
    case 'TimestampArith': return typed(E.call(e.function, stringLiteral(e.unit), b(e.left), b(e.right)));
    case 'Trim': {
      const fn = e.side === 'BOTH' ? 'TRIM' : e.side === 'LEADING' ? 'LTRIM' : 'RTRIM';
      return typed(E.call(fn, b(e.source), ...(e.characters === undefined ? [] : [b(e.characters)])));
    }
    case 'Substring': return typed(E.call('SUBSTRING', b(e.source), b(e.start), ...(e.length === undefined ? [] : [b(e.length)])));
    case 'Position': return typed(E.call('POSITION', b(e.needle), b(e.haystack)));
    case 'Overlay': throw unsupported('OVERLAY', e.pos);
    case 'ArrayConstructor': throw unsupported('ARRAY constructors', e.pos);
    case 'MapConstructor': throw unsupported('MAP constructors', e.pos);
    case 'RowConstructor': throw unsupported('ROW constructors', e.pos);
    case 'Index': throw unsupported('element access (x[i])', e.pos);
    case 'FieldAccess': throw unsupported(`nested field access (.${e.field})`, e.pos);
    case 'ScalarSubquery': throw unsupported('scalar subqueries', e.pos);
    case 'InSubquery': throw unsupported('IN (SELECT ...) subqueries', e.pos);
    case 'Exists': throw unsupported('EXISTS subqueries', e.pos);
    case 'Descriptor': throw new PlanError('DESCRIPTOR(...) is only allowed as an argument of a window table function', e.pos);
    default: {
      const never: never = e;
      throw new PlanError(`unknown expression ${JSON.stringify(never)}`);
    }
  }
}

function bindFunction(
  e: FunctionCallNode, ctx: ExprContext, b: (x: Expression) => PhysicalExpr, typed: (x: PhysicalExpr) => PhysicalExpr,
): PhysicalExpr {
  const name = functionName(e);
  if (e.over !== undefined) throw unsupported(`${name}(...) OVER (...) in ${ctx.clause}`, e.pos, 'OVER windows are allowed in the SELECT list');
  if (RANKING_FUNCTIONS.has(name)) throw new PlanError(`${name}() needs an OVER (PARTITION BY ... ORDER BY ...) clause`, e.pos);
  if (AGGREGATE_FUNCTIONS.has(name)) throw new PlanError(`aggregate function ${name} is not allowed in ${ctx.clause}`, e.pos);
  if (GROUP_WINDOW_FUNCTIONS.has(name)) throw new PlanError(`group window function ${name}(...) is only allowed in GROUP BY`, e.pos);
  if (WINDOW_PROPERTY.test(name)) throw new PlanError(`${name} needs a matching group window in GROUP BY`, e.pos);
  if (e.distinct) throw new PlanError(`DISTINCT is only allowed in aggregate functions, not in ${name}`, e.pos);
  if (e.filter !== undefined) throw new PlanError(`FILTER (WHERE ...) is only allowed on aggregate functions, not on ${name}`, e.pos);
  if (name === 'PROCTIME') {
    if (e.args.length > 0) throw new PlanError('PROCTIME() takes no arguments', e.pos);
    return E.call('NOW');
  }
  if (name === 'SOURCE_WATERMARK') throw new PlanError('SOURCE_WATERMARK() is only allowed in a WATERMARK declaration', e.pos);
  if (name === 'CURRENT_WATERMARK') {
    const arg = e.args.length === 1 ? b(e.args[0]) : null;
    const t = arg === null ? null : typeOf(arg, ctx.scope.types(), e.pos);
    if (t === null || !((t.kind === 'TIMESTAMP' || t.kind === 'TIMESTAMP_LTZ') && t.timeAttribute === 'ROWTIME')) {
      throw new PlanError(`CURRENT_WATERMARK takes one rowtime attribute (a column with a WATERMARK, e.g. CURRENT_WATERMARK($rowtime))${t === null ? '' : `, got ${displayType(t)}`}`, e.pos);
    }
    return typed(E.call(name, arg as PhysicalExpr));
  }
  if (builtinFunctions().lookup(name) === undefined) {
    const r = builtinFunctions().resolve(name, []);
    throw new PlanError(r.ok ? `unknown function ${name}` : r.message.replace(/^no function [^;]*/, `unknown function ${name}`), e.name.pos);
  }
  return typed(E.call(name, ...e.args.map(b)));
}

/** Type-checks `x` (whose children are already checked); a failure is a PlanError at `pos`. */
export function check(x: PhysicalExpr, scope: Scope, pos: Pos): PhysicalExpr {
  typeOf(x, scope.types(), pos);
  return x;
}

export function typeOf(x: PhysicalExpr, types: readonly SqlType[], pos: Pos): SqlType {
  try {
    return bindExpr(x, types).type;
  } catch (err) {
    if (err instanceof InvalidPlanError) throw new PlanError(err.message, pos, { cause: err });
    throw err;
  }
}

function typedLiteralType(kind: 'DATE' | 'TIME' | 'TIMESTAMP' | 'TIMESTAMP_LTZ'): SqlType {
  switch (kind) {
    case 'DATE': return T.date(false);
    case 'TIME': return T.time(3, false);
    case 'TIMESTAMP': return T.timestamp(3, false);
    case 'TIMESTAMP_LTZ': return T.timestampLtz(3, false);
    default: {
      const never: never = kind;
      throw new PlanError(`unknown literal type ${String(never)}`);
    }
  }
}

/** Whether `e` contains an aggregate call (not looking into subqueries). */
export function containsAggregate(e: Expression): boolean {
  if (isAggregateCall(e)) return true;
  return childExpressions(e).some(containsAggregate);
}

/** Direct subexpressions of `e`. */
export function childExpressions(e: Expression): Expression[] {
  switch (e.kind) {
    case 'ColumnRef': case 'NumericLiteral': case 'StringLiteral': case 'BooleanLiteral': case 'NullLiteral':
    case 'TypedLiteral': case 'IntervalLiteral': case 'ScalarSubquery': case 'Exists': case 'Descriptor':
      return [];
    case 'Unary': return [e.operand];
    case 'Binary': return [e.left, e.right];
    case 'Is': return [e.operand];
    case 'IsDistinctFrom': return [e.left, e.right];
    case 'Between': return [e.operand, e.low, e.high];
    case 'InList': return [e.operand, ...e.list];
    case 'InSubquery': return [e.operand];
    case 'Like': return [e.operand, e.pattern, ...(e.escape === undefined ? [] : [e.escape])];
    case 'Case': return [...(e.operand === undefined ? [] : [e.operand]), ...e.whens.flatMap((w) => [w.when, w.then]), ...(e.else === undefined ? [] : [e.else])];
    case 'Cast': return [e.operand];
    case 'FunctionCall': return [...e.args, ...(e.filter === undefined ? [] : [e.filter])];
    case 'Extract': return [e.source];
    case 'TimestampArith': return [e.left, e.right];
    case 'Trim': return [e.source, ...(e.characters === undefined ? [] : [e.characters])];
    case 'Substring': return [e.source, e.start, ...(e.length === undefined ? [] : [e.length])];
    case 'Position': return [e.needle, e.haystack];
    case 'Overlay': return [e.source, e.placing, e.start, ...(e.length === undefined ? [] : [e.length])];
    case 'ArrayConstructor': return [...e.elements];
    case 'MapConstructor': return e.entries.flatMap((x) => [x.key, x.value]);
    case 'RowConstructor': return [...e.fields];
    case 'Index': return [e.operand, e.index];
    case 'FieldAccess': return [e.operand];
    default: {
      const never: never = e;
      throw new PlanError(`unknown expression ${JSON.stringify(never)}`);
    }
  }
}

/** Every aggregate call in `e`, outermost first (nested aggregates are an error). */
export function collectAggregates(e: Expression, into: FunctionCallNode[]): FunctionCallNode[] {
  if (e.kind === 'FunctionCall' && isAggregateCall(e)) {
    for (const c of childExpressions(e)) {
      if (containsAggregate(c)) throw new PlanError('aggregate functions cannot be nested', c.pos);
    }
    into.push(e);
    return into;
  }
  for (const c of childExpressions(e)) collectAggregates(c, into);
  return into;
}
