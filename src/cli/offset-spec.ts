/**
 * rpk's offset grammar for `runnel consume -o`, resolved per partition against the log start
 * offset, the high watermark and ListOffsets-by-timestamp answers.
 *
 *   start        from the log start (aliases: beginning, earliest, oldest)
 *   end          from the high watermark: only new records (aliases: latest, newest)
 *   +N           N records after the log start
 *   -N           N records before the high watermark
 *   N  or  N:    from exact offset N
 *   :end         from the start up to the high watermark as it is now, then exit
 *   :N           from the start up to offset N (exclusive)
 *   N:M          offsets N up to M (exclusive); M may also be `end`
 *   @t  or  @t:  from the first record at or after timestamp t
 *   @:t          from the start up to timestamp t
 *   @t1:t2       from t1 up to t2; t2 may be `end`, a duration after t1 (`1h`), or any t
 *   s@t, e@t     kcat's spellings of @t and @:t
 *
 * Timestamps: see timestamps.ts. An end bound is exclusive; a spec with an end bound makes the
 * consumer exit once every partition reaches it.
 */
import { CliError } from './cli-error.ts';
import { parseDurationMs, parseTimestampMs, TIMESTAMP_HELP } from './timestamps.ts';

export type OffsetBound =
  | { readonly kind: 'start' }
  | { readonly kind: 'end' }
  | { readonly kind: 'exact'; readonly offset: bigint }
  | { readonly kind: 'afterStart'; readonly count: bigint }
  | { readonly kind: 'beforeEnd'; readonly count: bigint }
  | { readonly kind: 'timestamp'; readonly ms: number };

export interface OffsetSpec {
  readonly from: OffsetBound;
  /** Exclusive; null means keep consuming new records. */
  readonly until: OffsetBound | null;
}

export const OFFSET_HELP =
  'start|end|+N|-N|N|:end|:N|N:M|@TS|@:TS|@TS1:TS2 (rpk grammar; TS = ' + TIMESTAMP_HELP + ')';

function bad(spec: string, why: string): CliError {
  return new CliError(`bad offset '${spec}': ${why}; use ${OFFSET_HELP}`);
}

const START_WORDS = new Set(['start', 'beginning', 'earliest', 'oldest']);
const END_WORDS = new Set(['end', 'latest', 'newest']);

function parseOffsetBound(text: string, spec: string): OffsetBound {
  if (START_WORDS.has(text)) return { kind: 'start' };
  if (END_WORDS.has(text)) return { kind: 'end' };
  const m = /^([+-]?)(\d+)$/.exec(text);
  if (m === null) throw bad(spec, `'${text}' is not an offset`);
  const n = BigInt(m[2]);
  if (m[1] === '+') return { kind: 'afterStart', count: n };
  if (m[1] === '-') return { kind: 'beforeEnd', count: n };
  return { kind: 'exact', offset: n };
}

function parseUntilTimestamp(text: string, fromMs: number | null, nowMs: number, spec: string): OffsetBound {
  if (END_WORDS.has(text)) return { kind: 'end' };
  if (fromMs !== null && !text.startsWith('-')) {
    const after = parseDurationMs(text);
    if (after !== null) return { kind: 'timestamp', ms: fromMs + after };
  }
  const ms = parseTimestampMs(text, nowMs);
  if (ms === null) throw bad(spec, `'${text}' is not a timestamp`);
  return { kind: 'timestamp', ms };
}

