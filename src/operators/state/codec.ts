/**
 * Snapshot encoding: JSON text with tags for what JSON cannot carry (bigint, non-finite numbers,
 * byte arrays), as UTF-8 bytes. Simple, inspectable and versioned by the `v` field each operator
 * writes; a binary format can replace it behind these two functions.
 */
import { ExecutionError } from '../errors.ts';

type Tagged = { $b: string } | { $n: string } | { $u8: string };

export function encodeState(value: unknown): Uint8Array {
  const text = JSON.stringify(value, function replacer(this: unknown, key: string, v: unknown): unknown {
    const raw = (this as Record<string, unknown>)[key];
    if (typeof raw === 'bigint') return { $b: raw.toString() };
    if (typeof raw === 'number' && !Number.isFinite(raw)) return { $n: String(raw) };
    if (raw instanceof Uint8Array) return { $u8: Buffer.from(raw).toString('base64') };
    return v;
  });
  return new Uint8Array(Buffer.from(text, 'utf8'));
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
