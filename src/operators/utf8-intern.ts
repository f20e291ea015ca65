/**
 * Reads a UTF-8 Arrow column into strings, handing out the same string object for the same
 * short ASCII value across rows and batches (group keys, MIN/MAX arguments: Nexmark's channel,
 * day and minute). Decoding a value is a native call and an allocation per row; a repeated value
 * costs a hash of its bytes and a comparison instead, and because it is the same object, Map
 * lookups on it find the hash already computed and compare pointers.
 *
 * Hand-written because the strings must be verified byte for byte (a hash alone can collide)
 * without decoding them first; values longer than `INTERN_BYTES_MAX` or not ASCII are decoded
 * as `readColumn` does.
 */
import type { Data } from 'apache-arrow';
import { readNulls } from './column.ts';
import type { Column } from './column.ts';
import type { SqlType } from './types.ts';

const INTERN_BYTES_MAX = 48;
/** Distinct values kept before the table starts over (bounds memory on high-cardinality columns). */
const INTERN_VALUES_MAX = 1 << 16;

export class Utf8Interner {
  private readonly byHash = new Map<number, string>();

  /** `readColumn` for a CHAR/VARCHAR column, with repeated short values interned. */
  read(data: Data, type: SqlType): Column {
    const n = data.length;
    const offsets = data.valueOffsets as Int32Array;
    const bytes = data.values as Uint8Array;
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out = new Array<string>(n);
    const byHash = this.byHash;
    for (let i = 0; i < n; i++) {
      const a = offsets[i], b = offsets[i + 1];
      if (b - a > INTERN_BYTES_MAX) { out[i] = buf.toString('utf8', a, b); continue; }
      // FNV-1a over the bytes; `high` collects the top bits to tell ASCII apart.
      let h = 0x811c9dc5 ^ (b - a), high = 0;
      for (let k = a; k < b; k++) { const x = bytes[k]; high |= x; h = Math.imul(h ^ x, 0x01000193); }
      if (high >= 0x80) { out[i] = buf.toString('utf8', a, b); continue; }
      h &= 0x3fffffff; // a small integer: no boxing as a Map key
      const s = byHash.get(h);
      if (s !== undefined && sameAscii(s, bytes, a, b)) { out[i] = s; continue; }
      const fresh = buf.toString('latin1', a, b);
      if (byHash.size >= INTERN_VALUES_MAX) byHash.clear();
      byHash.set(h, fresh);
      out[i] = fresh;
    }
    return { type, length: n, values: out, nulls: readNulls(data) };
  }
}

function sameAscii(s: string, bytes: Uint8Array, a: number, b: number): boolean {
  if (s.length !== b - a) return false;
  for (let k = 0; k < s.length; k++) if (s.charCodeAt(k) !== bytes[a + k]) return false;
  return true;
}