function parseTimestampSpec(body: string, spec: string, nowMs: number): OffsetSpec {
  const whole = parseTimestampMs(body, nowMs);
  if (whole !== null) return { from: { kind: 'timestamp', ms: whole }, until: null };
  if (body.startsWith(':')) return { from: { kind: 'start' }, until: parseUntilTimestamp(body.slice(1), null, nowMs, spec) };
  // RFC 3339 times contain ':' too: split at the first ':' where both sides parse.
  for (let i = body.indexOf(':'); i > 0; i = body.indexOf(':', i + 1)) {
    const fromMs = parseTimestampMs(body.slice(0, i), nowMs);
    if (fromMs === null) continue;
    const rest = body.slice(i + 1);
    if (rest === '') return { from: { kind: 'timestamp', ms: fromMs }, until: null };
    try {
      return { from: { kind: 'timestamp', ms: fromMs }, until: parseUntilTimestamp(rest, fromMs, nowMs, spec) };
    } catch {
      continue;
    }
  }
  throw bad(spec, `'${body}' is not a timestamp`);
}

/** Parses an `-o` value; throws a CliError that shows the grammar. */
export function parseOffsetSpec(spec: string, nowMs: number = Date.now()): OffsetSpec {
  const trimmed = spec.trim();
  if (trimmed === '') throw bad(spec, 'it is empty');
  // kcat's spellings: s@TS starts at a time, e@TS ends at one.
  const text = trimmed.startsWith('s@') ? trimmed.slice(1) : trimmed.startsWith('e@') ? `@:${trimmed.slice(2)}` : trimmed;
  if (text.startsWith('@')) return parseTimestampSpec(text.slice(1), spec, nowMs);
  const colon = text.indexOf(':');
  if (colon < 0) return { from: parseOffsetBound(text, spec), until: null };
  const left = text.slice(0, colon);
  const right = text.slice(colon + 1);
  const from = left === '' ? ({ kind: 'start' } as const) : parseOffsetBound(left, spec);
  if (right === '') return { from, until: null };
  const until = parseOffsetBound(right, spec);
  if (until.kind !== 'exact' && until.kind !== 'end') throw bad(spec, `the end of a range must be an offset or 'end'`);
  if (from.kind === 'exact' && until.kind === 'exact' && until.offset < from.offset) throw bad(spec, `the range ends before it starts`);
  return { from, until };
}

/** Where a partition's log is now. */
export interface PartitionWatermarks {
  readonly low: bigint;
  readonly high: bigint;
}

/** Answers "first offset at or after this timestamp" for one partition (the high watermark when none). */
export type OffsetForTimestamp = (ms: number) => bigint;

function clamp(n: bigint, w: PartitionWatermarks): bigint {
  return n < w.low ? w.low : n > w.high ? w.high : n;
}

/** The offset a bound names in one partition. */
export function resolveBound(bound: OffsetBound, w: PartitionWatermarks, byTimestamp: OffsetForTimestamp): bigint {
  switch (bound.kind) {
    case 'start':
      return w.low;
    case 'end':
      return w.high;
    case 'exact':
      return bound.offset;
    case 'afterStart':
      return clamp(w.low + bound.count, w);
    case 'beforeEnd':
      return clamp(w.high - bound.count, w);
    case 'timestamp':
      return byTimestamp(bound.ms);
    default: {
      const never: never = bound;
      throw new Error(`unknown offset bound ${JSON.stringify(never)}`);
    }
  }
}

/** A partition's start offset and exclusive end (null: follow the log). */
export interface PartitionRange {
  readonly from: bigint;
  readonly until: bigint | null;
}

export function resolveRange(spec: OffsetSpec, w: PartitionWatermarks, byTimestamp: OffsetForTimestamp): PartitionRange {
  const rawFrom = resolveBound(spec.from, w, byTimestamp);
  // An exact start outside the log would be out of range: begin at the nearest end instead.
  const from = spec.from.kind === 'exact' ? clamp(rawFrom, w) : rawFrom;
  return { from, until: spec.until === null ? null : resolveBound(spec.until, w, byTimestamp) };
}

/** Timestamps the spec needs looked up (ListOffsets by time) before it can be resolved. */
export function timestampsOf(spec: OffsetSpec): number[] {
  const out: number[] = [];
  if (spec.from.kind === 'timestamp') out.push(spec.from.ms);
  if (spec.until !== null && spec.until.kind === 'timestamp') out.push(spec.until.ms);
  return out;
}
