/**
 * Snapshot encoding: JSON text with tags for what JSON cannot carry (bigint, non-finite numbers,
 * byte arrays), as UTF-8 bytes. Simple, inspectable and versioned by the `v` field each operator
 * writes; a binary format can replace it behind these two functions.
 */
import { ExecutionError } from '../errors.ts';

type Tagged = { $b: string } | { $n: string } | { $u8: string };

export function encodeState(value: unknown): Uint8Array {
  // Tags are put in by a copy of only the parts that need them, then JSON.stringify runs
  // without a replacer (a replacer costs a call into JavaScript per value: 4x the time on large
  // group states).
  return new Uint8Array(Buffer.from(JSON.stringify(tagged(value)), 'utf8'));
}

/** `v` with what JSON cannot carry replaced by tags; the same object where nothing needs one. */
function tagged(v: unknown): unknown {
  if (typeof v === 'bigint') return { $b: v.toString() };
  if (typeof v === 'number') return Number.isFinite(v) ? v : { $n: String(v) };
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof Uint8Array) return { $u8: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return tagged((v as { toJSON(): unknown }).toJSON());
  if (Array.isArray(v)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < v.length; i++) {
      const t = tagged(v[i]);
      if (out === null && t !== v[i]) out = v.slice(0, i);
      if (out !== null) out.push(t);
    }
    return out ?? v;
  }
  let out: Record<string, unknown> | null = null;
  const keys = Object.keys(v);
  for (let i = 0; i < keys.length; i++) {
    const x = (v as Record<string, unknown>)[keys[i]];
    const t = tagged(x);
    if (out === null && t !== x) {
      out = {};
      for (let j = 0; j < i; j++) out[keys[j]] = (v as Record<string, unknown>)[keys[j]];
    }
    if (out !== null) out[keys[i]] = t;
  }
  return out ?? v;
}

export function decodeState(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'), (_k, v: unknown) => {
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        const t = v as Partial<Record<'$b' | '$n' | '$u8', string>>;
        if (typeof t.$b === 'string') return BigInt(t.$b);
        if (typeof t.$n === 'string') return Number(t.$n);
        if (typeof t.$u8 === 'string') return new Uint8Array(Buffer.from(t.$u8, 'base64'));
      }
      return v;
    });
  } catch (cause) {
    throw new ExecutionError('STATE_CORRUPT', 'operator state snapshot is not readable', { cause });
  }
}

export type { Tagged };
