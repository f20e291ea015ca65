/**
 * String functions with Flink's semantics (Flink docs, "String Functions"): positions are
 * 1-based, SUBSTRING accepts negative starts (from the end), SPLIT_INDEX is 0-based and NULL out
 * of range, REGEXP_* use the first match and yield NULL for an invalid pattern. Regular
 * expressions are compiled once per pattern into a bounded cache, and a literal pattern at code
 * generation time.
 */
import { createHash, randomUUID } from 'node:crypto';
import { T, isCharacterKind } from '../types.ts';
import type { SqlType } from '../types.ts';
import { BoundedCache } from './bounded-cache.ts';
import { defineFunction } from './registry.ts';
import type { FunctionDef, FunctionRegistry } from './registry.ts';

const str = (): SqlType => T.string();
const int = (): SqlType => T.int();
const keep = (args: readonly SqlType[]): SqlType => (isCharacterKind(args[0].kind) ? args[0] : T.string());

function fn(name: string, params: Parameters<typeof defineFunction>[2], helper: string, mayReturnNull = false): FunctionDef {
  return defineFunction(name, 'string', params, (args) => `rt.${helper}(${args.map((a) => a.v).join(', ')})`, { mayReturnNull });
}

const concatWs: FunctionDef = {
  name: 'CONCAT_WS',
  family: 'string',
  signatures: ['CONCAT_WS(STRING, STRING...)'],
  nulls: 'custom',
  returnType: (args) => (args.length >= 1 && args.every((a) => a.kind === 'NULL' || isCharacterKind(a.kind)) ? T.string(args[0].nullable) : null),
  emitCustom: ([sep, ...parts], ret, ctx) => {
    const v = ctx.fresh(), first = ctx.fresh();
    const code = [sep.code, `let ${v} = null;`, `if (!(${sep.n})) {`, `${v} = ''; let ${first} = true;`];
    for (const p of parts) {
      code.push(p.code, `if (!(${p.n})) { if (!${first}) ${v} += ${sep.v}; ${v} += ${p.v}; ${first} = false; }`);
    }
    code.push('}');
    return { code: code.join('\n'), v, n: `(${v} === null)`, type: ret };
  },
};

