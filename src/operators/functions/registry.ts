/**
 * The function registry: every built-in declares its signatures and return-type inference, so the
 * planner can type-check calls ("no function UPPER(INT); did you mean UPPER(STRING)?"), and a code
 * emitter the expression compiler splices into the generated loop.
 *
 * Emitters work on JavaScript source: each argument arrives as an `ArgCode` (statements that
 * compute it, then expressions for its value and its NULL flag). A function with
 * `nulls: 'propagate'` only sees non-NULL arguments and returns the expression of its value
 * (or of `null` when `mayReturnNull`); `nulls: 'custom'` functions get the raw argument code and
 * decide evaluation order themselves (COALESCE evaluates lazily).
 */
import {
  displayType, isApproxKind, isBinaryKind, isCharacterKind, isIntegerKind, isIntervalKind, isNumericKind,
  isTimestampKind,
} from '../types.ts';
import type { SqlType } from '../types.ts';

export interface ArgCode {
  readonly code: string;
  readonly v: string;
  readonly n: string;
  readonly type: SqlType;
  /** Set when the argument is a literal: its value, for emitters that precompute (regexes). */
  readonly constant?: { readonly value: unknown };
}

export interface EmitContext {
  /** A fresh local variable name. */
  fresh(): string;
  /** Registers a constant for the generated function and returns an expression reading it. */
  constant(value: unknown): string;
}

export type FunctionFamily =
  | 'arithmetic' | 'comparison' | 'logical' | 'string' | 'temporal' | 'conditional' | 'json' | 'math' | 'hash';

export interface FunctionDef {
  readonly name: string;
  readonly family: FunctionFamily;
  /** Human-readable overloads for messages and SHOW FUNCTIONS, e.g. `SUBSTRING(STRING, INT[, INT])`. */
  readonly signatures: readonly string[];
  /** Result type for these argument types (nullability decided by the binder), or null if none fits. */
  returnType(args: readonly SqlType[]): SqlType | null;
  /** Types the arguments are converted to before the call; unchanged when absent. */
  coerceArgs?(args: readonly SqlType[]): readonly SqlType[];
  readonly nulls: 'propagate' | 'custom';
  readonly mayReturnNull?: boolean;
  /** False for RAND and friends, so the planner does not fold them. */
  readonly deterministic?: boolean;
  emit?(args: readonly ArgCode[], ret: SqlType, ctx: EmitContext): string;
  emitCustom?(args: readonly ArgCode[], ret: SqlType, ctx: EmitContext): ArgCode;
}

export type ResolveResult =
  | { readonly ok: true; readonly def: FunctionDef; readonly returnType: SqlType; readonly argTypes: readonly SqlType[] }
  | { readonly ok: false; readonly message: string; readonly suggestions: readonly string[] };

/** Upper bound on registered functions, so a runaway registration loop fails loudly. */
export const REGISTRY_FUNCTIONS_MAX = 1024;

export class FunctionRegistry {
  private readonly defs = new Map<string, FunctionDef>();

  register(def: FunctionDef, ...aliases: string[]): this {
    for (const name of [def.name, ...aliases]) {
      if (this.defs.size >= REGISTRY_FUNCTIONS_MAX) throw new Error(`more than ${REGISTRY_FUNCTIONS_MAX} functions registered`);
      this.defs.set(name.toUpperCase(), def);
    }
    return this;
  }

  lookup(name: string): FunctionDef | undefined {
    return this.defs.get(name.toUpperCase());
  }

  names(): string[] {
    return [...this.defs.keys()].sort();
  }

  /** Type-checks a call; on failure the message lists what exists, with the nearest names. */
  resolve(name: string, argTypes: readonly SqlType[]): ResolveResult {
    const call = `${name.toUpperCase()}(${argTypes.map(displayType).join(', ')})`;
    const def = this.lookup(name);
    if (def === undefined) {
      const suggestions = nearestNames(name.toUpperCase(), this.names());
      const hint = suggestions.length > 0 ? `; did you mean ${suggestions.join(', ')}?` : '';
      return { ok: false, message: `no function ${call}${hint}`, suggestions };
    }
    const ret = def.returnType(argTypes);
    if (ret === null) {
      return { ok: false, message: `no function ${call}; did you mean ${def.signatures.join(' or ')}?`, suggestions: def.signatures };
    }
    return { ok: true, def, returnType: ret, argTypes: def.coerceArgs ? def.coerceArgs(argTypes) : argTypes };
  }
}

