/**
 * Parsers from PostgreSQL's text output (with the session settings in `SESSION_OPTIONS`: UTC,
 * ISO dates, ISO-8601 intervals, hex bytea) to the values Debezium puts in change events. Pure
 * functions, one per PostgreSQL type family; `type-mapping.ts` picks them per column.
 */

const MS_PER_DAY = 86_400_000;

/** int64 values: a number while exact, else a bigint (the Connect data model accepts both). */
export function int64(v: bigint | number): number | bigint {
  if (typeof v === 'number') return v;
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

export function parseBool(text: string): boolean {
  return text === 't' || text === 'true';
}

export function parseInt64(text: string): number | bigint {
  return text.length < 16 ? Number(text) : int64(BigInt(text));
}

export function parseFloat(text: string): number {
  return Number(text); // 'NaN', 'Infinity' and '-Infinity' parse as such
}

/** `\x0a0b` → bytes. */
export function parseBytea(text: string): Buffer {
  if (text.startsWith('\\x')) return Buffer.from(text.slice(2), 'hex');
  return parseByteaEscape(text);
}

/** The traditional `escape` bytea format, in case a server forces it. */
function parseByteaEscape(text: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch !== 0x5c) {
      out.push(ch);
    } else if (text[i + 1] === '\\') {
      out.push(0x5c);
      i++;
    } else {
      out.push(parseInt(text.slice(i + 1, i + 4), 8));
      i += 3;
    }
  }
  return Buffer.from(out);
}

interface DateParts {
  y: number;
  m: number;
  d: number;
  /** Index after the date (and after a ` BC` suffix, which only appears at the very end). */
  end: number;
}

function dateParts(text: string): DateParts {
  // YYYY-MM-DD, the year may have more than 4 digits; ' BC' at the end of the whole value.
  const dash1 = text.indexOf('-', 1);
  let y = Number(text.slice(0, dash1));
  const m = Number(text.slice(dash1 + 1, dash1 + 3));
  const d = Number(text.slice(dash1 + 4, dash1 + 6));
  if (text.endsWith(' BC')) y = 1 - y;
  return { y, m, d, end: dash1 + 6 };
}

function epochMs(y: number, m: number, d: number): number {
  const t = Date.UTC(2000, m - 1, d);
  const date = new Date(t);
  date.setUTCFullYear(y); // Date.UTC maps years 0-99 to 1900-1999
  return date.getTime();
}

/** `2024-02-29` → days since 1970-01-01 (io.debezium.time.Date, Connect Date). */
export function parseDateDays(text: string): number {
  if (text === 'infinity') return 2147483647;
  if (text === '-infinity') return -2147483648;
  const p = dateParts(text);
  return Math.round(epochMs(p.y, p.m, p.d) / MS_PER_DAY);
}

