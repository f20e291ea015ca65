/**
 * Arithmetic operators (+, -, *, /, %, unary -) with Flink's result types: integers keep the
 * wider integer type and wrap on overflow like Java (BIGINT refuses to leave +-2^53 instead),
 * integer division truncates, division by zero fails; any FLOAT/DOUBLE makes the result
 * approximate; DECIMAL is exact with Flink's precision/scale rules. Also DATE/TIMESTAMP +- INTERVAL.
 */
import { ExecutionError } from '../errors.ts';
import { T, isApproxKind, isIntegerKind, isIntervalKind, isNumericKind, isTimestampKind } from '../types.ts';
import type { SqlType } from '../types.ts';
import { commonType, decimalShape } from '../expr/coercion.ts';
import {
  decimalAddType, decimalDivide, decimalDivideType, decimalModType, decimalMultiplyType, fitPrecision, pow10,
  roundDownDigits,
} from './decimal.ts';
import type { DecimalShape } from './decimal.ts';
import { addMonthsToDays, addMonthsToMs, MS_PER_DAY, floorDiv } from './datetime.ts';
import { checkBigintResult } from './numeric-util.ts';
import type { ArgCode, EmitContext, FunctionDef, FunctionRegistry } from './registry.ts';

type Op = '+' | '-' | '*' | '/' | '%';

/** Numeric result type of `a op b`, or null when the operands are not numeric. */
export function arithmeticType(op: Op, a: SqlType, b: SqlType): SqlType | null {
  if (!isNumericKind(a.kind) && a.kind !== 'NULL') return null;
  if (!isNumericKind(b.kind) && b.kind !== 'NULL') return null;
  if (a.kind === 'NULL' || b.kind === 'NULL') return a.kind === 'NULL' ? (b.kind === 'NULL' ? T.int() : b) : a;
  if (isApproxKind(a.kind) || isApproxKind(b.kind)) return a.kind === 'DOUBLE' || b.kind === 'DOUBLE' || a.kind === 'DECIMAL' || b.kind === 'DECIMAL' ? T.double() : T.float();
  if (isIntegerKind(a.kind) && isIntegerKind(b.kind)) return op === '%' ? b : commonType([a, b]);
  const [pa, sa] = decimalShape(a), [pb, sb] = decimalShape(b);
  const da = { precision: pa, scale: sa }, db = { precision: pb, scale: sb };
  const shape: DecimalShape = op === '+' || op === '-' ? decimalAddType(da, db)
    : op === '*' ? decimalMultiplyType(da, db) : op === '/' ? decimalDivideType(da, db) : decimalModType(da, db);
  return T.decimal(shape.precision, shape.scale);
}

function temporalType(op: Op, a: SqlType, b: SqlType): SqlType | null {
  if (op === '+' && isIntervalKind(a.kind) && (isTimestampKind(b.kind) || b.kind === 'DATE')) return b;
  if ((op === '+' || op === '-') && (isTimestampKind(a.kind) || a.kind === 'DATE') && isIntervalKind(b.kind)) return a;
  if ((op === '+' || op === '-') && isIntervalKind(a.kind) && a.kind === b.kind) return a;
  if ((op === '*' || op === '/') && isIntervalKind(a.kind) && isIntegerKind(b.kind)) return a;
  return null;
}

function emitNumeric(op: Op, args: readonly ArgCode[], ret: SqlType, ctx: EmitContext): string {
  const [a, b] = args;
  if (ret.kind === 'DECIMAL') return emitDecimal(op, a, b, ret, ctx);
  if (isApproxKind(ret.kind)) {
    const av = a.type.kind === 'DECIMAL' ? `rt.decToNum(${a.v}, ${a.type.scale})` : a.v;
    const bv = b.type.kind === 'DECIMAL' ? `rt.decToNum(${b.v}, ${b.type.scale})` : b.v;
    const e = op === '%' ? `rt.fmod(${av}, ${bv})` : `(${av} ${op} ${bv})`;
    return ret.kind === 'FLOAT' ? `Math.fround${e}` : e;
  }
  switch (op) {
    case '/': return wrap(`rt.idiv(${a.v}, ${b.v})`, ret);
    case '%': return `rt.imod(${a.v}, ${b.v})`;
    case '*': return ret.kind === 'INT' ? `Math.imul(${a.v}, ${b.v})` : wrap(`(${a.v} * ${b.v})`, ret);
    default: return wrap(`(${a.v} ${op} ${b.v})`, ret);
  }
}

function wrap(e: string, t: SqlType): string {
  switch (t.kind) {
    case 'TINYINT': return `(${e} << 24 >> 24)`;
    case 'SMALLINT': return `(${e} << 16 >> 16)`;
    case 'INT': return `(${e} | 0)`;
    default: return `rt.checkBigintResult(${e})`;
  }
}

