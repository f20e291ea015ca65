/**
 * Comparisons (=, <>, <, <=, >, >=, IS [NOT] DISTINCT FROM) after widening both sides to their
 * common type, and pattern matching: LIKE (with ESCAPE) and SIMILAR TO, compiled once per pattern
 * into a JavaScript RegExp held in a bounded cache.
 */
import { T, isBinaryKind } from '../types.ts';
import type { SqlType } from '../types.ts';
import { ExecutionError } from '../errors.ts';
import { commonType } from '../expr/coercion.ts';
import { defineFunction } from './registry.ts';
import type { ArgCode, EmitContext, FunctionDef, FunctionRegistry } from './registry.ts';
import { BoundedCache } from './bounded-cache.ts';

const COMPARABLE = new Set(['BOOLEAN', 'TINYINT', 'SMALLINT', 'INT', 'BIGINT', 'FLOAT', 'DOUBLE', 'DECIMAL', 'CHAR', 'VARCHAR',
  'BINARY', 'VARBINARY', 'DATE', 'TIME', 'TIMESTAMP', 'TIMESTAMP_LTZ', 'INTERVAL_YEAR_MONTH', 'INTERVAL_DAY_TIME', 'NULL']);

function comparableCommon(args: readonly SqlType[]): SqlType | null {
  if (args.length !== 2 || !args.every((a) => COMPARABLE.has(a.kind))) return null;
  return commonType(args);
}

function compareExpr(op: string, a: ArgCode, b: ArgCode): string {
  const jsOp = op === '=' ? '===' : op === '<>' ? '!==' : op;
  if (isBinaryKind(a.type.kind)) return `(rt.compareBytes(${a.v}, ${b.v}) ${jsOp} 0)`;
  return `(${a.v} ${jsOp} ${b.v})`;
}

function comparison(op: string, aliases: string[]): [FunctionDef, string[]] {
  const def: FunctionDef = {
    name: op,
    family: 'comparison',
    signatures: [`${op}(T, T)`],
    nulls: 'propagate',
    returnType: (args) => (comparableCommon(args) === null ? null : T.boolean()),
    coerceArgs: (args) => {
      const c = comparableCommon(args) as SqlType;
      return args.map(() => c);
    },
    emit: ([a, b]) => compareExpr(op, a, b),
  };
  return [def, aliases];
}

function distinct(negated: boolean): FunctionDef {
  const name = negated ? 'IS NOT DISTINCT FROM' : 'IS DISTINCT FROM';
  return {
    name,
    family: 'comparison',
    signatures: [`${name}(T, T)`],
    nulls: 'custom',
    returnType: (args) => (comparableCommon(args) === null ? null : T.boolean(false)),
    coerceArgs: (args) => {
      const c = comparableCommon(args) as SqlType;
      return args.map(() => c);
    },
    emitCustom: ([a, b], ret, ctx: EmitContext) => {
      const v = ctx.fresh();
      const eq = compareExpr('=', a, b);
      const code = `${a.code}\n${b.code}\nconst ${v} = (${a.n}) ? !(${b.n}) : ((${b.n}) ? true : !${eq});`;
      return { code, v: negated ? `!${v}` : v, n: 'false', type: ret };
    },
  };
}

/** Largest number of compiled patterns kept per process. */
export const PATTERN_CACHE_ENTRIES_MAX = 512;
const likeCache = new BoundedCache<string, RegExp>(PATTERN_CACHE_ENTRIES_MAX);

/** Translates a LIKE pattern: `%` any run, `_` one character, `escape` quotes the next one. */
export function likeToRegExp(pattern: string, escape: string | null): RegExp {
  const key = `L${escape ?? ''}\u0000${pattern}`;
  const hit = likeCache.get(key);
  if (hit !== undefined) return hit;
  if (escape !== null && escape.length !== 1) throw new ExecutionError('INVALID_ARGUMENT', `LIKE escape must be one character, got '${escape}'`);
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (escape !== null && c === escape) {
      const next = pattern[++i];
      if (next === undefined) throw new ExecutionError('INVALID_ARGUMENT', `LIKE pattern '${pattern}' ends with the escape character`);
      re += escapeRegExp(next);
    } else if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += escapeRegExp(c);
  }
  const compiled = new RegExp(`^${re}$`, 'u');
  likeCache.set(key, compiled);
  return compiled;
}