/** `HH:MM:SS[.ffffff]` (at `start`) → microseconds since midnight, and where it ended. */
function timeMicros(text: string, start: number): { us: number; end: number } {
  const h = Number(text.slice(start, start + 2));
  const mi = Number(text.slice(start + 3, start + 5));
  const s = Number(text.slice(start + 6, start + 8));
  let us = ((h * 60 + mi) * 60 + s) * 1_000_000;
  let i = start + 8;
  if (text[i] === '.') {
    let j = i + 1;
    while (j < text.length && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
    const digits = text.slice(i + 1, j);
    us += Number((digits + '000000').slice(0, 6));
    i = j;
  }
  return { us, end: i };
}

/** `13:45:00.123456` → microseconds since midnight (MicroTime). */
export function parseTimeMicros(text: string): number {
  return timeMicros(text, 0).us;
}

/** `YYYY-MM-DD HH:MM:SS[.ffffff]` → microseconds since the epoch, as if UTC (MicroTimestamp). */
export function parseTimestampMicros(text: string): number | bigint {
  if (text === 'infinity') return 9223372036825200000n;
  if (text === '-infinity') return -9223372036832400000n;
  const p = dateParts(text);
  const t = timeMicros(text, p.end + 1);
  const ms = epochMs(p.y, p.m, p.d);
  const us = ms * 1000 + t.us;
  return Number.isSafeInteger(us) ? us : BigInt(ms) * 1000n + BigInt(t.us);
}

/** Whole or fractional seconds as exactly `width` fraction digits (none for width 0). */
function fraction(digits: string, width: number): string {
  if (width <= 0) return digits.replace(/0+$/, '') === '' ? '' : `.${digits.replace(/0+$/, '')}`;
  return `.${(digits + '000000000').slice(0, width)}`;
}

/**
 * `2024-01-02 03:04:05.6+00` (TimeZone=UTC) → `2024-01-02T03:04:05.600000Z` (ZonedTimestamp):
 * UTC, ISO-8601, `width` fraction digits as Debezium does for a column of that precision, or
 * Java's ISO formatter (no trailing zeros) when the width is 0.
 */
export function parseTimestamptzIso(text: string, width: number): string {
  if (text === 'infinity' || text === '-infinity') return text;
  const bc = text.endsWith(' BC');
  const body = bc ? text.slice(0, -3) : text;
  const space = body.indexOf(' ');
  const date = body.slice(0, space);
  let i = space + 9;
  let digits = '';
  if (body[i] === '.') {
    let j = i + 1;
    while (j < body.length && body.charCodeAt(j) >= 48 && body.charCodeAt(j) <= 57) j++;
    digits = body.slice(i + 1, j);
    i = j;
  }
  const offset = body.slice(i);
  const hms = body.slice(space + 1, space + 9);
  if (offset === '+00' || offset === '') return `${bc ? '-' : ''}${date}T${hms}${fraction(digits, width)}Z`;
  // A server that ignored our TimeZone: normalise through Date (millisecond precision is kept for the fraction digits we have).
  const ms = Date.parse(`${date}T${hms}${offset.length === 3 ? `${offset}:00` : offset}`);
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 19)}${fraction(digits, width)}Z`;
}

/** `13:45:00.5+02` → `11:45:00.5Z` (ZonedTime: UTC, ISO, no trailing zeros). */
export function parseTimetzIso(text: string): string {
  const t = timeMicros(text, 0);
  const off = text.slice(t.end);
  const sign = off[0] === '-' ? -1 : 1;
  const [oh, om, os] = off.slice(1).split(':').map(Number);
  const offUs = sign * (((oh ?? 0) * 60 + (om ?? 0)) * 60 + (os ?? 0)) * 1_000_000;
  const day = 86_400_000_000;
  const utc = (((t.us - offUs) % day) + day) % day;
  const totalS = Math.floor(utc / 1_000_000);
  const us = utc % 1_000_000;
  const hh = String(Math.floor(totalS / 3600)).padStart(2, '0');
  const mm = String(Math.floor(totalS / 60) % 60).padStart(2, '0');
  const ss = String(totalS % 60).padStart(2, '0');
  return `${hh}:${mm}:${ss}${fraction(String(us).padStart(6, '0'), 0)}Z`;
}

/** Days per month Debezium's MicroDuration assumes. */
const DAYS_PER_MONTH_AVG = 365.25 / 12;

/**
 * ISO-8601 interval (`P1Y2M3DT4H5M6.5S`, parts may be negative) → approximate microseconds,
 * as Debezium's MicroDuration computes them (a month is 365.25/12 days).
 */
export function parseIntervalMicros(text: string): number {
  const m = /^P(?:(-?\d+)Y)?(?:(-?\d+)M)?(?:(-?\d+)D)?(?:T(?:(-?\d+)H)?(?:(-?\d+)M)?(?:(-?[\d.]+)S)?)?$/.exec(text);
  if (!m) throw new Error(`unexpected interval text '${text}'`);
  const n = (i: number) => (m[i] === undefined ? 0 : Number(m[i]));
  const days = (n(1) * 12 + n(2)) * DAYS_PER_MONTH_AVG + n(3);
  const seconds = ((days * 24 + n(4)) * 60 + n(5)) * 60 + n(6);
  return Math.trunc(seconds * 1e6);
}

/** `$1,234.56` / `-$1,234.56` → `1234.56`. */
export function parseMoney(text: string): string {
  const negative = text.includes('-') || text.startsWith('(');
  const digits = text.replace(/[^0-9.]/g, '');
  return negative ? `-${digits}` : digits;
}

/** A decimal string with exactly `scale` fraction digits (PostgreSQL's numeric(p,s) output already is). */
export function decimalWithScale(text: string, scale: number): string {
  const dot = text.indexOf('.');
  const have = dot < 0 ? 0 : text.length - dot - 1;
  if (have === scale) return text;
  if (have < scale) return (dot < 0 ? `${text}.` : text) + '0'.repeat(scale - have);
  return scale === 0 ? text.slice(0, dot) : text.slice(0, dot + 1 + scale);
}

/** Debezium's VariableScaleDecimal: `{ scale, value }`, value the unscaled integer in big-endian two's complement. */
export function parseVariableScaleDecimal(text: string): { scale: number; value: Buffer } {
  const dot = text.indexOf('.');
  const scale = dot < 0 ? 0 : text.length - dot - 1;
  const unscaled = BigInt(dot < 0 ? text : text.slice(0, dot) + text.slice(dot + 1));
  return { scale, value: bigIntToTwosComplement(unscaled) };
}

/** Java's `BigInteger.toByteArray()`: the shortest big-endian two's complement form. */
export function bigIntToTwosComplement(v: bigint): Buffer {
  let bytes = 1;
  while (v >= 1n << BigInt(bytes * 8 - 1) || v < -(1n << BigInt(bytes * 8 - 1))) bytes++;
  const unsigned = v < 0n ? (1n << BigInt(bytes * 8)) + v : v;
  return Buffer.from(unsigned.toString(16).padStart(bytes * 2, '0'), 'hex');
}

/** `0101` (bit string, first bit most significant) → Debezium's Bits: little-endian bytes of that number. */
export function parseBits(text: string, length: number): Buffer {
  const size = Math.max(1, Math.ceil(Math.max(length, text.length) / 8));
  let v = text === '' ? 0n : BigInt(`0b${text}`);
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** Array nesting accepted from `parseArray` (PostgreSQL's own limit is 6 dimensions). */
export const ARRAY_DEPTH_MAX = 6;

/**
 * A PostgreSQL array literal (`{1,NULL,"a \"b\""}`) → its elements' texts (null for NULL).
 * Multi-dimensional arrays are flattened in row-major order; a leading dimension decoration
 * (`[0:1]={...}`) is skipped.
 */
export function parseArray(text: string): (string | null)[] {
  let i = text.indexOf('{');
  if (i < 0) throw new Error(`not an array literal: '${text.slice(0, 40)}'`);
  const out: (string | null)[] = [];
  let depth = 0;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (ch === '{') {
      depth++;
      if (depth > ARRAY_DEPTH_MAX) throw new Error('array nested too deeply');
    } else if (ch === '}') {
      depth--;
    } else if (ch === ',' || ch === ' ') {
      continue;
    } else if (ch === '"') {
      let s = '';
      for (i++; i < text.length && text[i] !== '"'; i++) s += text[i] === '\\' ? text[++i] : text[i];
      out.push(s);
    } else {
      let j = i;
      while (j < text.length && text[j] !== ',' && text[j] !== '}') j++;
      const s = text.slice(i, j);
      out.push(s === 'NULL' ? null : s);
      i = j - 1;
    }
  }
  return out;
}
