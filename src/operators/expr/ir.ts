/**
 * The physical expression IR the planner hands to operators: frozen plain objects tagged with
 * `kind`. Columns are referenced by index into the operator's input. `bind` type-checks a tree
 * against the input column types; `compile` turns bound trees into one JavaScript function over
 * whole columns.
 *
 * @example  price * 0.908 > 100 AND channel LIKE 'Goo%'
 *   E.and(
 *     E.call('>', E.call('*', E.col(2), E.lit('0.908', T.decimal(3, 3))), E.lit(100, T.int())),
 *     E.like(E.col(3), E.lit('Goo%', T.string())))
 */
import type { SqlType } from '../types.ts';

export type PhysicalExpr =
  | { readonly kind: 'column'; readonly index: number }
  | { readonly kind: 'literal'; readonly value: unknown; readonly type: SqlType }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly PhysicalExpr[] }
  | { readonly kind: 'cast'; readonly expr: PhysicalExpr; readonly type: SqlType; readonly safe: boolean }
  | {
      readonly kind: 'case';
      readonly operand: PhysicalExpr | null;
      readonly whens: readonly { readonly when: PhysicalExpr; readonly then: PhysicalExpr }[];
      readonly otherwise: PhysicalExpr | null;
    }
  | { readonly kind: 'and' | 'or'; readonly args: readonly PhysicalExpr[] }
  | { readonly kind: 'not'; readonly arg: PhysicalExpr }
  | { readonly kind: 'is-null'; readonly arg: PhysicalExpr; readonly negated: boolean }
  | { readonly kind: 'in-list'; readonly arg: PhysicalExpr; readonly list: readonly PhysicalExpr[]; readonly negated: boolean }
  | {
      readonly kind: 'like';
      readonly arg: PhysicalExpr;
      readonly pattern: PhysicalExpr;
      readonly escape: string | null;
      readonly negated: boolean;
      /** SIMILAR TO (SQL regular expressions) instead of LIKE. */
      readonly similar: boolean;
    }
  | {
      readonly kind: 'between';
      readonly arg: PhysicalExpr;
      readonly low: PhysicalExpr;
      readonly high: PhysicalExpr;
      readonly negated: boolean;
      readonly symmetric: boolean;
    };

/**
 * Literal values: numbers for integer, float and temporal types (DATE in days, TIME in ms of day,
 * TIMESTAMP in epoch ms, INTERVAL in months or ms), a decimal string or unscaled bigint for
 * DECIMAL, strings, booleans, null.
 */
export const E = {
  col: (index: number): PhysicalExpr => Object.freeze({ kind: 'column', index }),
  lit: (value: unknown, type: SqlType): PhysicalExpr => Object.freeze({ kind: 'literal', value, type }),
  call: (name: string, ...args: PhysicalExpr[]): PhysicalExpr => Object.freeze({ kind: 'call', name, args: Object.freeze(args) }),
  cast: (expr: PhysicalExpr, type: SqlType, safe = false): PhysicalExpr => Object.freeze({ kind: 'cast', expr, type, safe }),
  case: (whens: { when: PhysicalExpr; then: PhysicalExpr }[], otherwise: PhysicalExpr | null = null, operand: PhysicalExpr | null = null): PhysicalExpr =>
    Object.freeze({ kind: 'case', operand, whens: Object.freeze(whens), otherwise }),
  and: (...args: PhysicalExpr[]): PhysicalExpr => Object.freeze({ kind: 'and', args: Object.freeze(args) }),
  or: (...args: PhysicalExpr[]): PhysicalExpr => Object.freeze({ kind: 'or', args: Object.freeze(args) }),
  not: (arg: PhysicalExpr): PhysicalExpr => Object.freeze({ kind: 'not', arg }),
  isNull: (arg: PhysicalExpr, negated = false): PhysicalExpr => Object.freeze({ kind: 'is-null', arg, negated }),
  inList: (arg: PhysicalExpr, list: PhysicalExpr[], negated = false): PhysicalExpr =>
    Object.freeze({ kind: 'in-list', arg, list: Object.freeze(list), negated }),
  like: (arg: PhysicalExpr, pattern: PhysicalExpr, opts: { escape?: string; negated?: boolean; similar?: boolean } = {}): PhysicalExpr =>
    Object.freeze({ kind: 'like', arg, pattern, escape: opts.escape ?? null, negated: opts.negated ?? false, similar: opts.similar ?? false }),
  between: (arg: PhysicalExpr, low: PhysicalExpr, high: PhysicalExpr, negated = false, symmetric = false): PhysicalExpr =>
    Object.freeze({ kind: 'between', arg, low, high, negated, symmetric }),
} as const;

/** Maximum nesting depth of an expression tree; deeper trees are refused at bind time. */
export const EXPR_DEPTH_MAX = 128;

/** One-line SQL-ish rendering for EXPLAIN and error messages; columns show as `$index`. */
export function displayExpr(e: PhysicalExpr, names?: readonly string[]): string {
  const d = (x: PhysicalExpr): string => displayExpr(x, names);
  switch (e.kind) {
    case 'column': return names?.[e.index] ?? `$${e.index}`;
    case 'literal': return e.value === null ? 'NULL' : typeof e.value === 'string' ? `'${e.value}'` : String(e.value);
    case 'call':
      return /^[^A-Z_]/.test(e.name) && e.args.length === 2 ? `(${d(e.args[0])} ${e.name} ${d(e.args[1])})` : `${e.name}(${e.args.map(d).join(', ')})`;
    case 'cast': return `${e.safe ? 'TRY_CAST' : 'CAST'}(${d(e.expr)} AS ${e.type.kind})`;
    case 'case':
      return `CASE${e.operand ? ` ${d(e.operand)}` : ''} ${e.whens.map((w) => `WHEN ${d(w.when)} THEN ${d(w.then)}`).join(' ')}${e.otherwise ? ` ELSE ${d(e.otherwise)}` : ''} END`;
    case 'and': case 'or': return `(${e.args.map(d).join(` ${e.kind.toUpperCase()} `)})`;
    case 'not': return `NOT ${d(e.arg)}`;
    case 'is-null': return `${d(e.arg)} IS ${e.negated ? 'NOT ' : ''}NULL`;
    case 'in-list': return `${d(e.arg)} ${e.negated ? 'NOT ' : ''}IN (${e.list.map(d).join(', ')})`;
    case 'like': return `${d(e.arg)} ${e.negated ? 'NOT ' : ''}${e.similar ? 'SIMILAR TO' : 'LIKE'} ${d(e.pattern)}`;
    case 'between': return `${d(e.arg)} ${e.negated ? 'NOT ' : ''}BETWEEN ${d(e.low)} AND ${d(e.high)}`;
    default: {
      const never: never = e;
      return String(never);
    }
  }
}
