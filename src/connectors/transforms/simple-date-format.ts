/**
 * The subset of Java's `SimpleDateFormat` that TimestampConverter configs use, in UTC:
 * `yyyy yy MM dd HH mm ss SSS`, `'quoted literals'`, `X`/`XXX`/`Z` zone (always UTC), and
 * anything else as a literal.
 */

type Token = { kind: 'field'; letter: string; width: number } | { kind: 'literal'; text: string };

const fieldLetters = new Set(['y', 'M', 'd', 'H', 'm', 's', 'S', 'X', 'Z']);

export function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      const text = end < 0 ? pattern.slice(i + 1) : pattern.slice(i + 1, end);
      tokens.push({ kind: 'literal', text: text === '' ? "'" : text });
      i = end < 0 ? pattern.length : end + 1;
    } else if (fieldLetters.has(c)) {
      let j = i;
      while (pattern[j] === c) j++;
      tokens.push({ kind: 'field', letter: c, width: j - i });
      i = j;
    } else {
      tokens.push({ kind: 'literal', text: c });
      i++;
    }
  }
  return tokens;
}

export function formatDate(epochMs: number, pattern: string): string {
  const d = new Date(epochMs);
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  return tokenize(pattern)
    .map((t) => {
      if (t.kind === 'literal') return t.text;
      switch (t.letter) {
        case 'y':
          return t.width === 2 ? pad(d.getUTCFullYear() % 100, 2) : pad(d.getUTCFullYear(), t.width);
        case 'M':
          return pad(d.getUTCMonth() + 1, t.width);
        case 'd':
          return pad(d.getUTCDate(), t.width);
        case 'H':
          return pad(d.getUTCHours(), t.width);
        case 'm':
          return pad(d.getUTCMinutes(), t.width);
        case 's':
          return pad(d.getUTCSeconds(), t.width);
        case 'S':
          return pad(d.getUTCMilliseconds(), 3).slice(0, Math.max(t.width, 3)).padEnd(t.width, '0');
        case 'X':
          return 'Z';
        case 'Z':
          return '+0000';
        default:
          return '';
      }
    })
    .join('');
}

export function parseDate(text: string, pattern: string): number {
  let pos = 0;
  const parts = { y: 1970, M: 1, d: 1, H: 0, m: 0, s: 0, S: 0, offsetMin: 0 };
  for (const t of tokenize(pattern)) {
    if (t.kind === 'literal') {
      if (text.slice(pos, pos + t.text.length) !== t.text) throw new Error(`Could not parse timestamp: value (${text}) does not match pattern (${pattern})`);
      pos += t.text.length;
      continue;
    }
    if (t.letter === 'X' || t.letter === 'Z') {
      const m = /^(Z|[+-]\d{2}:?\d{2})/.exec(text.slice(pos));
      if (!m) throw new Error(`Could not parse timestamp: value (${text}) has no zone at ${pos}`);
      if (m[1] !== 'Z') {
        const sign = m[1][0] === '-' ? -1 : 1;
        const digits = m[1].slice(1).replace(':', '');
        parts.offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
      }
      pos += m[1].length;
      continue;
    }
    const m = /^\d+/.exec(text.slice(pos, t.letter === 'y' && t.width !== 2 ? undefined : pos + Math.max(t.width, t.letter === 'S' ? 9 : 2)));
    if (!m) throw new Error(`Could not parse timestamp: value (${text}) does not match pattern (${pattern})`);
    let digits = m[0];
    if (t.letter === 'S') digits = digits.padEnd(3, '0').slice(0, 3);
    const n = Number(digits);
    pos += m[0].length;
    if (t.letter === 'y') parts.y = t.width === 2 ? 2000 + n : n;
    else (parts as Record<string, number>)[t.letter] = n;
  }
  if (pos !== text.length) throw new Error(`Could not parse timestamp: value (${text}) has trailing text for pattern (${pattern})`);
  return Date.UTC(parts.y, parts.M - 1, parts.d, parts.H, parts.m, parts.s, parts.S) - parts.offsetMin * 60_000;
}