export function registerString(r: FunctionRegistry): void {
  r.register(defineFunction('UPPER', 'string', [{ params: ['string'], ret: keep }], ([a]) => `${a.v}.toUpperCase()`), 'UCASE');
  r.register(defineFunction('LOWER', 'string', [{ params: ['string'], ret: keep }], ([a]) => `${a.v}.toLowerCase()`), 'LCASE');
  r.register(fn('TRIM', [{ params: ['string', 'string'], optional: 1, ret: keep }], 'trimBoth'), 'BTRIM');
  r.register(fn('LTRIM', [{ params: ['string', 'string'], optional: 1, ret: keep }], 'trimLeft'));
  r.register(fn('RTRIM', [{ params: ['string', 'string'], optional: 1, ret: keep }], 'trimRight'));
  r.register(fn('SUBSTRING', [{ params: ['string', 'integer', 'integer'], optional: 1, ret: keep }], 'substring'), 'SUBSTR');
  r.register(defineFunction('CONCAT', 'string', [{ params: ['string'], variadic: 'string', ret: str }], (args) => `(${args.map((a) => a.v).join(' + ')})`), '||');
  r.register(concatWs);
  r.register(defineFunction('REPLACE', 'string', [{ params: ['string', 'string', 'string'], ret: str }], ([s, a, b]) => `${s.v}.replaceAll(${a.v}, ${b.v})`));
  r.register(fn('SPLIT_INDEX', [{ params: ['string', 'string', 'integer'], ret: str }], 'splitIndex', true));
  r.register(defineFunction('REGEXP_EXTRACT', 'string', [{ params: ['string', 'string', 'integer'], optional: 1, ret: str }], ([s, p, i], _ret, ctx) => {
    // A literal pattern is compiled here, once, not looked up per row.
    const pattern = p.constant?.value;
    if (typeof pattern === 'string') return `rt.extract(${s.v}, ${ctx.constant(compileRegex(pattern))}, ${i?.v ?? 1})`;
    return `rt.regexpExtract(${[s, p, i].filter((a) => a !== undefined).map((a) => a.v).join(', ')})`;
  }, { mayReturnNull: true }));
  r.register(fn('REGEXP_REPLACE', [{ params: ['string', 'string', 'string'], ret: str }], 'regexpReplace', true));
  r.register(fn('REGEXP', [{ params: ['string', 'string'], ret: () => T.boolean() }], 'regexp', true));
  r.register(defineFunction('CHAR_LENGTH', 'string', [{ params: ['string'], ret: int }], ([a]) => `${a.v}.length`), 'CHARACTER_LENGTH', 'LENGTH');
  r.register(defineFunction('POSITION', 'string', [{ params: ['string', 'string'], ret: int }], ([n, h]) => `(${h.v}.indexOf(${n.v}) + 1)`));
  r.register(fn('LOCATE', [{ params: ['string', 'string', 'integer'], optional: 1, ret: int }], 'locate'));
  r.register(fn('INITCAP', [{ params: ['string'], ret: keep }], 'initcap'));
  r.register(fn('LPAD', [{ params: ['string', 'integer', 'string'], ret: str }], 'lpad', true));
  r.register(fn('RPAD', [{ params: ['string', 'integer', 'string'], ret: str }], 'rpad', true));
  r.register(fn('REVERSE', [{ params: ['string'], ret: keep }], 'reverse'));
  r.register(fn('REPEAT', [{ params: ['string', 'integer'], ret: str }], 'repeat'));
  r.register(fn('LEFT', [{ params: ['string', 'integer'], ret: str }], 'left'));
  r.register(fn('RIGHT', [{ params: ['string', 'integer'], ret: str }], 'right'));
  r.register(defineFunction('ASCII', 'string', [{ params: ['string'], ret: int }], ([a]) => `(${a.v}.length === 0 ? 0 : ${a.v}.charCodeAt(0))`));
  r.register(defineFunction('CHR', 'string', [{ params: ['integer'], ret: str }], ([a]) => `String.fromCharCode(${a.v} & 255)`));
  r.register(fn('MD5', [{ params: ['string-or-binary'], ret: () => T.char(32) }], 'md5'));
  r.register(fn('SHA1', [{ params: ['string-or-binary'], ret: () => T.char(40) }], 'sha1'));
  r.register(fn('SHA256', [{ params: ['string-or-binary'], ret: () => T.char(64) }], 'sha256'));
  r.register(fn('TO_BASE64', [{ params: ['string-or-binary'], ret: str }], 'toBase64'));
  r.register(fn('FROM_BASE64', [{ params: ['string'], ret: str }], 'fromBase64', true));
  r.register(defineFunction('INSTR', 'string', [{ params: ['string', 'string'], ret: int }], ([h, n]) => `(${h.v}.indexOf(${n.v}) + 1)`));
  r.register(defineFunction('STARTSWITH', 'string', [{ params: ['string', 'string'], ret: () => T.boolean() }], ([a, b]) => `${a.v}.startsWith(${b.v})`));
  r.register(defineFunction('ENDSWITH', 'string', [{ params: ['string', 'string'], ret: () => T.boolean() }], ([a, b]) => `${a.v}.endsWith(${b.v})`));
  r.register(fn('HEX', [{ params: ['integer'], ret: str }, { params: ['string'], ret: str }], 'hex'));
  r.register(fn('URL_ENCODE', [{ params: ['string'], ret: str }], 'urlEncode', true));
  r.register(fn('URL_DECODE', [{ params: ['string'], ret: str }], 'urlDecode', true));
  r.register(fn('PARSE_URL', [{ params: ['string', 'string', 'string'], optional: 1, ret: str }], 'parseUrl', true));
  r.register(fn('TRANSLATE', [{ params: ['string', 'string', 'string'], ret: str }], 'translate'));
  r.register(fn('REGEXP_COUNT', [{ params: ['string', 'string'], ret: int }], 'regexpCount', true));
  r.register(defineFunction('UUID', 'string', [{ params: [], ret: () => T.char(36, false) }], () => 'rt.uuid()', { deterministic: false }));
}

