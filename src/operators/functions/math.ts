/**
 * Math functions: ABS, ROUND, FLOOR/CEIL (also `FLOOR(ts TO unit)`), TRUNCATE, POWER, SQRT, LN,
 * LOG10, LOG2, LOG, EXP, SIGN, trigonometry, PI, RAND/RAND_INTEGER with an optional seed.
 * ROUND uses HALF_UP on the decimal value (Flink rounds through BigDecimal), so ROUND(2.675, 2)
 * is 2.68 even for a DOUBLE.
 */
import { T, isApproxKind, isIntegerKind } from '../types.ts';
import type { SqlType } from '../types.ts';
import { decimalFromNumber, decimalToNumber, pow10, roundDownDigits } from './decimal.ts';
import { defineFunction } from './registry.ts';
import type { FunctionDef, FunctionRegistry } from './registry.ts';
import { floorTimestamp, ceilTimestamp } from './temporal-units.ts';

const dbl = (): SqlType => T.double();
const same = (args: readonly SqlType[]): SqlType => args[0];
const asDouble = (a: { v: string; type: SqlType }): string => (a.type.kind === 'DECIMAL' ? `rt.decToNum(${a.v}, ${a.type.scale})` : a.v);

function unaryDouble(name: string, fn: string): FunctionDef {
  return defineFunction(name, 'math', [{ params: ['numeric'], ret: dbl }], ([a]) => `${fn}(${asDouble(a)})`);
}


const round: FunctionDef = {
  ...defineFunction('ROUND', 'math', [{ params: ['numeric', 'integer'], optional: 1, ret: same }], ([a, d]) => {
    const digits = d === undefined ? '0' : d.v;
    if (a.type.kind === 'DECIMAL') return `rt.roundDec(${a.v}, ${a.type.scale}, ${digits})`;
    if (isIntegerKind(a.type.kind)) return `rt.roundInt(${a.v}, ${digits})`;
    return `rt.roundDouble(${a.v}, ${digits})`;
  }),
  // Flink narrows ROUND(DECIMAL(p, s), d) to DECIMAL(p - s + d + 1, d); here the result keeps
  // DECIMAL(p, s) (same value, trailing zeros), because the type may not depend on a value.
  returnType: (args) => {
    if (args.length < 1 || args.length > 2) return null;
    const t = args[0];
    if (t.kind === 'DECIMAL') return t;
    return isIntegerKind(t.kind) || isApproxKind(t.kind) ? t : null;
  },
};

/** FLOOR/CEIL over numbers, or over DATE/TIMESTAMP with a unit: FLOOR(ts, 'HOUR'). */
function floorCeil(name: 'FLOOR' | 'CEIL'): FunctionDef {
  const isFloor = name === 'FLOOR';
  return defineFunction(name, 'math', [
    { params: ['numeric'], ret: (args) => floorCeilType(args[0]) },
    { params: ['datetime', 'string'], ret: same },
  ], ([a, unit]) => {
    if (unit !== undefined) return `rt.${isFloor ? 'floorTs' : 'ceilTs'}(${a.v}, ${unit.v}, ${a.type.kind === 'DATE'})`;
    if (a.type.kind === 'DECIMAL') return `rt.${isFloor ? 'floorDec' : 'ceilDec'}(${a.v}, ${a.type.scale})`;
    if (isIntegerKind(a.type.kind)) return a.v;
    return `Math.${isFloor ? 'floor' : 'ceil'}(${a.v})`;
  });
}

function floorCeilType(t: SqlType): SqlType {
  if (t.kind !== 'DECIMAL' || t.scale === 0) return t;
  return T.decimal(Math.min(38, t.precision - t.scale + 1), 0);
}

/** A small seeded generator (SplitMix32); one per RAND(seed) call site, so a seed replays. */
export class SeededRandom {
  private state: number;
  constructor(seed: number) {
    this.state = seed | 0;
  }
  next(): number {
    this.state = (this.state + 0x9e3779b9) | 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z ^= z >>> 16;
    return (z >>> 0) / 4294967296;
  }
}

const rand: FunctionDef = defineFunction('RAND', 'math', [{ params: ['integer'], optional: 1, ret: dbl }], ([seed], _r, ctx) => {
  if (seed === undefined) return 'Math.random()';
  if (seed.constant !== undefined) return `${ctx.constant(new SeededRandom(Number(seed.constant.value)))}.next()`;
  return `new rt.SeededRandom(${seed.v}).next()`;
}, { deterministic: false });

const randInteger: FunctionDef = defineFunction('RAND_INTEGER', 'math', [
  { params: ['integer'], ret: () => T.int() },
  { params: ['integer', 'integer'], ret: () => T.int() },
], (args, _r, ctx) => {
  const bound = args[args.length - 1].v;
  if (args.length === 1) return `Math.floor(Math.random() * ${bound})`;
  const seed = args[0];
  const gen = seed.constant !== undefined ? ctx.constant(new SeededRandom(Number(seed.constant.value))) : `new rt.SeededRandom(${seed.v})`;
  return `Math.floor(${gen}.next() * ${bound})`;
}, { deterministic: false });

