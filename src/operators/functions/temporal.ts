/**
 * Temporal functions (Flink docs, "Temporal Functions"): DATE_FORMAT, EXTRACT and the field
 * shortcuts (YEAR, MONTH, DAYOFMONTH, HOUR, ...), TIMESTAMPADD, TIMESTAMPDIFF, TO_TIMESTAMP,
 * TO_TIMESTAMP_LTZ, TO_DATE, UNIX_TIMESTAMP, FROM_UNIXTIME, NOW/CURRENT_TIMESTAMP. Time units
 * are passed as a string literal argument ('HOUR'). The session time zone is UTC.
 */
import { T, isTimestampKind, withoutTimeAttribute } from '../types.ts';
import type { SqlType } from '../types.ts';
import { formatTimestamp, parseDate, parseTimestamp, MS_PER_DAY } from './datetime.ts';
import { formatWithPattern, parseWithPattern, patternUnitMs } from './date-format.ts';
import { TimeBucketMemo } from './memo.ts';
import { extractField, timestampAdd, timestampDiff } from './temporal-units.ts';
import { defineFunction } from './registry.ts';
import type { ArgCode, FunctionRegistry } from './registry.ts';

const bigint = (): SqlType => T.bigint();
const DEFAULT_FORMAT = 'yyyy-MM-dd HH:mm:ss';

function patternUnitMsOrNull(pattern: string): number | null {
  try {
    return patternUnitMs(pattern);
  } catch {
    return null;
  }
}

function kindOf(a: ArgCode): 'DATE' | 'TIME' | 'TIMESTAMP' {
  return a.type.kind === 'DATE' ? 'DATE' : a.type.kind === 'TIME' ? 'TIME' : 'TIMESTAMP';
}

function field(name: string, unit: string) {
  return defineFunction(name, 'temporal', [{ params: ['datetime'], ret: bigint }, { params: ['time'], ret: bigint }],
    ([a]) => `rt.extractField('${unit}', ${a.v}, '${kindOf(a)}')`);
}

