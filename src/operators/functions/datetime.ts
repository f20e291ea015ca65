/**
 * Calendar arithmetic on epoch numbers, shared by casts and temporal functions. Runnel's session
 * time zone is UTC: TIMESTAMP (wall clock) and TIMESTAMP_LTZ (instant) share the epoch-ms
 * representation, and converting between them is the identity.
 *
 * Civil-date conversion follows Howard Hinnant's `days_from_civil` / `civil_from_days`
 * algorithms (proleptic Gregorian calendar, as java.time).
 */
export const MS_PER_SECOND = 1000;
export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** [year, month 1-12, day 1-31] of an epoch day. */
export function civilFromDays(z: number): [number, number, number] {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

export const floorDiv = (a: number, b: number): number => Math.floor(a / b);
export const floorMod = (a: number, b: number): number => a - Math.floor(a / b) * b;

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

/** Adds calendar months, clamping the day to the month's end (Jan 31 + 1 month = Feb 28/29). */
export function addMonthsToMs(ms: number, months: number): number {
  const days = floorDiv(ms, MS_PER_DAY);
  const rest = ms - days * MS_PER_DAY;
  return addMonthsToDays(days, months) * MS_PER_DAY + rest;
}

export function addMonthsToDays(days: number, months: number): number {
  const [y, m, d] = civilFromDays(days);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = total - ny * 12 + 1;
  return daysFromCivil(ny, nm, Math.min(d, daysInMonth(ny, nm)));
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

export function formatDate(days: number): string {
  const [y, m, d] = civilFromDays(days);
  return `${y < 0 ? '-' + pad(-y, 4) : pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

/** TIME as Flink prints it: HH:mm:ss, with `precision` fraction digits. */
export function formatTime(msOfDay: number, precision: number): string {
  const h = Math.floor(msOfDay / MS_PER_HOUR), mi = Math.floor(msOfDay / MS_PER_MINUTE) % 60, s = Math.floor(msOfDay / 1000) % 60;
  const base = `${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}`;
  return precision > 0 ? `${base}.${fraction(msOfDay, precision)}` : base;
}

function fraction(ms: number, precision: number): string {
  const frac = floorMod(ms, 1000);
  const nanos = Math.round(frac * 1_000_000);
  return pad(nanos, 9).slice(0, precision);
}

/** TIMESTAMP as Flink prints it: `yyyy-MM-dd HH:mm:ss[.fff...]`, padded to `precision` digits. */
export function formatTimestamp(ms: number, precision: number): string {
  const days = floorDiv(ms, MS_PER_DAY);
  const rest = ms - days * MS_PER_DAY;
  const base = `${formatDate(days)} ${formatTime(Math.floor(rest), 0)}`;
  return precision > 0 ? `${base}.${fraction(rest, precision)}` : base;
}

const DATE_RE = /^\s*(-?\d{1,9})-(\d{1,2})-(\d{1,2})\s*$/;
const TIME_RE = /^\s*(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,9}))?)?\s*$/;
const TS_RE = /^\s*(-?\d{1,9})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,9}))?)?)?\s*(Z)?\s*$/;

function fracMs(f: string | undefined): number {
  if (f === undefined || f === '') return 0;
  return Number(f.padEnd(9, '0')) / 1_000_000;
}

/** Epoch day of 'yyyy-MM-dd', or null when not a valid date. */
export function parseDate(s: string): number | null {
  const m = DATE_RE.exec(s);
  if (m === null) return null;
  const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  return daysFromCivil(y, mo, d);
}

export function parseTime(s: string): number | null {
  const m = TIME_RE.exec(s);
  if (m === null) return null;
  const h = Number(m[1]), mi = Number(m[2]), sec = Number(m[3] ?? 0);
  if (h > 23 || mi > 59 || sec > 59) return null;
  return h * MS_PER_HOUR + mi * MS_PER_MINUTE + sec * 1000 + Math.floor(fracMs(m[4]));
}

/** Epoch ms of 'yyyy-MM-dd[ HH:mm[:ss[.fffffffff]]]' (also with 'T'), or null. */
export function parseTimestamp(s: string): number | null {
  const m = TS_RE.exec(s);
  if (m === null) return null;
  const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  const h = Number(m[4] ?? 0), mi = Number(m[5] ?? 0), sec = Number(m[6] ?? 0);
  if (h > 23 || mi > 59 || sec > 59) return null;
  return daysFromCivil(y, mo, d) * MS_PER_DAY + h * MS_PER_HOUR + mi * MS_PER_MINUTE + sec * 1000 + fracMs(m[7]);
}

/** Truncates epoch ms to a TIMESTAMP(p) with p < 3 (TIMESTAMP(0) keeps whole seconds). */
export function truncateToPrecision(ms: number, precision: number): number {
  if (precision >= 3) return ms;
  const unit = 10 ** (3 - precision);
  return Math.floor(ms / unit) * unit;
}
