/**
 * Literals as Flink types them: `10` is INT NOT NULL, `3000000000` BIGINT, `0.908`
 * DECIMAL(3, 3), `1.5E3` DOUBLE, `'abc'` VARCHAR(3) NOT NULL (Flink says CHAR(3); VARCHAR avoids
 * CHAR padding in CASE results), intervals as milliseconds or months.
 */
import { E, T } from '../../operators/index.ts';
import type { PhysicalExpr } from '../../operators/index.ts';
import type { IntervalLiteralNode, IntervalQualifier, NumericLiteralNode, TimeUnit } from '../../sql/index.ts';
import { PlanError } from '../errors.ts';

const INT_MAX = 2_147_483_647;

export function numericLiteral(n: NumericLiteralNode): PhysicalExpr {
  const text = n.text;
  if (/[eE]/.test(text)) return E.lit(Number(text), T.double(false));
  if (/^\d+$/.test(text)) {
    const v = BigInt(text);
    if (v <= BigInt(INT_MAX)) return E.lit(Number(v), T.int(false));
    if (v <= 9_223_372_036_854_775_807n) return E.lit(Number(v), T.bigint(false));
    if (text.length > 38) throw new PlanError(`numeric literal ${text} is out of range`, n.pos);
    return E.lit(text, T.decimal(text.length, 0, false));
  }
  const [whole, frac = ''] = text.split('.');
  const digits = (whole.replace(/^0+/, '') + frac).length;
  const scale = frac.length;
  const precision = Math.max(digits, scale, 1);
  if (precision > 38) throw new PlanError(`numeric literal ${text} has more than 38 digits`, n.pos);
  return E.lit(text.startsWith('.') ? `0${text}` : text, T.decimal(precision, scale, false));
}

export function stringLiteral(value: string): PhysicalExpr {
  return E.lit(value, T.varchar(Math.max(1, value.length), false));
}

const MS: Partial<Record<TimeUnit, number>> = {
  WEEK: 7 * 86_400_000, DAY: 86_400_000, HOUR: 3_600_000, MINUTE: 60_000, SECOND: 1000, MILLISECOND: 1,
};
const DAY_TIME_ORDER: readonly TimeUnit[] = ['DAY', 'HOUR', 'MINUTE', 'SECOND'];

/** `INTERVAL '10' SECOND` -> 10000 ms; `INTERVAL '1-2' YEAR TO MONTH` -> 14 months. */
export function intervalLiteral(n: IntervalLiteralNode): PhysicalExpr {
  const q = n.qualifier;
  if (q.from === 'YEAR' || q.from === 'MONTH') return E.lit(yearMonth(n.value, q, n), T.intervalYearMonth(false));
  return E.lit(dayTimeMs(n.value, q, n), T.intervalDayTime(false));
}

/** An interval literal's length in milliseconds, for window sizes and watermark delays. */
export function intervalMs(n: IntervalLiteralNode): number {
  const q = n.qualifier;
  if (q.from === 'YEAR' || q.from === 'MONTH') throw new PlanError('a year-month interval has no fixed length; use DAY, HOUR, MINUTE or SECOND', n.pos);
  return dayTimeMs(n.value, q, n);
}

function yearMonth(text: string, q: IntervalQualifier, n: IntervalLiteralNode): number {
  const sign = text.trim().startsWith('-') ? -1 : 1;
  const parts = text.trim().replace(/^[-+]/, '').split('-').map(Number);
  if (parts.some((p) => !Number.isInteger(p))) throw new PlanError(`invalid interval '${text}'`, n.pos);
  if (q.to === 'MONTH' && q.from === 'YEAR') return sign * ((parts[0] ?? 0) * 12 + (parts[1] ?? 0));
  return sign * (q.from === 'YEAR' ? parts[0] * 12 : parts[0]);
}

function dayTimeMs(text: string, q: IntervalQualifier, n: IntervalLiteralNode): number {
  const bad = (): never => {
    throw new PlanError(`invalid interval '${text}' ${q.from}${q.to === undefined ? '' : ` TO ${q.to}`}`, n.pos);
  };
  const trimmed = text.trim();
  const sign = trimmed.startsWith('-') ? -1 : 1;
  const parts = trimmed.replace(/^[-+]/, '').split(/[ :]/);
  if (q.to === undefined) {
    const unit = MS[q.from];
    const v = Number(parts[0]);
    if (unit === undefined || parts.length !== 1 || !Number.isFinite(v)) return bad();
    return sign * Math.round(v * unit);
  }
  const start = DAY_TIME_ORDER.indexOf(q.from), end = DAY_TIME_ORDER.indexOf(q.to);
  if (start < 0 || end < start || parts.length !== end - start + 1) return bad();
  let ms = 0;
  parts.forEach((p, i) => {
    const v = Number(p);
    if (!Number.isFinite(v)) bad();
    ms += v * (MS[DAY_TIME_ORDER[start + i]] as number);
  });
  return sign * Math.round(ms);
}