export function registerTemporal(r: FunctionRegistry): void {
  r.register(defineFunction('EXTRACT', 'temporal', [{ params: ['string', 'datetime'], ret: bigint }, { params: ['string', 'time'], ret: bigint }],
    ([u, a]) => `rt.extractField(${u.v}.toUpperCase(), ${a.v}, '${kindOf(a)}')`));
  for (const [name, unit] of [
    ['YEAR', 'YEAR'], ['QUARTER', 'QUARTER'], ['MONTH', 'MONTH'], ['WEEK', 'WEEK'], ['DAYOFYEAR', 'DOY'],
    ['DAYOFMONTH', 'DAY'], ['DAYOFWEEK', 'DOW'], ['HOUR', 'HOUR'], ['MINUTE', 'MINUTE'], ['SECOND', 'SECOND'],
  ] as const) r.register(field(name, unit));

  r.register(defineFunction('DATE_FORMAT', 'temporal', [
    { params: ['timestamp', 'string'], ret: () => T.string() },
    { params: ['string', 'string'], ret: () => T.string() },
  ], ([a, f], _ret, ctx) => {
    if (a.type.kind === 'VARCHAR' || a.type.kind === 'CHAR') return `rt.dateFormatString(${a.v}, ${f.v})`;
    // A literal pattern: rows in the same day (minute, ...) reuse the last formatted string.
    const pattern = f.constant?.value;
    const unit = typeof pattern === 'string' ? patternUnitMsOrNull(pattern) : null;
    if (unit === null) return `rt.formatWithPattern(${a.v}, ${f.v})`; // a bad pattern fails per row, as before
    return `${ctx.constant(new TimeBucketMemo(unit, (ms) => formatWithPattern(ms, pattern as string)))}.get(${a.v})`;
  }, { mayReturnNull: true }));

  r.register(defineFunction('TIMESTAMPADD', 'temporal', [{ params: ['string', 'integer', 'datetime'], ret: (args) => args[2] }],
    ([u, n, a]) => `rt.timestampAdd(${u.v}.toUpperCase(), ${n.v}, ${a.v}, ${a.type.kind === 'DATE'})`));
  r.register(defineFunction('TIMESTAMPDIFF', 'temporal', [{ params: ['string', 'datetime', 'datetime'], ret: () => T.int() }],
    ([u, a, b]) => `rt.timestampDiff(${u.v}.toUpperCase(), ${a.v}, ${b.v}, ${a.type.kind === 'DATE'}, ${b.type.kind === 'DATE'})`));

  r.register(defineFunction('CONVERT_TZ', 'temporal', [{ params: ['string', 'string', 'string'], ret: () => T.string() }],
    ([t, from, to]) => `rt.convertTz(${t.v}, ${from.v}, ${to.v})`, { mayReturnNull: true }));
  r.register(defineFunction('TO_TIMESTAMP', 'temporal', [{ params: ['string', 'string'], optional: 1, ret: () => T.timestamp(3) }],
    ([s, f]) => (f === undefined ? `rt.parseTimestamp(${s.v})` : `rt.parseWithPattern(${s.v}, ${f.v})`), { mayReturnNull: true }));
  r.register(defineFunction('TO_TIMESTAMP_LTZ', 'temporal', [{ params: ['numeric', 'integer'], optional: 1, ret: () => T.timestampLtz(3) }],
    ([x, p]) => `rt.toTimestampLtz(${x.type.kind === 'DECIMAL' ? `rt.decToNum(${x.v}, ${x.type.scale})` : x.v}, ${p === undefined ? 3 : p.v})`,
    { mayReturnNull: true }));
  r.register(defineFunction('TO_DATE', 'temporal', [{ params: ['string', 'string'], optional: 1, ret: () => T.date() }],
    ([s, f]) => (f === undefined ? `rt.parseDate(${s.v})` : `rt.toDateWithPattern(${s.v}, ${f.v})`), { mayReturnNull: true }));
  r.register(defineFunction('UNIX_TIMESTAMP', 'temporal', [
    { params: [], ret: bigint },
    { params: ['string', 'string'], optional: 1, ret: bigint },
  ], (args) => {
    if (args.length === 0) return 'Math.floor(Date.now() / 1000)';
    return `rt.unixTimestamp(${args[0].v}, ${args[1]?.v ?? `'${DEFAULT_FORMAT}'`})`;
  }, { mayReturnNull: true, deterministic: false }));
  r.register(defineFunction('FROM_UNIXTIME', 'temporal', [{ params: ['integer', 'string'], optional: 1, ret: () => T.string() }],
    ([x, f]) => `rt.formatWithPattern(${x.v} * 1000, ${f?.v ?? `'${DEFAULT_FORMAT}'`})`));
  for (const name of ['NOW', 'CURRENT_TIMESTAMP', 'LOCALTIMESTAMP']) {
    const ltz = name !== 'LOCALTIMESTAMP';
    r.register(defineFunction(name, 'temporal', [{ params: [], ret: () => (ltz ? T.timestampLtz(3, false) : T.timestamp(3, false)) }],
      () => 'Date.now()', { deterministic: false }));
  }
  // The watermark of the operator evaluating the call; the argument only gives the type.
  r.register({
    name: 'CURRENT_WATERMARK', family: 'temporal', signatures: ['CURRENT_WATERMARK(<rowtime attribute>)'],
    returnType: (args) => (args.length === 1 && isTimestampKind(args[0].kind) ? { ...withoutTimeAttribute(args[0]), nullable: true } as SqlType : null),
    nulls: 'custom', deterministic: false,
    emitCustom: (_args, _ret, ctx) => {
      const v = ctx.fresh();
      return { code: `const ${v} = rt.currentWatermark();`, v, n: `(${v} === null)`, type: _ret };
    },
  });
  r.register(defineFunction('CURRENT_DATE', 'temporal', [{ params: [], ret: () => T.date(false) }],
    () => `Math.floor(Date.now() / ${MS_PER_DAY})`, { deterministic: false }));
}

/**
 * The watermark operators evaluating expressions have seen (set before each batch, operators run
 * synchronously): what CURRENT_WATERMARK returns, NULL before the first watermark (Flink).
 */
export const evaluationWatermark = { ms: -Infinity };

