/**
 * Exact DECIMAL arithmetic over unscaled `bigint`s, and Flink's result-type rules
 * (`LogicalTypeMerging.findAdditionDecimalType` etc.: the SQL Server-style rules, capped at 38
 * digits while keeping at least 6 fraction digits). Rounding is HALF_UP, as Java's BigDecimal in
 * Flink. A result that does not fit its precision is NULL, as in Flink.
 */
import { DECIMAL_PRECISION_MAX } from '../types.ts';
import { ExecutionError } from '../errors.ts';

const POW10: bigint[] = [];
for (let i = 0, p = 1n; i <= 2 * DECIMAL_PRECISION_MAX + 2; i++, p *= 10n) POW10.push(p);

export function pow10(n: number): bigint {
  return POW10[n] ?? 10n ** BigInt(n);
}

export interface DecimalShape {
  readonly precision: number;
  readonly scale: number;
}

/** Caps a (precision, scale) at 38 digits, keeping up to 6 fraction digits (Flink's rule). */
export function adjustPrecisionScale(precision: number, scale: number): DecimalShape {
  if (precision <= DECIMAL_PRECISION_MAX) return { precision, scale };
  const intDigits = precision - scale;
  const minScale = Math.min(scale, 6);
  return { precision: DECIMAL_PRECISION_MAX, scale: Math.max(DECIMAL_PRECISION_MAX - intDigits, minScale) };
}

export const decimalAddType = (a: DecimalShape, b: DecimalShape): DecimalShape => {
  const scale = Math.max(a.scale, b.scale);
  return adjustPrecisionScale(Math.max(a.precision - a.scale, b.precision - b.scale) + scale + 1, scale);
};
export const decimalMultiplyType = (a: DecimalShape, b: DecimalShape): DecimalShape =>
  adjustPrecisionScale(a.precision + b.precision + 1, a.scale + b.scale);
export const decimalDivideType = (a: DecimalShape, b: DecimalShape): DecimalShape => {
  const scale = Math.max(6, a.scale + b.precision + 1);
  return adjustPrecisionScale(a.precision - a.scale + b.scale + scale, scale);
};
export const decimalModType = (a: DecimalShape, b: DecimalShape): DecimalShape => {
  const scale = Math.max(a.scale, b.scale);
  return adjustPrecisionScale(Math.min(a.precision - a.scale, b.precision - b.scale) + scale, scale);
};

/** Divides by 10^digits rounding HALF_UP (away from zero on .5). */
export function roundDownDigits(v: bigint, digits: number): bigint {
  if (digits <= 0) return v * pow10(-digits);
  const d = pow10(digits);
  const q = v / d;
  const r = v - q * d;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice >= d) return v < 0n ? q - 1n : q + 1n;
  return q;
}

/** Moves `v` from scale `from` to scale `to` (HALF_UP when digits are dropped). */
export function rescale(v: bigint, from: number, to: number): bigint {
  return to >= from ? v * pow10(to - from) : roundDownDigits(v, from - to);
}

/** `v` if it fits `precision` digits, else null (Flink's overflow result). */
export function fitPrecision(v: bigint, precision: number): bigint | null {
  const lim = pow10(precision);
  return v >= lim || v <= -lim ? null : v;
}

/** (a / b) at result scale, where a has scale sa and b scale sb. HALF_UP. */
export function decimalDivide(a: bigint, sa: number, b: bigint, sb: number, scale: number): bigint {
  if (b === 0n) throw new ExecutionError('DIVISION_BY_ZERO', 'Division by zero');
  const shift = scale - sa + sb;
  let num = a, den = b;
  if (shift >= 0) num *= pow10(shift);
  else den *= pow10(-shift);
  if (den < 0n) { num = -num; den = -den; }
  const q = num / den;
  const r = num - q * den;
  if ((r < 0n ? -r : r) * 2n >= den) return num < 0n ? q - 1n : q + 1n;
  return q;
}

/** Parses '12.345', '-0.5', '1e3' into an unscaled bigint at `scale` (HALF_UP). Null if not a number. */
export function parseDecimal(text: string, scale: number): bigint | null {
  const m = /^\s*([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(text);
  if (m === null || ((m[2] ?? '') === '' && (m[3] ?? '') === '')) return null;
  const intPart = m[2] ?? '';
  const frac = m[3] ?? '';
  const exp = m[4] === undefined ? 0 : Number(m[4]);
  let v = BigInt((intPart + frac) || '0');
  const srcScale = frac.length - exp;
  v = rescale(v, srcScale, scale);
  return m[1] === '-' ? -v : v;
}

/** Formats an unscaled value: formatDecimal(-5n, 2) === '-0.05'. */
export function formatDecimal(v: bigint, scale: number): string {
  const neg = v < 0n;
  let digits = (neg ? -v : v).toString();
  if (scale > 0) {
    if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
    digits = `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  }
  return neg ? `-${digits}` : digits;
}

/** Exact conversion of a JS number (integer or double) to an unscaled decimal at `scale`. */
export function decimalFromNumber(x: number, scale: number): bigint | null {
  if (!Number.isFinite(x)) return null;
  if (Number.isInteger(x) && Math.abs(x) <= Number.MAX_SAFE_INTEGER) return BigInt(x) * pow10(scale);
  // Doubles go through their shortest round-trip decimal text, like Java's BigDecimal.valueOf.
  return parseDecimal(String(x), scale);
}

export function decimalToNumber(v: bigint, scale: number): number {
  if (scale === 0) return Number(v);
  return Number(formatDecimal(v, scale));
}
