/**
 * Compiles bound expressions, once, into one JavaScript function over whole columns.
 *
 * The generated function runs a single loop over the batch: it evaluates the (optional)
 * predicate, skips rows that are not TRUE, evaluates every projection for the rows that pass and
 * writes them to preallocated output arrays. No closures or objects are created per row; NULLs are
 * tracked with one flag per value (`n`), three-valued AND/OR short-circuit with labeled blocks,
 * CASE and COALESCE evaluate only the branch they need.
 *
 * @example
 *   const calc = compileCalc(bindExpr(E.call('>', E.col(0), E.lit(10, T.int())), types), [bindExpr(E.col(1), types)]);
 *   const out = calc.run(readInputs(batch, types, calc.inputsUsed), batch.numRows);
 *   out.count; out.selection; out.columns[0];
 */
import type { Data, RecordBatch } from 'apache-arrow';
import { InternalError } from '../errors.ts';
import { physicalKind, readColumn, valuesCtorSource } from '../column.ts';
import type { Column } from '../column.ts';
import type { SqlType } from '../types.ts';
import { emitCast } from '../functions/cast.ts';
import type { ArgCode, EmitContext } from '../functions/registry.ts';
import { RUNTIME } from '../functions/runtime.ts';
import type { BoundExpr } from './bind.ts';
import { generatedFactory } from './generated-code.ts';

export interface CalcOutput {
  /** Rows that passed the predicate (all rows when there is none). */
  readonly count: number;
  /** Input row index of each output row, or null when every row passed. */
  readonly selection: Int32Array | null;
  readonly columns: Column[];
}

export interface CompiledCalc {
  /** Input columns the expressions read; only these need converting. */
  readonly inputsUsed: readonly number[];
  readonly outputTypes: readonly SqlType[];
  /** The generated source, for debugging. */
  readonly source: string;
  run(cols: readonly (Column | undefined)[], n: number): CalcOutput;
}

type RawOutput = { count: number; sel: Int32Array | null; outs: [unknown, Uint8Array | null][] };
type GeneratedFn = (cols: readonly (Column | undefined)[], n: number) => RawOutput;

export function compileCalc(predicate: BoundExpr | null, projections: readonly BoundExpr[]): CompiledCalc {
  const gen = new CodeGen();
  const pred = predicate === null ? null : gen.expr(predicate);
  const projs = projections.map((p) => gen.expr(p));
  const outputTypes = projections.map((p) => p.type);
  const used = [...gen.columns].sort((a, b) => a - b);

  const lines: string[] = ['"use strict";', 'return function calc(cols, n) {'];
  for (const c of used) lines.push(`const c${c}v = cols[${c}].values, c${c}n = cols[${c}].nulls;`);
  projs.forEach((_, j) => {
    const kind = physicalKind(outputTypes[j]);
    lines.push(`const o${j}v = new ${valuesCtorSource(kind)}(n); let o${j}n = null;`);
  });
  lines.push(`const sel = ${pred === null ? 'null' : 'new Int32Array(n)'};`, 'let k = 0;', 'for (let i = 0; i < n; i++) {');
  if (pred !== null) lines.push(pred.code, `if (${pred.n} || !(${pred.v})) continue;`);
  projs.forEach((p, j) => {
    const store = physicalKind(outputTypes[j]) === 'bool' ? `(${p.v}) ? 1 : 0` : p.v;
    lines.push(p.code);
    if (p.n === 'false') lines.push(`o${j}v[k] = ${store};`);
    else lines.push(`if (${p.n}) { if (o${j}n === null) o${j}n = new Uint8Array(n); o${j}n[k] = 1; } else o${j}v[k] = ${store};`);
  });
  if (pred !== null) lines.push('sel[k] = i;');
  lines.push('k++;', '}');
  lines.push(`return { count: k, sel, outs: [${projs.map((_, j) => `[o${j}v, o${j}n]`).join(', ')}] };`, '};');
  const source = lines.join('\n');
  const fn = generatedFactory<(rt: typeof RUNTIME, k: unknown[]) => GeneratedFn>(['rt', 'K'], source)(RUNTIME, gen.constants);

  return {
    inputsUsed: used,
    outputTypes,
    source,
    run(cols, n) {
      const raw = fn(cols, n);
      const columns = raw.outs.map(([values, nulls], j): Column => ({
        type: outputTypes[j],
        length: raw.count,
        values: trim(values, raw.count),
        nulls: nulls === null ? null : nulls.subarray(0, raw.count),
      }));
      const selection = raw.sel === null || raw.count === n && isIdentity(raw.sel, n) ? null : raw.sel.subarray(0, raw.count);
      return { count: raw.count, selection, columns };
    },
  };
}

/** Converts the batch columns in `used` to the in-memory layout; the others stay undefined. */
export function readInputs(batch: RecordBatch, types: readonly SqlType[], used: readonly number[]): (Column | undefined)[] {
  const cols = new Array<Column | undefined>(types.length);
  for (const c of used) cols[c] = readColumn(batch.data.children[c] as Data, types[c]);
  return cols;
}

function trim(values: unknown, count: number): Column['values'] {
  if (Array.isArray(values)) {
    values.length = count;
    return values;
  }
  return (values as Int32Array).subarray(0, count);
}

