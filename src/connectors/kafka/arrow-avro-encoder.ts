/**
 * Arrow columns -> Avro binary, compiled once per (schema, columns): the mirror of the source's
 * decoder, for the sink's hot path. Strings are copied as UTF-8 bytes from the Arrow buffers
 * (no JS strings), numbers are written as zig-zag varints straight from the column arrays, and
 * all records of a batch go into one buffer that the produce call reads through views.
 *
 * Covers flat records: BOOLEAN, integers, FLOAT, DOUBLE, DECIMAL, STRING, BYTES, DATE, TIME,
 * timestamps, each optionally nullable (`[null, T]`). Schemas with nested records, arrays,
 * maps, enums or fixed return null from `compileAvroEncoder`, and the sink encodes those rows
 * through avsc instead.
 *
 * Spec: Avro 1.11 specification, "Binary Encoding".
 */
import type { Data } from 'apache-arrow';
import { generatedFactory, readColumn } from '../../operators/index.ts';
import type { ColumnDef } from '../../operators/index.ts';
import { nullableBranch } from './formats/avro-model.ts';
import type { AvroNode } from './formats/avro-model.ts';

/** One batch's columns in the layout the generated code reads. */
export interface EncoderColumn {
  readonly nulls: Uint8Array | null;
  /** Numbers (BIGINT and timestamps in ms as float64), or null for strings and decimals. */
  readonly num: ArrayLike<number> | null;
  /** UTF-8 / binary: Arrow's offsets and bytes. */
  readonly offsets: Int32Array | null;
  readonly bytes: Uint8Array | null;
  /** DECIMAL: Arrow's four little-endian 32-bit words per value (two's complement). */
  readonly words: Uint32Array | null;
}

export interface CompiledAvroEncoder {
  /** Encodes `rows[0..count)` of `cols` (each framed: magic byte and schema id first) after the previous ones. */
  encode(cols: readonly EncoderColumn[], rows: ArrayLike<number>, count: number): void;
  /** The records encoded since the last `take`, as views of one buffer. */
  take(): Buffer[];
}

/** Largest buffer one batch encodes into, in bytes. */
export const ENCODE_BUFFER_BYTES_MAX = 256 * 1024 * 1024;

/** Reads the batch columns an encoder needs (once per batch). */
export function prepareColumn(data: Data, def: ColumnDef): EncoderColumn {
  const t = def.type;
  if (t.kind === 'VARCHAR' || t.kind === 'CHAR' || t.kind === 'VARBINARY' || t.kind === 'BINARY') {
    const offsets = data.valueOffsets as Int32Array;
    const bytes = data.values as Uint8Array;
    // Arrow data may be a slice: offsets are absolute into `bytes`, rows relative to data.offset.
    return { nulls: nullsOf(data), num: null, offsets: offsets.subarray(data.offset, data.offset + data.length + 1), bytes, words: null };
  }
  // DECIMAL: written from the 128-bit words, never through bigint (the hot path of q1 and q14).
  if (t.kind === 'DECIMAL') return { nulls: nullsOf(data), num: null, offsets: null, bytes: null, words: data.values as Uint32Array };
  const col = readColumn(data, t);
  return { nulls: col.nulls, num: col.values as ArrayLike<number>, offsets: null, bytes: null, words: null };
}

/**
 * Compiles an encoder for `schema` (a record) writing `columns[i]` into the field named
 * `fieldColumns[i]`; null when the schema has a shape it does not cover.
 */
