/**
 * Java SimpleDateFormat patterns, as Flink's DATE_FORMAT, FROM_UNIXTIME, TO_TIMESTAMP and
 * UNIX_TIMESTAMP accept them: letters y M d H h k K m s S E u a D z Z X, quoted text with '...',
 * '' for a quote. A pattern is tokenized once and cached; formatting a value walks the tokens.
 * Time zone letters print UTC (Runnel's session time zone).
 */
import { ExecutionError } from '../errors.ts';
import { BoundedCache } from './bounded-cache.ts';
import { MS_PER_DAY, civilFromDays, daysFromCivil, daysInMonth, floorDiv, floorMod } from './datetime.ts';

type Token = { readonly letter: string; readonly count: number } | { readonly text: string };

export const FORMAT_CACHE_ENTRIES_MAX = 256;
const cache = new BoundedCache<string, readonly Token[]>(FORMAT_CACHE_ENTRIES_MAX);

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const LETTERS = 'GyYMLwWDdFEuaHkKhmsSzZX';

export function tokenize(pattern: string): readonly Token[] {
  const hit = cache.get(pattern);
  if (hit !== undefined) return hit;
  const tokens: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === "'") {
      const close = pattern.indexOf("'", i + 1);
      if (close === i + 1) { tokens.push({ text: "'" }); i += 2; continue; }
      if (close < 0) throw new ExecutionError('INVALID_ARGUMENT', `unterminated quote in date format '${pattern}'`);
      tokens.push({ text: pattern.slice(i + 1, close) });
      i = close + 1;
    } else if (/[A-Za-z]/.test(c)) {
      if (!LETTERS.includes(c)) throw new ExecutionError('INVALID_ARGUMENT', `illegal pattern character '${c}' in date format '${pattern}'`);
      let j = i;
      while (j < pattern.length && pattern[j] === c) j++;
      tokens.push({ letter: c, count: j - i });
      i = j;
    } else {
      tokens.push({ text: c });
      i++;
    }
  }
  cache.set(pattern, tokens);
  return tokens;
}

/** Milliseconds per unit of each letter's field (the day for date fields, 1 for time zones). */
const LETTER_UNIT_MS: Readonly<Record<string, number>> = {
  S: 1, s: 1000, m: 60_000, H: 3_600_000, k: 3_600_000, K: 3_600_000, h: 3_600_000, a: 3_600_000,
};

/** The finest unit a pattern prints, in ms: two instants in the same unit format alike (UTC). */
export function patternUnitMs(pattern: string): number {
  let unit = MS_PER_DAY;
  for (const t of tokenize(pattern)) if ('letter' in t) unit = Math.min(unit, LETTER_UNIT_MS[t.letter] ?? MS_PER_DAY);
  return unit;
}

const pad = (n: number, w: number): string => (n < 0 ? '-' + String(-n).padStart(w, '0') : String(n).padStart(w, '0'));

/** Formats epoch milliseconds with a SimpleDateFormat pattern. */
export function formatWithPattern(ms: number, pattern: string): string {
  const tokens = tokenize(pattern);
  const days = floorDiv(ms, MS_PER_DAY);
  const tod = Math.floor(floorMod(ms, MS_PER_DAY));
  const [y, m, d] = civilFromDays(days);
  const hour = Math.floor(tod / 3_600_000), minute = Math.floor(tod / 60_000) % 60, second = Math.floor(tod / 1000) % 60;
  const milli = tod % 1000;
  const dow = floorMod(days + 4, 7);
  let out = '';
  for (const t of tokens) {
    if ('text' in t) { out += t.text; continue; }
    const n = t.count;
    switch (t.letter) {
      case 'G': out += y > 0 ? 'AD' : 'BC'; break;
      case 'y': case 'Y': out += n === 2 ? pad(floorMod(y, 100), 2) : pad(y, n); break;
      case 'M': case 'L': out += n >= 4 ? MONTH_NAMES[m - 1] : n === 3 ? MONTH_NAMES[m - 1].slice(0, 3) : pad(m, n); break;
      case 'd': out += pad(d, n); break;
      case 'D': out += pad(days - daysFromCivil(y, 1, 1) + 1, n); break;
      case 'E': out += n >= 4 ? DAY_NAMES[dow] : DAY_NAMES[dow].slice(0, 3); break;
      case 'u': out += pad(dow === 0 ? 7 : dow, n); break;
      case 'F': out += pad(Math.floor((d - 1) / 7) + 1, n); break;
      case 'w': case 'W': out += pad(Math.floor((days - daysFromCivil(y, 1, 1)) / 7) + 1, n); break;
      case 'a': out += hour < 12 ? 'AM' : 'PM'; break;
      case 'H': out += pad(hour, n); break;
      case 'k': out += pad(hour === 0 ? 24 : hour, n); break;
      case 'K': out += pad(hour % 12, n); break;
      case 'h': out += pad(hour % 12 === 0 ? 12 : hour % 12, n); break;
      case 'm': out += pad(minute, n); break;
      case 's': out += pad(second, n); break;
      case 'S': out += pad(milli, n); break;
      case 'z': out += n >= 4 ? 'Coordinated Universal Time' : 'UTC'; break;
      case 'Z': out += '+0000'; break;
      case 'X': out += 'Z'; break;
      default: break;
    }
  }
  return out;
}

