/**
 * CAST and TRY_CAST between the types Flink converts (Flink docs, "Type Conversion").
 * A failing CAST raises CAST_FAILED; TRY_CAST yields NULL. Narrowing integer casts wrap like
 * Java's; DECIMAL rounds HALF_UP and yields NULL when the value does not fit (Flink's rule);
 * approximate-to-integer casts truncate toward zero.
 */
import { ExecutionError } from '../errors.ts';
import {
  VARCHAR_LENGTH_MAX, displayType, isApproxKind, isBinaryKind, isCharacterKind, isIntegerKind, isTimestampKind,
  typesEqual,
} from '../types.ts';
import type { SqlType } from '../types.ts';
import { decimalFromNumber, decimalToNumber, fitPrecision, formatDecimal, parseDecimal, pow10, rescale } from './decimal.ts';
import {
  MS_PER_DAY, floorDiv, floorMod, formatDate, formatTime, formatTimestamp, parseDate, parseTime, parseTimestamp,
  truncateToPrecision,
} from './datetime.ts';
import type { ArgCode, EmitContext } from './registry.ts';

const INT_RANGE: Record<string, [number, number]> = {
  TINYINT: [-128, 127], SMALLINT: [-32768, 32767], INT: [-2147483648, 2147483647],
  BIGINT: [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

type Cat = 'bool' | 'int' | 'approx' | 'decimal' | 'string' | 'binary' | 'date' | 'time' | 'ts' | 'interval' | 'other';

function cat(t: SqlType): Cat {
  if (t.kind === 'BOOLEAN') return 'bool';
  if (isIntegerKind(t.kind)) return 'int';
  if (isApproxKind(t.kind)) return 'approx';
  if (t.kind === 'DECIMAL') return 'decimal';
  if (isCharacterKind(t.kind)) return 'string';
  if (isBinaryKind(t.kind)) return 'binary';
  if (t.kind === 'DATE') return 'date';
  if (t.kind === 'TIME') return 'time';
  if (isTimestampKind(t.kind)) return 'ts';
  if (t.kind === 'INTERVAL_DAY_TIME' || t.kind === 'INTERVAL_YEAR_MONTH') return 'interval';
  return 'other';
}

const ALLOWED: Record<Cat, readonly Cat[]> = {
  bool: ['bool', 'int', 'approx', 'decimal', 'string'],
  int: ['bool', 'int', 'approx', 'decimal', 'string', 'interval'],
  approx: ['bool', 'int', 'approx', 'decimal', 'string'],
  decimal: ['bool', 'int', 'approx', 'decimal', 'string'],
  string: ['bool', 'int', 'approx', 'decimal', 'string', 'binary', 'date', 'time', 'ts'],
  binary: ['string', 'binary'],
  date: ['string', 'date', 'ts'],
  time: ['string', 'time'],
  ts: ['string', 'date', 'time', 'ts'],
  interval: ['string', 'interval', 'int'],
  other: ['string'],
};

export function canCast(from: SqlType, to: SqlType): boolean {
  if (from.kind === 'NULL') return true;
  if (typesEqual(from, to, true)) return true;
  return ALLOWED[cat(from)].includes(cat(to));
}

/** The JS expression converting non-NULL `a.v` to `to`; may evaluate to null (TRY_CAST, DECIMAL overflow). */
export function emitCast(a: ArgCode, to: SqlType, safe: boolean, ctx: EmitContext): string {
  const from = a.type, v = a.v, s = String(safe);
  const f = cat(from), t = cat(to);
  if (from.kind === 'NULL') return 'null';
  switch (t) {
    case 'bool':
      if (f === 'bool') return v;
      if (f === 'string') return `rt.castStrToBool(${v}, ${s})`;
      if (f === 'decimal') return `(${v} !== 0n)`;
      return `(${v} !== 0)`;
    case 'int': {
      const [lo, hi] = INT_RANGE[to.kind];
      if (f === 'bool') return `(${v} ? 1 : 0)`;
      if (f === 'int') return wrapInt(v, to.kind);
      if (f === 'approx') return wrapInt(`rt.truncNum(${v})`, to.kind);
      if (f === 'decimal' && from.kind === 'DECIMAL') return wrapInt(`Number(${v} / ${ctx.constant(pow10(from.scale))})`, to.kind);
      if (f === 'string') return `rt.castStrToInt(${v}, ${lo}, ${hi}, ${s})`;
      if (f === 'interval') return v;
      break;
    }
    case 'approx': {
      const fr = to.kind === 'FLOAT' ? 'Math.fround' : '';
      if (f === 'bool') return `(${v} ? 1 : 0)`;
      if (f === 'int' || f === 'approx') return `${fr}(${v})`;
      if (f === 'decimal' && from.kind === 'DECIMAL') return `${fr}(rt.decToNum(${v}, ${from.scale}))`;
      if (f === 'string') return `${fr}(rt.castStrToNum(${v}, ${s}))`;
      break;
    }
    case 'decimal': {
      if (to.kind !== 'DECIMAL') break;
      const p = to.precision, sc = to.scale;
      if (f === 'bool') return `(${v} ? ${ctx.constant(pow10(sc))} : 0n)`;
      if (f === 'int' || f === 'approx') return `rt.numToDec(${v}, ${p}, ${sc})`;
      if (f === 'decimal' && from.kind === 'DECIMAL') return `rt.decToDec(${v}, ${from.scale}, ${p}, ${sc})`;
      if (f === 'string') return `rt.castStrToDec(${v}, ${p}, ${sc}, ${s})`;
      break;
    }
    case 'string': return fitLength(toStringExpr(a, ctx), to);
    case 'binary':
      if (f === 'binary') return v;
      return `rt.utf8Encode(${v})`;
    case 'date':
      if (f === 'string') return `rt.castStrToDate(${v}, ${s})`;
      if (f === 'ts') return `rt.floorDiv(${v}, ${MS_PER_DAY})`;
      return v;
    case 'time':
      if (f === 'string') return `rt.castStrToTime(${v}, ${s})`;
      if (f === 'ts') return `rt.floorMod(Math.floor(${v}), ${MS_PER_DAY})`;
      return v;
    case 'ts': {
      const p = (to as { precision: number }).precision;
      const trunc = (x: string): string => (p >= 3 ? x : `rt.truncTs(${x}, ${p})`);
      if (f === 'string') return trunc(`rt.castStrToTs(${v}, ${s})`);
      if (f === 'date') return `(${v} * ${MS_PER_DAY})`;
      if (f === 'ts') return trunc(v);
      break;
    }
    case 'interval':
      if (f === 'int' || f === 'interval') return v;
      break;
    default: break;
  }
  throw new ExecutionError('CAST_FAILED', `cannot cast ${displayType(from)} to ${displayType(to)}`);
}

function wrapInt(x: string, kind: string): string {
  switch (kind) {
    case 'TINYINT': return `((${x}) << 24 >> 24)`;
    case 'SMALLINT': return `((${x}) << 16 >> 16)`;
    case 'INT': return `((${x}) | 0)`;
    default: return `rt.checkBigint(${x})`;
  }
}

function toStringExpr(a: ArgCode, ctx: EmitContext): string {
  const from = a.type, v = a.v;
  switch (cat(from)) {
    case 'bool': return `(${v} ? 'TRUE' : 'FALSE')`;
    case 'int': return `String(${v})`;
    case 'approx': return `rt.doubleToString(${v})`;
    case 'decimal': return from.kind === 'DECIMAL' ? `rt.formatDecimal(${v}, ${from.scale})` : `String(${v})`;
    case 'string': return v;
    case 'binary': return `rt.utf8Decode(${v})`;
    case 'date': return `rt.formatDate(${v})`;
    case 'time': return `rt.formatTime(${v}, ${(from as { precision: number }).precision})`;
    case 'ts': return `rt.formatTimestamp(${v}, ${(from as { precision: number }).precision})`;
    default: return `rt.jsonString(${v})`;
  }
  void ctx;
}

function fitLength(expr: string, to: SqlType): string {
  if (to.kind === 'CHAR') return `rt.padChar(${expr}, ${to.length})`;
  if (to.kind === 'VARCHAR' && to.length < VARCHAR_LENGTH_MAX) return `rt.truncStr(${expr}, ${to.length})`;
  return expr;
}

function fail(safe: boolean, what: string, value: unknown): null {
  if (safe) return null;
  throw new ExecutionError('CAST_FAILED', `cannot cast '${String(value)}' to ${what}`);
}

/** Java's Double.toString: plain between 1e-3 and 1e7, otherwise d.dddE±n; always a fraction digit. */
export function doubleToString(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const ax = Math.abs(x);
  if (ax >= 1e-3 && ax < 1e7) {
    const s = String(x);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mant, exp] = x.toExponential().split('e');
  return `${mant.includes('.') ? mant : `${mant}.0`}E${Number(exp)}`;
}

export const castRuntime = {
  castStrToBool(s: string, safe: boolean): boolean | null {
    const t = s.trim().toLowerCase();
    if (t === 'true' || t === 't' || t === 'yes' || t === 'y' || t === '1') return true;
    if (t === 'false' || t === 'f' || t === 'no' || t === 'n' || t === '0') return false;
    return fail(safe, 'BOOLEAN', s);
  },
  castStrToInt(s: string, lo: number, hi: number, safe: boolean): number | null {
    const t = s.trim();
    if (!/^[+-]?\d+$/.test(t)) return fail(safe, 'an integer', s);
    const x = Number(t);
    return x < lo || x > hi ? fail(safe, `an integer in [${lo}, ${hi}]`, s) : x;
  },
  castStrToNum(s: string, safe: boolean): number | null {
    const t = s.trim();
    if (t === 'NaN') return NaN;
    if (t === 'Infinity' || t === '+Infinity') return Infinity;
    if (t === '-Infinity') return -Infinity;
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return fail(safe, 'DOUBLE', s);
    return Number(t);
  },
  castStrToDec(s: string, p: number, sc: number, safe: boolean): bigint | null {
    const v = parseDecimal(s, sc);
    if (v === null) return fail(safe, `DECIMAL(${p}, ${sc})`, s);
    return fitPrecision(v, p);
  },
  castStrToDate(s: string, safe: boolean): number | null {
    return parseDate(s) ?? fail(safe, 'DATE', s);
  },
  castStrToTime(s: string, safe: boolean): number | null {
    return parseTime(s) ?? fail(safe, 'TIME', s);
  },
  castStrToTs(s: string, safe: boolean): number | null {
    return parseTimestamp(s) ?? fail(safe, 'TIMESTAMP', s);
  },
  numToDec(x: number, p: number, sc: number): bigint | null {
    const v = decimalFromNumber(x, sc);
    return v === null ? null : fitPrecision(v, p);
  },
  decToDec(v: bigint, from: number, p: number, sc: number): bigint | null {
    return fitPrecision(rescale(v, from, sc), p);
  },
  decToNum: decimalToNumber,
  truncNum(x: number): number {
    return Number.isNaN(x) ? 0 : Math.trunc(x);
  },
  checkBigint(x: number): number {
    if (x > Number.MAX_SAFE_INTEGER || x < -Number.MAX_SAFE_INTEGER) {
      throw new ExecutionError('NUMERIC_OVERFLOW', `BIGINT result ${x} lies outside +-2^53, the exact range Runnel computes in`);
    }
    return x;
  },
  truncTs: truncateToPrecision,
  floorDiv,
  floorMod,
  formatDate,
  formatTime,
  formatTimestamp,
  formatDecimal,
  doubleToString,
  padChar(s: string, n: number): string {
    return s.length >= n ? s.slice(0, n) : s.padEnd(n, ' ');
  },
  truncStr(s: string, n: number): string {
    return s.length > n ? s.slice(0, n) : s;
  },
  utf8Encode(s: string): Uint8Array {
    return new Uint8Array(Buffer.from(s, 'utf8'));
  },
  utf8Decode(b: Uint8Array): string {
    return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');
  },
  jsonString(x: unknown): string {
    return JSON.stringify(x, (_k, val: unknown) => (typeof val === 'bigint' ? val.toString() : val));
  },
};