function isIdentity(sel: Int32Array, n: number): boolean {
  return n === 0 || sel[n - 1] === n - 1;
}

/** Generates statements per bound node; every node yields an `ArgCode`. */
class CodeGen implements EmitContext {
  readonly columns = new Set<number>();
  readonly constants: unknown[] = [];
  private counter = 0;

  fresh(): string {
    return `t${this.counter++}`;
  }

  constant(value: unknown): string {
    this.constants.push(value);
    return `K[${this.constants.length - 1}]`;
  }

  expr(b: BoundExpr): ArgCode {
    switch (b.kind) {
      case 'column': {
        this.columns.add(b.index);
        const c = b.index;
        const v = b.type.kind === 'BOOLEAN' ? `(c${c}v[i] === 1)` : `c${c}v[i]`;
        return { code: '', v, n: b.type.nullable ? `(c${c}n !== null && c${c}n[i] === 1)` : 'false', type: b.type };
      }
      case 'literal': return this.literal(b.value, b.type);
      case 'call': {
        const args = b.args.map((a) => this.expr(a));
        if (b.def.nulls === 'custom') {
          if (b.def.emitCustom === undefined) throw new InternalError(`function ${b.def.name} has no custom emitter`);
          return b.def.emitCustom(args, b.type, this);
        }
        if (b.def.emit === undefined) throw new InternalError(`function ${b.def.name} has no emitter`);
        return this.guarded(args, b.def.emit(args, b.type, this), b.type, b.def.mayReturnNull === true);
      }
      case 'cast': {
        const arg = this.expr(b.expr);
        return this.guarded([arg], emitCast(arg, b.type, b.safe, this), b.type, true);
      }
      case 'and': case 'or': return this.logical(b.kind, b.args.map((a) => this.expr(a)), b.type);
      case 'not': {
        const a = this.expr(b.arg);
        return { code: a.code, v: `!(${a.v})`, n: a.n, type: b.type };
      }
      case 'is-null': {
        const a = this.expr(b.arg);
        return { code: a.code, v: b.negated ? `!(${a.n})` : `(${a.n})`, n: 'false', type: b.type };
      }
      case 'case': return this.caseWhen(b);
      default: {
        const never: never = b;
        throw new InternalError(`cannot compile ${JSON.stringify(never)}`);
      }
    }
  }

  private literal(value: unknown, type: SqlType): ArgCode {
    if (value === null) return { code: '', v: 'undefined', n: 'true', type };
    if (typeof value === 'boolean') return { code: '', v: String(value), n: 'false', type, constant: { value } };
    if (typeof value === 'number' && Number.isFinite(value)) return { code: '', v: `(${value})`, n: 'false', type, constant: { value } };
    return { code: '', v: this.constant(value), n: 'false', type, constant: { value } };
  }

  /** Evaluates `expr` only when no argument is NULL. */
  private guarded(args: readonly ArgCode[], expr: string, type: SqlType, mayReturnNull: boolean): ArgCode {
    const v = this.fresh();
    const code = args.map((a) => a.code).join('\n');
    const nulls = args.map((a) => a.n).filter((n) => n !== 'false');
    if (nulls.length === 0) {
      return { code: `${code}\nconst ${v} = ${expr};`, v, n: mayReturnNull ? `(${v} === null)` : 'false', type };
    }
    return { code: `${code}\nlet ${v} = null;\nif (!(${nulls.join(' || ')})) ${v} = ${expr};`, v, n: `(${v} === null)`, type };
  }

  /** SQL three-valued AND/OR: FALSE (AND) or TRUE (OR) wins, then NULL, short-circuiting. */
  private logical(kind: 'and' | 'or', args: readonly ArgCode[], type: SqlType): ArgCode {
    const v = this.fresh(), n = this.fresh(), label = `L${this.counter++}`;
    const decisive = kind === 'and' ? 'false' : 'true';
    const parts = [`let ${v} = ${kind === 'and'}, ${n} = false;`, `${label}: {`];
    for (const a of args) {
      parts.push(a.code);
      const test = kind === 'and' ? `!(${a.v})` : `(${a.v})`;
      parts.push(`if (!(${a.n}) && ${test}) { ${v} = ${decisive}; ${n} = false; break ${label}; }`);
      if (a.n !== 'false') parts.push(`if (${a.n}) ${n} = true;`);
    }
    parts.push('}');
    return { code: parts.join('\n'), v, n, type };
  }

  private caseWhen(b: Extract<BoundExpr, { kind: 'case' }>): ArgCode {
    const v = this.fresh(), n = this.fresh(), label = `L${this.counter++}`;
    const parts = [`let ${v}, ${n} = true;`, `${label}: {`];
    for (const w of b.whens) {
      const when = this.expr(w.when);
      const then = this.expr(w.then);
      parts.push(when.code, `if (!(${when.n}) && (${when.v})) {`, then.code, `${v} = ${then.v}; ${n} = ${then.n}; break ${label};`, '}');
    }
    if (b.otherwise !== null) {
      const o = this.expr(b.otherwise);
      parts.push(o.code, `${v} = ${o.v}; ${n} = ${o.n};`);
    }
    parts.push('}');
    return { code: parts.join('\n'), v, n, type: b.type };
  }
}
