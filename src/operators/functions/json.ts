/**
 * JSON_VALUE, JSON_EXISTS and JSON_QUERY over a SQL/JSON path subset: `$`, `.key`, `."key"`, `['key']`,
 * `[n]`, `[*]` (JSON_EXISTS), with an optional `lax`/`strict` prefix. Defaults follow Flink:
 * NULL ON EMPTY and NULL ON ERROR for JSON_VALUE, FALSE ON ERROR for JSON_EXISTS. A scalar comes
 * back as a string (RETURNING other types is a CAST the planner adds). JSON_QUERY in its default
 * form (WITHOUT WRAPPER, NULL ON EMPTY, NULL ON ERROR) returns an object or array as compact JSON
 * text and NULL for a scalar, a JSON null, a missing path, bad JSON or a bad path, as Flink does.
 */
import { T } from '../types.ts';
import { BoundedCache } from './bounded-cache.ts';
import { defineFunction } from './registry.ts';
import type { FunctionRegistry } from './registry.ts';

type Step = { readonly key: string } | { readonly index: number } | { readonly wildcard: true };

export const JSON_PATH_CACHE_ENTRIES_MAX = 256;
const pathCache = new BoundedCache<string, readonly Step[] | null>(JSON_PATH_CACHE_ENTRIES_MAX);

export function parseJsonPath(path: string): readonly Step[] | null {
  const hit = pathCache.get(path);
  if (hit !== undefined) return hit;
  const steps: Step[] = [];
  let p = path.trim().replace(/^(lax|strict)\s+/i, '');
  let ok = p.startsWith('$');
  p = p.slice(1);
  while (ok && p.length > 0) {
    let m: RegExpExecArray | null;
    if ((m = /^\.([A-Za-z_$][\w$]*)/.exec(p)) !== null) steps.push({ key: m[1] });
    else if ((m = /^\."((?:[^"\\]|\\.)*)"/.exec(p)) !== null) steps.push({ key: m[1] });
    else if ((m = /^\[\s*'((?:[^'\\]|\\.)*)'\s*\]/.exec(p)) !== null) steps.push({ key: m[1] });
    else if ((m = /^\[\s*(\d+)\s*\]/.exec(p)) !== null) steps.push({ index: Number(m[1]) });
    else if ((m = /^\[\s*\*\s*\]/.exec(p)) !== null) steps.push({ wildcard: true });
    else { ok = false; break; }
    p = p.slice(m[0].length);
  }
  const result = ok ? steps : null;
  pathCache.set(path, result);
  return result;
}

function walk(value: unknown, steps: readonly Step[]): unknown {
  let cur: unknown = value;
  for (const s of steps) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if ('key' in s) cur = Array.isArray(cur) ? undefined : (cur as Record<string, unknown>)[s.key];
    else if ('index' in s) cur = Array.isArray(cur) ? cur[s.index] : undefined;
    else return Array.isArray(cur) && cur.length > 0 ? cur : undefined;
  }
  return cur;
}

// A one-entry memo: several JSON_VALUE calls on the same column parse each document once.
let lastText: string | null = null;
let lastValue: unknown = undefined;
function parseJson(text: string): unknown {
  if (text === lastText) return lastValue;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    v = undefined;
  }
  lastText = text;
  lastValue = v;
  return v;
}

export function registerJson(r: FunctionRegistry): void {
  r.register(defineFunction('JSON_VALUE', 'json', [{ params: ['string', 'string'], ret: () => T.string() }],
    ([j, p]) => `rt.jsonValue(${j.v}, ${p.v})`, { mayReturnNull: true }));
  r.register(defineFunction('JSON_EXISTS', 'json', [{ params: ['string', 'string'], ret: () => T.boolean() }],
    ([j, p]) => `rt.jsonExists(${j.v}, ${p.v})`));
  r.register(defineFunction('JSON_QUERY', 'json', [{ params: ['string', 'string'], ret: () => T.string() }],
    ([j, p]) => `rt.jsonQuery(${j.v}, ${p.v})`, { mayReturnNull: true }));
}

/** Every value the path selects; a `[*]` step fans out over an array's elements. */
function select(value: unknown, steps: readonly Step[], from: number, out: unknown[]): void {
  let cur: unknown = value;
  for (let k = from; k < steps.length; k++) {
    const s = steps[k];
    if (cur === null || typeof cur !== 'object') return;
    if ('key' in s) cur = Array.isArray(cur) ? undefined : (cur as Record<string, unknown>)[s.key];
    else if ('index' in s) cur = Array.isArray(cur) ? cur[s.index] : undefined;
    else {
      if (Array.isArray(cur)) for (const e of cur) select(e, steps, k + 1, out);
      return;
    }
  }
  if (cur !== undefined) out.push(cur);
}

export const jsonRuntime = {
  jsonValue(text: string, path: string): string | null {
    const steps = parseJsonPath(path);
    if (steps === null) return null;
    const doc = parseJson(text);
    if (doc === undefined) return null;
    const v = walk(doc, steps);
    if (v === undefined || v === null || typeof v === 'object') return null;
    return String(v);
  },
  jsonExists(text: string, path: string): boolean {
    const steps = parseJsonPath(path);
    if (steps === null) return false;
    const doc = parseJson(text);
    return doc !== undefined && walk(doc, steps) !== undefined;
  },
  jsonQuery(text: string, path: string): string | null {
    const steps = parseJsonPath(path);
    if (steps === null) return null;
    const doc = parseJson(text);
    if (doc === undefined) return null;
    if (!steps.some((s) => 'wildcard' in s)) {
      const v = walk(doc, steps);
      return v !== null && typeof v === 'object' ? JSON.stringify(v) : null;
    }
    // A wildcard path selects a sequence, which comes back as a JSON array (empty: NULL ON EMPTY).
    const found: unknown[] = [];
    select(doc, steps, 0, found);
    return found.length === 0 ? null : JSON.stringify(found);
  },
};