export function registerMath(r: FunctionRegistry): void {
  r.register(defineFunction('ABS', 'math', [{ params: ['numeric'], ret: same }], ([a]) =>
    (a.type.kind === 'DECIMAL' ? `(${a.v} < 0n ? -${a.v} : ${a.v})` : `Math.abs(${a.v})`)));
  r.register(round);
  r.register(floorCeil('FLOOR'));
  r.register(floorCeil('CEIL'), 'CEILING');
  r.register(defineFunction('TRUNCATE', 'math', [{ params: ['numeric', 'integer'], optional: 1, ret: same }], ([a, d]) =>
    (a.type.kind === 'DECIMAL' ? `rt.truncDec(${a.v}, ${a.type.scale}, ${d?.v ?? 0})` : `rt.truncNumber(${a.v}, ${d?.v ?? 0})`)));
  r.register(defineFunction('POWER', 'math', [{ params: ['numeric', 'numeric'], ret: dbl }], ([a, b]) => `Math.pow(${asDouble(a)}, ${asDouble(b)})`), 'POW');
  r.register(unaryDouble('SQRT', 'Math.sqrt'));
  r.register(unaryDouble('LN', 'Math.log'));
  r.register(unaryDouble('LOG10', 'Math.log10'));
  r.register(unaryDouble('LOG2', 'Math.log2'));
  r.register(unaryDouble('EXP', 'Math.exp'));
  r.register(unaryDouble('SIN', 'Math.sin'));
  r.register(unaryDouble('COS', 'Math.cos'));
  r.register(unaryDouble('TAN', 'Math.tan'));
  r.register(unaryDouble('ASIN', 'Math.asin'));
  r.register(unaryDouble('ACOS', 'Math.acos'));
  r.register(unaryDouble('ATAN', 'Math.atan'));
  r.register(unaryDouble('DEGREES', '(180 / Math.PI) * '));
  r.register(unaryDouble('RADIANS', '(Math.PI / 180) * '));
  r.register(defineFunction('LOG', 'math', [{ params: ['numeric'], ret: dbl }, { params: ['numeric', 'numeric'], ret: dbl }], (args) =>
    (args.length === 1 ? `Math.log(${asDouble(args[0])})` : `(Math.log(${asDouble(args[1])}) / Math.log(${asDouble(args[0])}))`)));
  r.register(defineFunction('SIGN', 'math', [{ params: ['numeric'], ret: same }], ([a]) =>
    (a.type.kind === 'DECIMAL' ? `(${a.v} > 0n ? ${String(pow10(a.type.scale))}n : ${a.v} < 0n ? -${String(pow10(a.type.scale))}n : 0n)` : `Math.sign(${a.v})`)));
  r.register(defineFunction('PI', 'math', [{ params: [], ret: dbl }], () => 'Math.PI'));
  r.register(rand);
  r.register(randInteger);
}

export const mathRuntime = {
  SeededRandom,
  roundInt(x: number, d: number): number {
    if (d >= 0) return x;
    const f = 10 ** -d;
    return Math.sign(x) * Math.round(Math.abs(x) / f) * f;
  },
  roundDouble(x: number, d: number): number {
    if (!Number.isFinite(x)) return x;
    const v = decimalFromNumber(x, Math.max(d, 0) + 20);
    if (v === null) return x;
    const rounded = roundDownDigits(v, 20 + Math.max(d, 0) - d);
    return d >= 0 ? decimalToNumber(rounded, d) : Number(rounded * pow10(-d));
  },
  /** Rounds to `d` fraction digits HALF_UP, keeping the operand's scale (trailing zeros). */
  roundDec(v: bigint, scale: number, d: number): bigint {
    if (d >= scale) return v;
    return roundDownDigits(v, scale - d) * pow10(scale - d);
  },
  truncDec(v: bigint, scale: number, d: number): bigint {
    if (d >= scale) return v;
    const f = pow10(scale - d);
    return (v / f) * f;
  },
  truncNumber(x: number, d: number): number {
    const f = 10 ** d;
    return Math.trunc(x * f) / f;
  },
  floorDec(v: bigint, scale: number): bigint {
    const f = pow10(scale);
    const q = v / f;
    return v < 0n && q * f !== v ? q - 1n : q;
  },
  ceilDec(v: bigint, scale: number): bigint {
    const f = pow10(scale);
    const q = v / f;
    return v > 0n && q * f !== v ? q + 1n : q;
  },
  decToNum: decimalToNumber,
  floorTs(x: number, unit: string, isDate: boolean): number {
    return floorTimestamp(x, unit, isDate);
  },
  ceilTs(x: number, unit: string, isDate: boolean): number {
    return ceilTimestamp(x, unit, isDate);
  },
};

