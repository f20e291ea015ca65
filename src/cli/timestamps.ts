/**
 * Timestamps and durations as rpk's `-o @t` and Kafka's `--to-datetime` take them:
 *
 *   1700000000000         unix milliseconds (12 digits or more)
 *   1700000000            unix seconds (11 digits or fewer)
 *   2024-05-01            a day, UTC midnight
 *   2024-05-01T10:00:00Z  RFC 3339; fractional seconds and a +hh:mm zone optional, no zone = UTC
 *   -1h30m                that long before now
 *
 * Durations are sums of `<n><unit>` with units ms, s, m, h, d.
 */
const DURATION_UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION_PART = /(\d+)(ms|s|m|h|d)/y;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const RFC3339 = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|z|[+-]\d{2}:?\d{2})?$/;

/** Milliseconds in a duration such as `1m30s`, or null when it is not one. */
export function parseDurationMs(text: string): number | null {
  if (text === '') return null;
  let total = 0;
  DURATION_PART.lastIndex = 0;
  while (DURATION_PART.lastIndex < text.length) {
    const at = DURATION_PART.lastIndex;
    const m = DURATION_PART.exec(text);
    if (m === null || m.index !== at) return null;
    total += Number(m[1]) * DURATION_UNIT_MS[m[2]];
  }
  return total;
}

function validDate(ms: number): number | null {
  return Number.isFinite(ms) ? ms : null;
}

/** An absolute point in time in unix milliseconds, or null when `text` is not one. */
export function parseAbsoluteTimestampMs(text: string): number | null {
  if (/^\d+$/.test(text)) return text.length >= 12 ? Number(text) : Number(text) * 1000;
  const day = DAY.exec(text);
  if (day !== null) {
    const ms = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]));
    return new Date(ms).toISOString().startsWith(text) ? ms : null;
  }
  const m = RFC3339.exec(text);
  if (m === null) return null;
  const zone = m[6] === undefined || m[6] === 'z' ? 'Z' : m[6].length === 5 ? `${m[6].slice(0, 3)}:${m[6].slice(3)}` : m[6];
  const fraction = m[5] === undefined ? '' : m[5].slice(0, 4).padEnd(4, '0');
  return validDate(Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4] ?? '00'}${fraction}${zone}`));
}

/** A start timestamp: absolute, or `-duration` before `nowMs`. */
export function parseTimestampMs(text: string, nowMs: number): number | null {
  if (text.startsWith('-')) {
    const ago = parseDurationMs(text.slice(1));
    return ago === null ? null : nowMs - ago;
  }
  return parseAbsoluteTimestampMs(text);
}

export const TIMESTAMP_HELP = 'unix ms, unix s, YYYY-MM-DD, RFC 3339 (2024-05-01T10:00:00Z), or -DURATION ago (-1h, -30m, -90s)';