export const REGEX_CACHE_ENTRIES_MAX = 512;
const regexCache = new BoundedCache<string, RegExp | null>(REGEX_CACHE_ENTRIES_MAX);

/** Compiles a Java-style regular expression; null when JavaScript cannot compile it. */
export function compileRegex(pattern: string, global = false): RegExp | null {
  const key = (global ? 'g' : '-') + pattern;
  const hit = regexCache.get(key);
  if (hit !== undefined) return hit;
  let re: RegExp | null;
  try {
    re = new RegExp(pattern, global ? 'gu' : 'u');
  } catch {
    try {
      re = new RegExp(pattern, global ? 'g' : '');
    } catch {
      re = null;
    }
  }
  regexCache.set(key, re);
  return re;
}

function trimChars(s: string, chars: string | undefined, left: boolean, right: boolean): string {
  const set = chars ?? ' ';
  let a = 0, b = s.length;
  if (left) while (a < b && set.includes(s[a])) a++;
  if (right) while (b > a && set.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

/** The index-th piece of `s` split at `delim` (0-based), found without splitting the whole string. */
function splitIndex(s: string, delim: string, index: number): string | null {
  if (index < 0 || delim.length === 0) return null;
  let start = 0;
  for (let k = 0; k < index; k++) {
    const at = s.indexOf(delim, start);
    if (at < 0) return null;
    start = at + delim.length;
  }
  const end = s.indexOf(delim, start);
  return end < 0 ? s.slice(start) : s.slice(start, end);
}

function extract(s: string, re: RegExp | null, index: number): string | null {
  if (re === null) return null;
  const m = re.exec(s);
  if (m === null || index < 0 || index >= m.length) return null;
  return m[index] ?? null;
}

const hash = (algo: string) => (x: string | Uint8Array): string => createHash(algo).update(x).digest('hex');

export const stringRuntime = {
  trimBoth: (s: string, chars?: string): string => trimChars(s, chars, true, true),
  trimLeft: (s: string, chars?: string): string => trimChars(s, chars, true, false),
  trimRight: (s: string, chars?: string): string => trimChars(s, chars, false, true),
  /** Flink's substringSQL: pos > 0 from the start (1-based), pos < 0 from the end, 0 as 1. */
  substring(s: string, pos: number, len?: number): string {
    const n = s.length;
    let start = pos > 0 ? pos - 1 : pos < 0 ? n + pos : 0;
    let end = len === undefined ? n : start + len;
    end = Math.min(end, n);
    start = Math.max(start, 0);
    return start >= end ? '' : s.slice(start, end);
  },
  splitIndex,
  regexpExtract(s: string, pattern: string, index = 1): string | null {
    return extract(s, compileRegex(pattern), index);
  },
  extract,
  regexpReplace(s: string, pattern: string, replacement: string): string | null {
    const re = compileRegex(pattern, true);
    if (re === null) return null;
    re.lastIndex = 0;
    return s.replace(re, replacement);
  },
  regexp(s: string, pattern: string): boolean | null {
    const re = compileRegex(pattern);
    return re === null ? null : re.test(s);
  },
  locate(needle: string, hay: string, start = 1): number {
    if (start < 1) return 0;
    return hay.indexOf(needle, start - 1) + 1;
  },
  initcap(s: string): string {
    return s.toLowerCase().replace(/(^|[^\p{L}\p{N}])([\p{L}\p{N}])/gu, (_m, pre: string, c: string) => pre + c.toUpperCase());
  },
  lpad(s: string, len: number, pad: string): string | null {
    if (len < 0) return null;
    if (len <= s.length) return s.slice(0, len);
    if (pad.length === 0) return null;
    return pad.repeat(Math.ceil((len - s.length) / pad.length)).slice(0, len - s.length) + s;
  },
  rpad(s: string, len: number, pad: string): string | null {
    if (len < 0) return null;
    if (len <= s.length) return s.slice(0, len);
    if (pad.length === 0) return null;
    return s + pad.repeat(Math.ceil((len - s.length) / pad.length)).slice(0, len - s.length);
  },
  reverse: (s: string): string => [...s].reverse().join(''),
  repeat: (s: string, n: number): string => (n <= 0 ? '' : s.repeat(n)),
  left: (s: string, n: number): string => (n <= 0 ? '' : s.slice(0, n)),
  right: (s: string, n: number): string => (n <= 0 ? '' : s.slice(Math.max(0, s.length - n))),
  md5: hash('md5'),
  /**
   * PARSE_URL(url, part [, key]), as Flink (Hive's parse_url): HOST, PATH, QUERY, REF, PROTOCOL,
   * FILE, AUTHORITY or USERINFO of the URL; with QUERY and a key, that parameter's value as
   * written. NULL for a URL that does not parse, an unknown part or a part the URL lacks.
   */
  parseUrl(url: string, part: string, key?: string): string | null {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return null;
    }
    const nonEmpty = (v: string): string | null => (v === '' ? null : v);
    const userInfo = u.username === '' ? null : u.password === '' ? u.username : `${u.username}:${u.password}`;
    switch (part) {
      case 'HOST': return nonEmpty(u.hostname);
      case 'PATH': return u.pathname;
      case 'QUERY': {
        const q = nonEmpty(u.search.slice(1));
        if (key === undefined || q === null) return q;
        for (const pair of q.split('&')) {
          const eq = pair.indexOf('=');
          if (eq >= 0 && pair.slice(0, eq) === key) return pair.slice(eq + 1);
        }
        return null;
      }
      case 'REF': return nonEmpty(u.hash.slice(1));
      case 'PROTOCOL': return u.protocol.slice(0, -1);
      case 'FILE': return u.pathname + u.search;
      case 'AUTHORITY': return nonEmpty(`${userInfo === null ? '' : `${userInfo}@`}${u.host}`);
      case 'USERINFO': return userInfo;
      default: return null;
    }
  },
  /** TRANSLATE(expr, from, to): each character of `from` in `expr` becomes the one at its place in `to`, or goes when `to` is shorter. */
  translate(s: string, from: string, to: string): string {
    const map = new Map<string, string>();
    const f = [...from], t = [...to];
    f.forEach((c, i) => { if (!map.has(c)) map.set(c, t[i] ?? ''); });
    let out = '';
    for (const c of s) out += map.get(c) ?? c;
    return out;
  },
  /** REGEXP_COUNT(str, regex): how many times the pattern matches; NULL for an invalid pattern. */
  regexpCount(s: string, pattern: string): number | null {
    const re = compileRegex(pattern, true);
    if (re === null) return null;
    re.lastIndex = 0;
    let n = 0;
    for (const _m of s.matchAll(re)) n++;
    return n;
  },
  /** UUID(): a random (version 4) UUID, RFC 4122. */
  uuid: (): string => randomUUID(),
  /** TO_BASE64: of a string's UTF-8 bytes, or of bytes. */
  toBase64: (x: string | Uint8Array): string => (typeof x === 'string' ? Buffer.from(x, 'utf8') : Buffer.from(x)).toString('base64'),
  /** FROM_BASE64: the decoded bytes as UTF-8 text; NULL when the text is not base64. */
  fromBase64(s: string): string | null {
    const t = s.trim();
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(t) || t.length % 4 === 1) return null;
    return Buffer.from(t, 'base64').toString('utf8');
  },
  /** HEX: an integer in hexadecimal (negative ones as 64-bit two's complement, as Java's Long.toHexString), or a string's UTF-8 bytes; upper case. */
  hex(x: number | bigint | string): string {
    if (typeof x === 'string') return Buffer.from(x, 'utf8').toString('hex').toUpperCase();
    return BigInt.asUintN(64, typeof x === 'bigint' ? x : BigInt(Math.trunc(x))).toString(16).toUpperCase();
  },
  /** URL_ENCODE: application/x-www-form-urlencoded with UTF-8, as Java's URLEncoder (space as '+'). */
  urlEncode: (s: string): string | null => {
    try {
      return encodeURIComponent(s).replace(/%20/g, '+').replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    } catch {
      return null; // a lone surrogate
    }
  },
  /** URL_DECODE: the inverse, NULL for a malformed escape. */
  urlDecode: (s: string): string | null => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return null;
    }
  },
  sha1: hash('sha1'),
  sha256: hash('sha256'),
};
