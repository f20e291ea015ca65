/**
 * Helpers over the PhysicalExpr IR the logical plan uses: which columns an expression reads,
 * renumbering columns, substituting column references by expressions (to merge projections or
 * push a filter below one), and an expression's type over a schema.
 */
import { bindExpr, builtinFunctions, withoutTimeAttribute } from '../operators/index.ts';
import type { ColumnDef, PhysicalExpr, SqlType } from '../operators/index.ts';

/** Rebuilds `e` with `f` applied to every column reference. */
export function mapColumns(e: PhysicalExpr, f: (index: number) => PhysicalExpr): PhysicalExpr {
  const m = (x: PhysicalExpr): PhysicalExpr => mapColumns(x, f);
  switch (e.kind) {
    case 'column': return f(e.index);
    case 'literal': return e;
    case 'call': return Object.freeze({ ...e, args: Object.freeze(e.args.map(m)) });
    case 'cast': return Object.freeze({ ...e, expr: m(e.expr) });
    case 'case':
      return Object.freeze({
        ...e,
        operand: e.operand === null ? null : m(e.operand),
        whens: Object.freeze(e.whens.map((w) => ({ when: m(w.when), then: m(w.then) }))),
        otherwise: e.otherwise === null ? null : m(e.otherwise),
      });
    case 'and': case 'or': return Object.freeze({ ...e, args: Object.freeze(e.args.map(m)) });
    case 'not': case 'is-null': return Object.freeze({ ...e, arg: m(e.arg) });
    case 'in-list': return Object.freeze({ ...e, arg: m(e.arg), list: Object.freeze(e.list.map(m)) });
    case 'like': return Object.freeze({ ...e, arg: m(e.arg), pattern: m(e.pattern) });
    case 'between': return Object.freeze({ ...e, arg: m(e.arg), low: m(e.low), high: m(e.high) });
    default: {
      const never: never = e;
      throw new Error(`unknown expression ${JSON.stringify(never)}`);
    }
  }
}

/** Column indexes `e` reads. */
export function columnsUsed(e: PhysicalExpr, into: Set<number> = new Set()): Set<number> {
  mapColumns(e, (i) => {
    into.add(i);
    return { kind: 'column', index: i };
  });
  return into;
}

/** Replaces column i by `exprs[i]`. */
export function substitute(e: PhysicalExpr, exprs: readonly PhysicalExpr[]): PhysicalExpr {
  return mapColumns(e, (i) => exprs[i]);
}

/** Renumbers columns through `mapping` (old index -> new index). */
export function remap(e: PhysicalExpr, mapping: ReadonlyMap<number, number>): PhysicalExpr {
  return mapColumns(e, (i) => {
    const j = mapping.get(i);
    if (j === undefined) throw new Error(`column ${i} was pruned but is still used`);
    return { kind: 'column', index: j };
  });
}

/** A key for structural equality. */
export function exprKey(e: PhysicalExpr): string {
  return JSON.stringify(e, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}

/**
 * The type of `e` over `schema`: a column keeps its type (time attributes included); anything
 * computed loses the time attribute marker, as in Flink.
 */
export function exprType(e: PhysicalExpr, schema: readonly ColumnDef[]): SqlType {
  if (e.kind === 'column') return schema[e.index].type;
  return withoutTimeAttribute(bindExpr(e, schema.map((c) => c.type)).type);
}

/** Whether `e` has no column references and only deterministic functions (so it can be folded). */
export function isConstant(e: PhysicalExpr): boolean {
  switch (e.kind) {
    case 'column': return false;
    case 'literal': return true;
    case 'call': {
      const def = builtinFunctions().lookup(e.name);
      return def !== undefined && def.deterministic !== false && e.args.every(isConstant);
    }
    case 'cast': return isConstant(e.expr);
    case 'case':
      return (e.operand === null || isConstant(e.operand)) && e.whens.every((w) => isConstant(w.when) && isConstant(w.then))
        && (e.otherwise === null || isConstant(e.otherwise));
    case 'and': case 'or': return e.args.every(isConstant);
    case 'not': case 'is-null': return isConstant(e.arg);
    case 'in-list': return isConstant(e.arg) && e.list.every(isConstant);
    case 'like': return isConstant(e.arg) && isConstant(e.pattern);
    case 'between': return isConstant(e.arg) && isConstant(e.low) && isConstant(e.high);
    default: {
      const never: never = e;
      throw new Error(`unknown expression ${JSON.stringify(never)}`);
    }
  }
}

/** Splits `a AND b AND c` into its conjuncts. */
export function conjuncts(e: PhysicalExpr): PhysicalExpr[] {
  return e.kind === 'and' ? e.args.flatMap(conjuncts) : [e];
}