export function compileAvroEncoder(schemaId: number, schema: AvroNode, columns: readonly ColumnDef[]): CompiledAvroEncoder | null {
  if (schema.t !== 'record') return null;
  const parts: string[] = [];
  for (const f of schema.fields) {
    const ci = columns.findIndex((c) => c.name === f.name);
    const nb = nullableBranch(f.type);
    const inner = nb === null ? f.type : nb.inner;
    if (ci < 0) {
      if (nb === null) return null;
      parts.push(`buf[p++] = ${nb.nullIndex * 2};`);
      continue;
    }
    const type = columns[ci].type;
    if (type.kind === 'DECIMAL' && inner.t === 'bytes' && inner.scale !== type.scale) return null;
    const value = valueCode(inner, type.kind, ci);
    if (value === null) return null;
    if (nb === null) {
      parts.push(`if (c${ci}n !== null && c${ci}n[i] === 1) throw new RangeError('NULL in NOT NULL field ${f.name}'); ${value}`);
    } else {
      parts.push(`if (c${ci}n !== null && c${ci}n[i] === 1) buf[p++] = ${nb.nullIndex * 2}; else { buf[p++] = ${(1 - nb.nullIndex) * 2}; ${value} }`);
    }
  }
  const varBytes = columns.map((c, i) => (isBytes(c.type.kind) ? `(c${i}o[i + 1] - c${i}o[i])` : '')).filter((s) => s !== '');
  const fixedBytes = 5 + schema.fields.length * 20;
  const src = `
"use strict";
let buf = Buffer.allocUnsafe(64 * 1024), p = 0;
let ends = new Int32Array(1024), count = 0;
function grow(need) {
  let n = buf.length * 2;
  while (n < p + need) n *= 2;
  if (n > ${ENCODE_BUFFER_BYTES_MAX}) throw new RangeError('a batch encodes to more than ${ENCODE_BUFFER_BYTES_MAX} bytes');
  const next = Buffer.allocUnsafe(n);
  buf.copy(next, 0, 0, p);
  buf = next;
}
function long(v) {
  let z = v >= 0 ? v * 2 : -v * 2 - 1;
  if (z < 2147483648) { while (z > 127) { buf[p++] = (z & 127) | 128; z >>>= 7; } buf[p++] = z; return; }
  while (z >= 128) { buf[p++] = (z % 128) | 128; z = Math.floor(z / 128); }
  buf[p++] = z;
}
function bytes(src, from, to) {
  const n = to - from;
  long(n);
  if (n <= 512) for (let k = from; k < to; k++) buf[p++] = src[k];
  else { buf.set(src.subarray(from, to), p); p += n; }
}
// Avro decimal: the shortest big-endian two's complement of the 128-bit value at words[o..o+4).
function dec(w, o) {
  const neg = (w[o + 3] & 0x80000000) !== 0;
  const fill = neg ? 0xff : 0;
  let top = 15;
  // Drop leading sign bytes while the next byte still carries the sign bit.
  while (top > 0) {
    const b = (w[o + (top >> 2)] >>> ((top & 3) * 8)) & 0xff;
    if (b !== fill) break;
    const next = (w[o + ((top - 1) >> 2)] >>> (((top - 1) & 3) * 8)) & 0xff;
    if (((next & 0x80) !== 0) !== neg) break;
    top--;
  }
  buf[p++] = (top + 1) * 2;
  for (let k = top; k >= 0; k--) buf[p++] = (w[o + (k >> 2)] >>> ((k & 3) * 8)) & 0xff;
}
return {
  encode(cols, rows, count_) {
    ${columns.map((_, i) => `const c${i}n = cols[${i}].nulls, c${i}v = cols[${i}].num, c${i}o = cols[${i}].offsets, c${i}b = cols[${i}].bytes, c${i}w = cols[${i}].words;`).join('\n    ')}
    if (ends.length < count + count_) { const e = new Int32Array(Math.max(ends.length * 2, count + count_)); e.set(ends.subarray(0, count)); ends = e; }
    for (let r = 0; r < count_; r++) {
      const i = rows[r];
      const need = ${fixedBytes}${varBytes.length === 0 ? '' : ` + ${varBytes.join(' + ')}`};
      if (p + need > buf.length) grow(need);
      buf[p++] = 0; buf[p++] = ${(schemaId >>> 24) & 0xff}; buf[p++] = ${(schemaId >>> 16) & 0xff}; buf[p++] = ${(schemaId >>> 8) & 0xff}; buf[p++] = ${schemaId & 0xff};
      ${parts.join('\n      ')}
      ends[count++] = p;
    }
  },
  take() {
    const out = new Array(count);
    let start = 0;
    for (let k = 0; k < count; k++) { out[k] = buf.subarray(start, ends[k]); start = ends[k]; }
    count = 0;
    buf = Buffer.allocUnsafe(Math.max(64 * 1024, p));
    p = 0;
    return out;
  },
};`;
  return generatedFactory<() => CompiledAvroEncoder>([], src)();
}

function nullsOf(data: Data): Uint8Array | null {
  const bm = data.nullBitmap;
  if (bm === undefined || bm === null || bm.length === 0 || data.nullCount === 0) return null;
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const b = data.offset + i;
    out[i] = ((bm[b >> 3] >> (b & 7)) & 1) ^ 1;
  }
  return out;
}

function isBytes(kind: string): boolean {
  return kind === 'VARCHAR' || kind === 'CHAR' || kind === 'VARBINARY' || kind === 'BINARY';
}

/** Code writing column `ci`'s value at row `i` as `node`; null when not covered. */
function valueCode(node: AvroNode, kind: string, ci: number): string | null {
  const v = `c${ci}v[i]`;
  switch (node.t) {
    case 'boolean': return kind === 'BOOLEAN' ? `buf[p++] = ${v} ? 1 : 0;` : null;
    case 'int':
      if (['TINYINT', 'SMALLINT', 'INT', 'DATE', 'TIME'].includes(kind)) return `long(${v});`;
      return null;
    case 'long': {
      if (['TINYINT', 'SMALLINT', 'INT', 'BIGINT'].includes(kind)) return `long(${v});`;
      if (kind === 'TIMESTAMP' || kind === 'TIMESTAMP_LTZ') {
        const micros = node.logical === 'timestamp-micros' || node.logical === 'local-timestamp-micros';
        return micros ? `long(Math.round(${v} * 1000));` : `long(Math.round(${v}));`;
      }
      if (kind === 'TIME') return `long(${v} * 1000);`;
      return null;
    }
    case 'float': return ['FLOAT', 'DOUBLE', 'INT', 'BIGINT', 'SMALLINT', 'TINYINT'].includes(kind) ? `buf.writeFloatLE(${v}, p); p += 4;` : null;
    case 'double': return ['FLOAT', 'DOUBLE', 'INT', 'BIGINT', 'SMALLINT', 'TINYINT'].includes(kind) ? `buf.writeDoubleLE(${v}, p); p += 8;` : null;
    case 'string': case 'bytes':
      if (node.t === 'bytes' && node.logical === 'decimal') return kind === 'DECIMAL' ? `dec(c${ci}w, i * 4);` : null;
      if (isBytes(kind)) return `bytes(c${ci}b, c${ci}o[i], c${ci}o[i + 1]);`;
      return null;
    default: return null;
  }
}
