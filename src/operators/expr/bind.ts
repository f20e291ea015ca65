/**
 * Type-checks a `PhysicalExpr` against the input column types and resolves its functions,
 * producing a `BoundExpr`: every node typed, implicit conversions made explicit as casts, and
 * syntactic sugar (BETWEEN, IN, LIKE, simple CASE) rewritten to calls the compiler knows.
 * Failures are `InvalidPlanError`s: the planner should have caught them.
 */
import { InvalidPlanError } from '../errors.ts';
import { T, displayType, withNullable } from '../types.ts';
import type { SqlType } from '../types.ts';
import { canCast } from '../functions/cast.ts';
import { parseDecimal } from '../functions/decimal.ts';
import type { FunctionDef, FunctionRegistry } from '../functions/registry.ts';
import { builtinFunctions } from '../functions/index.ts';
import { commonType, sameRepresentation } from './coercion.ts';
import { EXPR_DEPTH_MAX, E } from './ir.ts';
import type { PhysicalExpr } from './ir.ts';

export type BoundExpr =
  | { readonly kind: 'column'; readonly index: number; readonly type: SqlType }
  | { readonly kind: 'literal'; readonly value: unknown; readonly type: SqlType }
  | { readonly kind: 'call'; readonly def: FunctionDef; readonly args: readonly BoundExpr[]; readonly type: SqlType }
  | { readonly kind: 'cast'; readonly expr: BoundExpr; readonly type: SqlType; readonly safe: boolean }
  | {
      readonly kind: 'case';
      readonly whens: readonly { readonly when: BoundExpr; readonly then: BoundExpr }[];
      readonly otherwise: BoundExpr | null;
      readonly type: SqlType;
    }
  | { readonly kind: 'and' | 'or'; readonly args: readonly BoundExpr[]; readonly type: SqlType }
  | { readonly kind: 'not'; readonly arg: BoundExpr; readonly type: SqlType }
  | { readonly kind: 'is-null'; readonly arg: BoundExpr; readonly negated: boolean; readonly type: SqlType };

export function bindExpr(expr: PhysicalExpr, inputTypes: readonly SqlType[], registry: FunctionRegistry = builtinFunctions()): BoundExpr {
  return new Binder(inputTypes, registry).bind(expr, 0);
}

class Binder {
  constructor(private readonly inputs: readonly SqlType[], private readonly registry: FunctionRegistry) {}

  bind(e: PhysicalExpr, depth: number): BoundExpr {
    if (depth > EXPR_DEPTH_MAX) throw new InvalidPlanError('INVALID_PLAN', `expression nests deeper than exprDepthMax=${EXPR_DEPTH_MAX}`);
    const d = depth + 1;
    switch (e.kind) {
      case 'column': {
        const type = this.inputs[e.index];
        if (type === undefined) throw new InvalidPlanError('INVALID_PLAN', `column index ${e.index} out of range (input has ${this.inputs.length} columns)`);
        return { kind: 'column', index: e.index, type };
      }
      case 'literal': return { kind: 'literal', value: normalizeLiteral(e.value, e.type), type: e.value === null ? withNullable(e.type, true) : e.type };
      case 'call': return this.call(e.name, e.args.map((a) => this.bind(a, d)));
      case 'cast': {
        const inner = this.bind(e.expr, d);
        if (!canCast(inner.type, e.type)) {
          throw new InvalidPlanError('TYPE_MISMATCH', `cannot cast ${displayType(inner.type)} to ${displayType(e.type)}`);
        }
        const nullable = inner.type.nullable || e.safe;
        return { kind: 'cast', expr: inner, type: withNullable(e.type, nullable), safe: e.safe };
      }
      case 'case': return this.caseWhen(e, d);
      case 'and': case 'or': {
        const args = e.args.map((a) => this.boolean(this.bind(a, d), e.kind.toUpperCase()));
        if (args.length === 0) throw new InvalidPlanError('INVALID_PLAN', `${e.kind.toUpperCase()} needs at least one argument`);
        return { kind: e.kind, args, type: T.boolean(args.some((a) => a.type.nullable)) };
      }
      case 'not': {
        const arg = this.boolean(this.bind(e.arg, d), 'NOT');
        return { kind: 'not', arg, type: arg.type };
      }
      case 'is-null': return { kind: 'is-null', arg: this.bind(e.arg, d), negated: e.negated, type: T.boolean(false) };
      case 'in-list': {
        // x IN (a, b) is x = a OR x = b, which gives SQL's NULL semantics exactly.
        const ors = E.or(...e.list.map((item) => E.call('=', e.arg, item)));
        return this.bind(e.negated ? E.not(ors) : ors, depth);
      }
      case 'like': {
        const name = e.similar ? 'SIMILAR TO' : 'LIKE';
        const args = e.escape === null ? [e.arg, e.pattern] : [e.arg, e.pattern, E.lit(e.escape, T.string(false))];
        const call = E.call(name, ...args);
        return this.bind(e.negated ? E.not(call) : call, depth);
      }
      case 'between': {
        const inRange = (lo: PhysicalExpr, hi: PhysicalExpr): PhysicalExpr => E.and(E.call('>=', e.arg, lo), E.call('<=', e.arg, hi));
        const test = e.symmetric ? E.or(inRange(e.low, e.high), inRange(e.high, e.low)) : inRange(e.low, e.high);
        return this.bind(e.negated ? E.not(test) : test, depth);
      }
      default: {
        const never: never = e;
        throw new InvalidPlanError('INVALID_PLAN', `unknown expression ${JSON.stringify(never)}`);
      }
    }
  }