function emitDecimal(op: Op, a: ArgCode, b: ArgCode, ret: SqlType, ctx: EmitContext): string {
  if (ret.kind !== 'DECIMAL' || a.type.kind !== 'DECIMAL' || b.type.kind !== 'DECIMAL') throw new ExecutionError('TYPE_MISMATCH', 'decimal operands expected');
  const sa = a.type.scale, sb = b.type.scale, s = ret.scale, p = ret.precision;
  const scaled = (x: ArgCode, from: number, to: number): string => (to === from ? x.v : `(${x.v} * ${ctx.constant(pow10(to - from))})`);
  switch (op) {
    case '+': case '-': return `rt.decFit(${scaled(a, sa, s)} ${op} ${scaled(b, sb, s)}, ${p})`;
    case '*': return sa + sb === s ? `rt.decFit(${a.v} * ${b.v}, ${p})` : `rt.decFit(rt.decRound(${a.v} * ${b.v}, ${sa + sb - s}), ${p})`;
    case '/': return `rt.decFit(rt.decDiv(${a.v}, ${sa}, ${b.v}, ${sb}, ${s}), ${p})`;
    case '%': return `rt.decFit(rt.decMod(${scaled(a, sa, s)}, ${scaled(b, sb, s)}), ${p})`;
    default: return 'null';
  }
}

function emitTemporal(op: Op, args: readonly ArgCode[], ret: SqlType): string {
  let [a, b] = args;
  if (isIntervalKind(a.type.kind) && !isIntervalKind(b.type.kind)) [a, b] = [b, a];
  const sign = op === '-' ? '-' : '';
  if (isIntervalKind(ret.kind)) return op === '*' || op === '/' ? (op === '*' ? `(${a.v} * ${b.v})` : `Math.trunc(${a.v} / ${b.v})`) : `(${a.v} ${op} ${b.v})`;
  if (b.type.kind === 'INTERVAL_YEAR_MONTH') {
    return ret.kind === 'DATE' ? `rt.addMonthsToDays(${a.v}, ${sign}${b.v})` : `rt.addMonthsToMs(${a.v}, ${sign}${b.v})`;
  }
  if (ret.kind === 'DATE') return `(${a.v} ${op} rt.floorDiv(${b.v}, ${MS_PER_DAY}))`;
  return `(${a.v} ${op} ${b.v})`;
}

function binary(op: Op, name: string): FunctionDef {
  const label = `${op === '%' ? 'MOD' : op}`;
  return {
    name,
    family: 'arithmetic',
    signatures: [`${label}(NUMERIC, NUMERIC)`, ...(op === '+' || op === '-' ? [`${label}(DATE|TIMESTAMP, INTERVAL)`] : [])],
    nulls: 'propagate',
    returnType: (args) => (args.length === 2 ? arithmeticType(op, args[0], args[1]) ?? temporalType(op, args[0], args[1]) : null),
    coerceArgs: (args) => {
      const ret = arithmeticType(op, args[0], args[1]);
      if (ret === null) return args;
      if (ret.kind === 'DECIMAL') return args.map((t) => (t.kind === 'DECIMAL' ? t : T.decimal(...decimalShape(t.kind === 'NULL' ? T.int() : t))));
      return args;
    },
    emit: (args, ret, ctx) => (isNumericKind(ret.kind) ? emitNumeric(op, args, ret, ctx) : emitTemporal(op, args, ret)),
  };
}

const negate: FunctionDef = {
  name: 'NEGATE',
  family: 'arithmetic',
  signatures: ['-(NUMERIC)', '-(INTERVAL)'],
  nulls: 'propagate',
  returnType: ([a, ...rest]) => (rest.length === 0 && a !== undefined && (isNumericKind(a.kind) || isIntervalKind(a.kind)) ? a : null),
  emit: ([a], ret) => (ret.kind === 'DECIMAL' ? `(-${a.v})` : isIntegerKind(ret.kind) ? wrap(`(-${a.v})`, ret) : `(-${a.v})`),
};

/** '-' with one argument is negation. */
const minus = binary('-', '-');
const minusOrNegate: FunctionDef = {
  ...minus,
  signatures: [...minus.signatures, ...negate.signatures],
  returnType: (args) => (args.length === 1 ? negate.returnType(args) : minus.returnType(args)),
  coerceArgs: (args) => (args.length === 1 ? args : (minus.coerceArgs as (a: readonly SqlType[]) => readonly SqlType[])(args)),
  emit: (args, ret, ctx) => (args.length === 1 ? (negate.emit as NonNullable<FunctionDef['emit']>)(args, ret, ctx) : (minus.emit as NonNullable<FunctionDef['emit']>)(args, ret, ctx)),
};

export function registerArithmetic(r: FunctionRegistry): void {
  r.register(binary('+', '+'), 'PLUS');
  r.register(minusOrNegate, 'MINUS');
  r.register(binary('*', '*'), 'TIMES');
  r.register(binary('/', '/'), 'DIVIDE');
  r.register(binary('%', 'MOD'), '%');
  r.register(negate, 'UNARY_MINUS');
}

export const arithmeticRuntime = {
  idiv(a: number, b: number): number {
    if (b === 0) throw new ExecutionError('DIVISION_BY_ZERO', 'Division by zero');
    return Math.trunc(a / b);
  },
  imod(a: number, b: number): number {
    if (b === 0) throw new ExecutionError('DIVISION_BY_ZERO', 'Division by zero');
    return a % b;
  },
  fmod(a: number, b: number): number {
    return a % b;
  },
  decFit: fitPrecision,
  decRound: roundDownDigits,
  decDiv: decimalDivide,
  decMod(a: bigint, b: bigint): bigint {
    if (b === 0n) throw new ExecutionError('DIVISION_BY_ZERO', 'Division by zero');
    return a % b;
  },
  checkBigintResult,
  addMonthsToDays,
  addMonthsToMs,
  floorDiv,
};