function nearestNames(name: string, names: readonly string[]): string[] {
  const scored = names.map((n) => ({ n, d: editDistance(name, n) })).filter((x) => x.d <= Math.max(2, name.length / 3));
  scored.sort((a, b) => a.d - b.d || a.n.localeCompare(b.n));
  return scored.slice(0, 3).map((x) => x.n);
}

export function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

// ---------------------------------------------------------------------------------------------
// Signature helpers shared by the families.

export type ParamClass =
  | 'any' | 'boolean' | 'numeric' | 'integer' | 'exact' | 'approx' | 'string' | 'binary' | 'date' | 'time'
  | 'timestamp' | 'datetime' | 'interval' | 'string-or-binary';

const PARAM_LABEL: Record<ParamClass, string> = {
  any: 'ANY', boolean: 'BOOLEAN', numeric: 'NUMERIC', integer: 'INTEGER', exact: 'EXACT_NUMERIC', approx: 'DOUBLE',
  string: 'STRING', binary: 'BYTES', date: 'DATE', time: 'TIME', timestamp: 'TIMESTAMP', datetime: 'DATE|TIMESTAMP',
  interval: 'INTERVAL', 'string-or-binary': 'STRING|BYTES',
};

export function matchesClass(t: SqlType, c: ParamClass): boolean {
  if (t.kind === 'NULL') return true;
  switch (c) {
    case 'any': return true;
    case 'boolean': return t.kind === 'BOOLEAN';
    case 'numeric': return isNumericKind(t.kind);
    case 'integer': return isIntegerKind(t.kind);
    case 'exact': return isIntegerKind(t.kind) || t.kind === 'DECIMAL';
    case 'approx': return isApproxKind(t.kind);
    case 'string': return isCharacterKind(t.kind);
    case 'binary': return isBinaryKind(t.kind);
    case 'date': return t.kind === 'DATE';
    case 'time': return t.kind === 'TIME';
    case 'timestamp': return isTimestampKind(t.kind);
    case 'datetime': return t.kind === 'DATE' || isTimestampKind(t.kind);
    case 'interval': return isIntervalKind(t.kind);
    case 'string-or-binary': return isCharacterKind(t.kind) || isBinaryKind(t.kind);
    default: return false;
  }
}

export interface Overload {
  readonly params: readonly ParamClass[];
  /** Number of trailing params that may be omitted. */
  readonly optional?: number;
  /** Class of any further arguments (CONCAT). */
  readonly variadic?: ParamClass;
  readonly ret: (args: readonly SqlType[]) => SqlType | null;
}

export function overloadLabel(name: string, o: Overload): string {
  const req = o.params.length - (o.optional ?? 0);
  const parts = o.params.map((p, i) => (i >= req ? `[${PARAM_LABEL[p]}]` : PARAM_LABEL[p]));
  if (o.variadic !== undefined) parts.push(`${PARAM_LABEL[o.variadic]}...`);
  return `${name}(${parts.join(', ')})`;
}

/** Picks the first overload whose parameter classes accept `args`. */
export function pickOverload(overloads: readonly Overload[], args: readonly SqlType[]): SqlType | null {
  for (const o of overloads) {
    const req = o.params.length - (o.optional ?? 0);
    if (args.length < req) continue;
    if (args.length > o.params.length && o.variadic === undefined) continue;
    let ok = true;
    for (let i = 0; i < args.length && ok; i++) {
      const cls = i < o.params.length ? o.params[i] : (o.variadic as ParamClass);
      ok = matchesClass(args[i], cls);
    }
    if (ok) {
      const r = o.ret(args);
      if (r !== null) return r;
    }
  }
  return null;
}

/** Builds a null-propagating function from overloads and one emitter. */
export function defineFunction(
  name: string,
  family: FunctionFamily,
  overloads: readonly Overload[],
  emit: (args: readonly ArgCode[], ret: SqlType, ctx: EmitContext) => string,
  extra: Partial<Pick<FunctionDef, 'mayReturnNull' | 'deterministic' | 'coerceArgs'>> = {},
): FunctionDef {
  return {
    name,
    family,
    signatures: overloads.map((o) => overloadLabel(name, o)),
    returnType: (args) => pickOverload(overloads, args),
    nulls: 'propagate',
    emit,
    ...extra,
  };
}

/** `rt.fn(a, b, ...)` -- the common emitter for helpers in the runtime object. */
export const rtCall = (fn: string) => (args: readonly ArgCode[]): string => `rt.${fn}(${args.map((a) => a.v).join(', ')})`;