  private call(name: string, args: BoundExpr[]): BoundExpr {
    const r = this.registry.resolve(name, args.map((a) => a.type));
    if (!r.ok) throw new InvalidPlanError('UNKNOWN_FUNCTION', r.message);
    const coerced = args.map((a, i) => coerce(a, r.argTypes[i] ?? a.type));
    const type = r.def.nulls === 'propagate'
      ? withNullable(r.returnType, coerced.some((a) => a.type.nullable) || r.def.mayReturnNull === true)
      : r.returnType;
    return { kind: 'call', def: r.def, args: coerced, type };
  }

  private caseWhen(e: Extract<PhysicalExpr, { kind: 'case' }>, d: number): BoundExpr {
    const whens = e.whens.map((w) => ({
      when: this.boolean(this.bind(e.operand === null ? w.when : E.call('=', e.operand, w.when), d), 'CASE WHEN'),
      then: this.bind(w.then, d),
    }));
    const otherwise = e.otherwise === null ? null : this.bind(e.otherwise, d);
    const branchTypes = [...whens.map((w) => w.then.type), ...(otherwise === null ? [] : [otherwise.type])];
    const common = commonType(branchTypes);
    if (common === null) throw new InvalidPlanError('TYPE_MISMATCH', `CASE branches have no common type: ${branchTypes.map(displayType).join(', ')}`);
    const type = withNullable(common, common.nullable || otherwise === null);
    return {
      kind: 'case',
      whens: whens.map((w) => ({ when: w.when, then: coerce(w.then, type) })),
      otherwise: otherwise === null ? null : coerce(otherwise, type),
      type,
    };
  }

  private boolean(b: BoundExpr, where: string): BoundExpr {
    if (b.type.kind === 'BOOLEAN') return b;
    if (b.type.kind === 'NULL') return coerce(b, T.boolean());
    throw new InvalidPlanError('TYPE_MISMATCH', `${where} expects BOOLEAN, got ${displayType(b.type)}`);
  }
}

/** Makes `b` a value of `to` (NULL literals are retyped; other conversions become casts). */
export function coerce(b: BoundExpr, to: SqlType): BoundExpr {
  if (b.type.kind === 'NULL') return { kind: 'literal', value: null, type: withNullable(to, true) };
  if (sameRepresentation(b.type, to)) return b;
  return { kind: 'cast', expr: b, type: withNullable(to, b.type.nullable), safe: false };
}

function normalizeLiteral(value: unknown, type: SqlType): unknown {
  if (value === null || value === undefined) return null;
  if (type.kind === 'DECIMAL') {
    const v = typeof value === 'bigint' ? value : parseDecimal(String(value), type.scale);
    if (v === null) throw new InvalidPlanError('INVALID_PLAN', `literal ${String(value)} is not a DECIMAL`);
    return v;
  }
  if (type.kind === 'BIGINT' && typeof value === 'bigint') return Number(value);
  return value;
}
