/**
 * Conditional functions: COALESCE/IFNULL and IF evaluate lazily (only the branch they need),
 * NULLIF, GREATEST and LEAST (NULL if any argument is NULL, as in Flink).
 */
import { T, withNullable } from '../types.ts';
import type { SqlType } from '../types.ts';
import { commonType } from '../expr/coercion.ts';
import type { ArgCode, EmitContext, FunctionDef, FunctionRegistry } from './registry.ts';

function common(args: readonly SqlType[]): SqlType | null {
  return args.length === 0 ? null : commonType(args);
}

function coalesceDef(name: string, arity: number | null): FunctionDef {
  return {
    name,
    family: 'conditional',
    signatures: [arity === 2 ? `${name}(T, T)` : `${name}(T, T...)`],
    nulls: 'custom',
    returnType: (args) => {
      if (args.length === 0 || (arity !== null && args.length !== arity)) return null;
      const c = common(args);
      return c === null ? null : withNullable(c, args.every((a) => a.nullable));
    },
    coerceArgs: (args) => args.map((a) => withNullable(common(args) as SqlType, a.nullable)),
    emitCustom: (args, ret, ctx) => {
      const v = ctx.fresh(), n = ctx.fresh(), label = ctx.fresh();
      const parts = [`let ${v}, ${n} = true;`, `${label}: {`];
      for (const a of args) parts.push(a.code, `if (!(${a.n})) { ${v} = ${a.v}; ${n} = false; break ${label}; }`);
      parts.push('}');
      return { code: parts.join('\n'), v, n, type: ret };
    },
  };
}

const ifDef: FunctionDef = {
  name: 'IF',
  family: 'conditional',
  signatures: ['IF(BOOLEAN, T, T)'],
  nulls: 'custom',
  returnType: (args) => {
    if (args.length !== 3 || (args[0].kind !== 'BOOLEAN' && args[0].kind !== 'NULL')) return null;
    const c = common([args[1], args[2]]);
    return c === null ? null : withNullable(c, args[1].nullable || args[2].nullable);
  },
  coerceArgs: (args) => {
    const c = common([args[1], args[2]]) as SqlType;
    return [args[0].kind === 'NULL' ? T.boolean() : args[0], withNullable(c, args[1].nullable), withNullable(c, args[2].nullable)];
  },
  emitCustom: ([c, a, b], ret, ctx) => {
    const v = ctx.fresh(), n = ctx.fresh();
    const code = [`let ${v}, ${n};`, c.code, `if (!(${c.n}) && (${c.v})) {`, a.code, `${v} = ${a.v}; ${n} = ${a.n};`, '} else {', b.code, `${v} = ${b.v}; ${n} = ${b.n};`, '}'];
    return { code: code.join('\n'), v, n, type: ret };
  },
};

const nullIf: FunctionDef = {
  name: 'NULLIF',
  family: 'conditional',
  signatures: ['NULLIF(T, T)'],
  nulls: 'custom',
  returnType: (args) => {
    if (args.length !== 2) return null;
    const c = common(args);
    return c === null ? null : withNullable(c, true);
  },
  coerceArgs: (args) => args.map((a) => withNullable(common(args) as SqlType, a.nullable)),
  emitCustom: ([a, b], ret, ctx: EmitContext): ArgCode => {
    const v = ctx.fresh();
    const eq = a.type.kind === 'BINARY' || a.type.kind === 'VARBINARY' ? `rt.compareBytes(${a.v}, ${b.v}) === 0` : `${a.v} === ${b.v}`;
    const code = `${a.code}\n${b.code}\nlet ${v} = null;\nif (!(${a.n}) && ((${b.n}) || !(${eq}))) ${v} = ${a.v};`;
    return { code, v, n: `(${v} === null)`, type: ret };
  },
};

function extremum(name: 'GREATEST' | 'LEAST'): FunctionDef {
  const fn = name === 'GREATEST' ? 'max2' : 'min2';
  return {
    name,
    family: 'conditional',
    signatures: [`${name}(T, T...)`],
    nulls: 'propagate',
    returnType: (args) => {
      const c = args.length < 1 ? null : common(args);
      return c;
    },
    coerceArgs: (args) => args.map((a) => withNullable(common(args) as SqlType, a.nullable)),
    emit: (args) => args.slice(1).reduce((acc, a) => `rt.${fn}(${acc}, ${a.v})`, args[0].v),
  };
}

export function registerConditional(r: FunctionRegistry): void {
  r.register(coalesceDef('COALESCE', null));
  r.register(coalesceDef('IFNULL', 2));
  r.register(ifDef);
  r.register(nullIf);
  r.register(extremum('GREATEST'));
  r.register(extremum('LEAST'));
}

export const conditionalRuntime = {
  max2<V>(a: V, b: V): V {
    return a >= b ? a : b;
  },
  min2<V>(a: V, b: V): V {
    return a <= b ? a : b;
  },
};