/** SIMILAR TO: SQL regular expressions (`%`, `_`, plus regex alternation and repetition). */
export function similarToRegExp(pattern: string, escape: string | null): RegExp {
  const key = `S${escape ?? ''}\u0000${pattern}`;
  const hit = likeCache.get(key);
  if (hit !== undefined) return hit;
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (escape !== null && c === escape) re += escapeRegExp(pattern[++i] ?? '');
    else if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else if (c === '.' || c === '^' || c === '$' || c === '\\') re += `\\${c}`;
    else re += c;
  }
  const compiled = new RegExp(`^(?:${re})$`, 'u');
  likeCache.set(key, compiled);
  return compiled;
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function likeDef(name: string, similar: boolean): FunctionDef {
  return defineFunction(name, 'comparison', [
    { params: ['string', 'string', 'string'], optional: 1, ret: () => T.boolean() },
  ], ([s, p, e], _ret, ctx) => {
    const esc = e === undefined ? 'null' : e.v;
    if (p.constant !== undefined && (e === undefined || e.constant !== undefined)) {
      const escVal = e === undefined ? null : (e.constant?.value as string);
      const re = similar ? similarToRegExp(p.constant.value as string, escVal) : likeToRegExp(p.constant.value as string, escVal);
      const simple = similar ? null : simpleLike(p.constant.value as string, escVal);
      if (simple !== null) return simple(s.v, ctx);
      return `${ctx.constant(re)}.test(${s.v})`;
    }
    return `rt.${similar ? 'similarTo' : 'like'}(${s.v}, ${p.v}, ${esc})`;
  });
}

/** 'abc%', '%abc', '%abc%' and plain strings become startsWith/endsWith/includes/===. */
function simpleLike(pattern: string, escape: string | null): ((v: string, ctx: EmitContext) => string) | null {
  if (escape !== null && pattern.includes(escape)) return null;
  const inner = pattern.replace(/^%/, '').replace(/%$/, '');
  if (inner.includes('%') || inner.includes('_')) return null;
  const lead = pattern.startsWith('%'), trail = pattern.endsWith('%') && pattern.length > 1;
  return (v, ctx) => {
    const lit = ctx.constant(inner);
    if (lead && trail) return `${v}.includes(${lit})`;
    if (trail) return `${v}.startsWith(${lit})`;
    if (lead) return `${v}.endsWith(${lit})`;
    return `(${v} === ${lit})`;
  };
}

export function registerComparison(r: FunctionRegistry): void {
  for (const [def, aliases] of [
    comparison('=', ['EQUALS']), comparison('<>', ['NOT_EQUALS', '!=']), comparison('<', ['LESS_THAN']),
    comparison('<=', ['LESS_THAN_OR_EQUAL']), comparison('>', ['GREATER_THAN']), comparison('>=', ['GREATER_THAN_OR_EQUAL']),
  ]) r.register(def, ...aliases);
  r.register(distinct(false));
  r.register(distinct(true));
  r.register(likeDef('LIKE', false));
  r.register(likeDef('SIMILAR TO', true), 'SIMILAR');
}

export const comparisonRuntime = {
  compareBytes(a: Uint8Array, b: Uint8Array): number {
    return Buffer.compare(a, b);
  },
  like(s: string, p: string, e: string | null): boolean {
    return likeToRegExp(p, e).test(s);
  },
  similarTo(s: string, p: string, e: string | null): boolean {
    return similarToRegExp(p, e).test(s);
  },
};
