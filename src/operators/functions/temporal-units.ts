/**
 * Time-unit arithmetic behind EXTRACT, FLOOR/CEIL(ts TO unit), TIMESTAMPADD and TIMESTAMPDIFF.
 * Values are epoch milliseconds (TIMESTAMP, TIMESTAMP_LTZ at UTC) or epoch days (DATE).
 */
import { ExecutionError } from '../errors.ts';
import {
  MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, MS_PER_SECOND, addMonthsToMs, civilFromDays, daysFromCivil, floorDiv,
  floorMod,
} from './datetime.ts';

export const TIME_UNITS = ['MILLISECOND', 'SECOND', 'MINUTE', 'HOUR', 'DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR'] as const;

const FIXED_MS: Record<string, number> = {
  MILLISECOND: 1, SECOND: MS_PER_SECOND, MINUTE: MS_PER_MINUTE, HOUR: MS_PER_HOUR, DAY: MS_PER_DAY, WEEK: 7 * MS_PER_DAY,
};
const MONTHS: Record<string, number> = { MONTH: 1, QUARTER: 3, YEAR: 12 };

function badUnit(unit: string, fn: string): never {
  throw new ExecutionError('INVALID_ARGUMENT', `${fn} does not support time unit '${unit}'; use one of ${TIME_UNITS.join(', ')}`);
}

/** FLOOR(x TO unit). Weeks start on Sunday, as in Calcite/Flink. */
export function floorTimestamp(x: number, unit: string, isDate: boolean): number {
  const ms = isDate ? x * MS_PER_DAY : x;
  let r: number;
  if (unit === 'WEEK') {
    const days = floorDiv(ms, MS_PER_DAY);
    r = (days - floorMod(days + 4, 7)) * MS_PER_DAY; // 1970-01-01 was a Thursday (dow 4 from Sunday)
  } else if (FIXED_MS[unit] !== undefined) {
    r = floorDiv(ms, FIXED_MS[unit]) * FIXED_MS[unit];
  } else if (MONTHS[unit] !== undefined) {
    const [y, m] = civilFromDays(floorDiv(ms, MS_PER_DAY));
    const m0 = unit === 'YEAR' ? 1 : unit === 'QUARTER' ? m - ((m - 1) % 3) : m;
    r = daysFromCivil(y, m0, 1) * MS_PER_DAY;
  } else return badUnit(unit, 'FLOOR');
  return isDate ? floorDiv(r, MS_PER_DAY) : r;
}

export function ceilTimestamp(x: number, unit: string, isDate: boolean): number {
  const f = floorTimestamp(x, unit, isDate);
  if (f === x) return x;
  if (MONTHS[unit] !== undefined) {
    const up = addMonthsToMs(isDate ? f * MS_PER_DAY : f, MONTHS[unit]);
    return isDate ? floorDiv(up, MS_PER_DAY) : up;
  }
  const step = FIXED_MS[unit];
  return isDate ? f + step / MS_PER_DAY : f + step;
}

/** EXTRACT(unit FROM x) as BIGINT; DOW is 1 (Sunday) .. 7, WEEK the ISO week, MILLISECOND includes seconds. */
export function extractField(unit: string, x: number, kind: 'DATE' | 'TIME' | 'TIMESTAMP'): number {
  const ms = kind === 'DATE' ? x * MS_PER_DAY : x;
  const days = kind === 'TIME' ? 0 : floorDiv(ms, MS_PER_DAY);
  const tod = floorMod(ms, MS_PER_DAY);
  switch (unit) {
    case 'YEAR': return civilFromDays(days)[0];
    case 'QUARTER': return Math.floor((civilFromDays(days)[1] - 1) / 3) + 1;
    case 'MONTH': return civilFromDays(days)[1];
    case 'DAY': return civilFromDays(days)[2];
    case 'DOW': return floorMod(days + 4, 7) + 1;
    case 'ISODOW': return floorMod(days + 3, 7) + 1;
    case 'DOY': {
      const [y] = civilFromDays(days);
      return days - daysFromCivil(y, 1, 1) + 1;
    }
    case 'WEEK': return isoWeek(days);
    case 'HOUR': return Math.floor(tod / MS_PER_HOUR);
    case 'MINUTE': return Math.floor(tod / MS_PER_MINUTE) % 60;
    case 'SECOND': return Math.floor(tod / MS_PER_SECOND) % 60;
    case 'MILLISECOND': return Math.floor(floorMod(ms, MS_PER_MINUTE));
    case 'MICROSECOND': return Math.floor(floorMod(ms, MS_PER_MINUTE) * 1000);
    case 'EPOCH': return floorDiv(ms, MS_PER_SECOND);
    case 'CENTURY': { const y = civilFromDays(days)[0]; return y > 0 ? Math.floor((y + 99) / 100) : -Math.floor((-y + 99) / 100); }
    case 'MILLENNIUM': { const y = civilFromDays(days)[0]; return y > 0 ? Math.floor((y + 999) / 1000) : -Math.floor((-y + 999) / 1000); }
    case 'DECADE': return Math.floor(civilFromDays(days)[0] / 10);
    default: return badUnit(unit, 'EXTRACT');
  }
}

function isoWeek(days: number): number {
  const isoDow = floorMod(days + 3, 7) + 1; // Monday 1 .. Sunday 7
  const thursday = days - isoDow + 4;
  const [y] = civilFromDays(thursday);
  return Math.floor((thursday - daysFromCivil(y, 1, 1)) / 7) + 1;
}

/** TIMESTAMPADD(unit, n, x). */
export function timestampAdd(unit: string, n: number, x: number, isDate: boolean): number {
  const ms = isDate ? x * MS_PER_DAY : x;
  let r: number;
  if (FIXED_MS[unit] !== undefined) r = ms + n * FIXED_MS[unit];
  else if (MONTHS[unit] !== undefined) r = addMonthsToMs(ms, n * MONTHS[unit]);
  else return badUnit(unit, 'TIMESTAMPADD');
  return isDate ? floorDiv(r, MS_PER_DAY) : r;
}

/** TIMESTAMPDIFF(unit, a, b): whole units from a to b, truncated toward zero. */
export function timestampDiff(unit: string, a: number, b: number, aIsDate: boolean, bIsDate: boolean): number {
  const x = aIsDate ? a * MS_PER_DAY : a, y = bIsDate ? b * MS_PER_DAY : b;
  if (FIXED_MS[unit] !== undefined) return Math.trunc((y - x) / FIXED_MS[unit]);
  if (MONTHS[unit] === undefined) return badUnit(unit, 'TIMESTAMPDIFF');
  const months = monthsBetween(x, y);
  return Math.trunc(months / MONTHS[unit]);
}

function monthsBetween(x: number, y: number): number {
  const [y1, m1] = civilFromDays(floorDiv(x, MS_PER_DAY));
  const [y2, m2] = civilFromDays(floorDiv(y, MS_PER_DAY));
  let months = (y2 - y1) * 12 + (m2 - m1);
  // A partial month does not count: compare the rest of each timestamp within its month.
  const shifted = addMonthsToMs(x, months);
  if (months > 0 && shifted > y) months -= 1;
  else if (months < 0 && shifted < y) months += 1;
  return months;
}