/** Parses text with a SimpleDateFormat pattern into epoch ms (UTC), or null when it does not match. */
export function parseWithPattern(text: string, pattern: string): number | null {
  const tokens = tokenize(pattern);
  let pos = 0;
  let y = 1970, mo = 1, d = 1, h = 0, mi = 0, s = 0, ms = 0, pm = -1, offsetMin = 0;
  for (let ti = 0; ti < tokens.length; ti++) {
    const t = tokens[ti];
    if ('text' in t) {
      if (!text.startsWith(t.text, pos)) return null;
      pos += t.text.length;
      continue;
    }
    const next = tokens[ti + 1];
    const adjacentNumber = next !== undefined && 'letter' in next;
    if (t.letter === 'M' && t.count >= 3) {
      const idx = MONTH_NAMES.findIndex((name) => text.startsWith(t.count === 3 ? name.slice(0, 3) : name, pos));
      if (idx < 0) return null;
      mo = idx + 1;
      pos += t.count === 3 ? 3 : MONTH_NAMES[idx].length;
      continue;
    }
    if (t.letter === 'a') {
      const u = text.slice(pos, pos + 2).toUpperCase();
      if (u !== 'AM' && u !== 'PM') return null;
      pm = u === 'PM' ? 1 : 0;
      pos += 2;
      continue;
    }
    if (t.letter === 'E') {
      const idx = DAY_NAMES.findIndex((name) => text.startsWith(t.count >= 4 ? name : name.slice(0, 3), pos));
      if (idx < 0) return null;
      pos += t.count >= 4 ? DAY_NAMES[idx].length : 3;
      continue;
    }
    if (t.letter === 'Z' || t.letter === 'X' || t.letter === 'z') {
      const z = /^(Z|UTC|GMT|[+-]\d{2}:?\d{2})/.exec(text.slice(pos));
      if (z === null) return null;
      if (z[1].length >= 5) {
        const sign = z[1][0] === '-' ? -1 : 1;
        const digits = z[1].replace(':', '');
        offsetMin = sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
      }
      pos += z[1].length;
      continue;
    }
    const maxDigits = adjacentNumber ? t.count : 10;
    let end = pos;
    if (text[end] === '-' && (t.letter === 'y')) end++;
    while (end < text.length && end - pos < maxDigits && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end++;
    if (end === pos) return null;
    const v = Number(text.slice(pos, end));
    pos = end;
    switch (t.letter) {
      case 'y': case 'Y': y = t.count === 2 && v < 100 ? 2000 + v : v; break;
      case 'M': mo = v; break;
      case 'd': d = v; break;
      case 'H': case 'k': h = v % 24; break;
      case 'h': case 'K': h = v % 12; break;
      case 'm': mi = v; break;
      case 's': s = v; break;
      case 'S': ms = v; break;
      default: break;
    }
  }
  if (pos !== text.length) return null;
  if (pm === 1) h += 12;
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return null;
  return daysFromCivil(y, mo, d) * MS_PER_DAY + h * 3_600_000 + mi * 60_000 + s * 1000 + ms - offsetMin * 60_000;
}