/** Java's three-letter zone ids (ZoneId.SHORT_IDS), which Flink's CONVERT_TZ accepts, as IANA zones. */
const JAVA_SHORT_IDS: Readonly<Record<string, string>> = {
  ACT: 'Australia/Darwin', AET: 'Australia/Sydney', AGT: 'America/Argentina/Buenos_Aires', ART: 'Africa/Cairo',
  AST: 'America/Anchorage', BET: 'America/Sao_Paulo', BST: 'Asia/Dhaka', CAT: 'Africa/Harare', CNT: 'America/St_Johns',
  CST: 'America/Chicago', CTT: 'Asia/Shanghai', EAT: 'Africa/Addis_Ababa', ECT: 'Europe/Paris', IET: 'America/Indiana/Indianapolis',
  IST: 'Asia/Kolkata', JST: 'Asia/Tokyo', MIT: 'Pacific/Apia', NET: 'Asia/Yerevan', NST: 'Pacific/Auckland', PLT: 'Asia/Karachi',
  PNT: 'America/Phoenix', PRT: 'America/Puerto_Rico', PST: 'America/Los_Angeles', SST: 'Pacific/Guadalcanal', VST: 'Asia/Ho_Chi_Minh',
  EST: '-05:00', MST: '-07:00', HST: '-10:00',
};

/** Formatters per time zone (an unknown zone id maps to UTC, as Java's TimeZone.getTimeZone does in Flink). */
const zoneFormatters = new Map<string, Intl.DateTimeFormat>();

function zoneFormatter(zone: string): Intl.DateTimeFormat {
  let f = zoneFormatters.get(zone);
  if (f === undefined) {
    const options: Intl.DateTimeFormatOptions = { hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' };
    try {
      f = new Intl.DateTimeFormat('en-US', { ...options, timeZone: zone });
    } catch {
      f = new Intl.DateTimeFormat('en-US', { ...options, timeZone: 'UTC' });
    }
    if (zoneFormatters.size < 1024) zoneFormatters.set(zone, f);
  }
  return f;
}

/** Java's custom zone ids, `GMT+05:00`, `UTC-8`, `+0530`: a fixed offset in ms, else null. */
function fixedOffsetMs(zone: string): number | null {
  const m = /^(?:GMT|UTC)?([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(zone);
  if (m === null) return null;
  const h = Number(m[2]), min = Number(m[3] ?? 0);
  if (h > 23 || min > 59) return null;
  return (m[1] === '-' ? -1 : 1) * (h * 3_600_000 + min * 60_000);
}

/** The zone's offset from UTC at instant `ms`, in milliseconds (seconds precision, as zone rules are). */
function zoneOffsetMs(id: string, ms: number): number {
  const zone = JAVA_SHORT_IDS[id] ?? id;
  const fixed = fixedOffsetMs(zone);
  if (fixed !== null) return fixed;
  const parts: Record<string, number> = {};
  for (const p of zoneFormatter(zone).formatToParts(ms)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return wall - (ms - (((ms % 1000) + 1000) % 1000));
}

export const temporalRuntime = {
  /**
   * CONVERT_TZ(datetime, fromZone, toZone): a 'yyyy-MM-dd HH:mm:ss' wall-clock time in one zone
   * as the same instant's wall-clock time in another; NULL when the text does not parse. A wall
   * time skipped by a DST change moves forward, a repeated one takes the earlier instant.
   */
  convertTz(text: string, from: string, to: string): string | null {
    const wall = parseTimestamp(text);
    if (wall === null) return null;
    // The instant whose wall time in `from` is `wall`: two fixed-point steps settle across a DST change.
    let instant = wall - zoneOffsetMs(from, wall);
    instant = wall - zoneOffsetMs(from, instant);
    return formatTimestamp(instant + zoneOffsetMs(to, instant), 0);
  },
  currentWatermark(): number | null {
    return Number.isFinite(evaluationWatermark.ms) ? evaluationWatermark.ms : null;
  },
  extractField,
  timestampAdd,
  timestampDiff,
  formatWithPattern,
  parseWithPattern,
  parseTimestamp,
  parseDate,
  formatTimestamp,
  dateFormatString(s: string, fmt: string): string | null {
    const ms = parseTimestamp(s);
    return ms === null ? null : formatWithPattern(ms, fmt);
  },
  toTimestampLtz(x: number, precision: number): number | null {
    if (precision === 0) return x * 1000;
    if (precision === 3) return x;
    return null;
  },
  toDateWithPattern(s: string, fmt: string): number | null {
    const ms = parseWithPattern(s, fmt);
    return ms === null ? null : Math.floor(ms / MS_PER_DAY);
  },
  unixTimestamp(s: string, fmt: string): number | null {
    const ms = fmt === DEFAULT_FORMAT ? parseTimestamp(s) : parseWithPattern(s, fmt);
    return ms === null ? null : Math.floor(ms / 1000);
  },
};
