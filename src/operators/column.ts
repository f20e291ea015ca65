/**
 * The in-memory column layout operators compute on, and its conversion from and to Arrow `Data`.
 *
 * Arrow keeps 64-bit integers in BigInt64Array, decimals as 128-bit words and strings as UTF-8
 * bytes. Compiled expressions want plain JavaScript numbers, so at a batch boundary a column the
 * expression reads is converted once (per batch, never per row object):
 *
 * | SQL type                                   | values array  | scalar   |
 * |--------------------------------------------|---------------|----------|
 * | BOOLEAN                                    | Uint8Array 0/1| boolean  |
 * | TINYINT / SMALLINT / INT                   | Int8/16/32    | number   |
 * | DATE (days), TIME (ms of day), INTERVAL YM | Int32Array    | number   |
 * | BIGINT, TIMESTAMP*(epoch ms), INTERVAL DT  | Float64Array  | number   |
 * | FLOAT / DOUBLE                             | Float32/64    | number   |
 * | DECIMAL(p, s) (unscaled value)             | bigint[]      | bigint   |
 * | CHAR / VARCHAR                             | string[]      | string   |
 * | BINARY / VARBINARY                         | Uint8Array[]  | view     |
 * | ARRAY / MAP / ROW                          | unknown[]     | JS value |
 *
 * BIGINT as float64: V8 arithmetic on doubles is an order of magnitude faster than on BigInt, and
 * every id, price, count and epoch-millisecond timestamp in practice lies within +-2^53. A value
 * outside that range is refused with NUMERIC_OVERFLOW when read (never silently rounded), and
 * BIGINT arithmetic checks its results against the same bound.
 *
 * `nulls` holds one byte per row (1 = NULL) or is null when the column has no NULLs.
 */
import { Data, makeData, makeVector, vectorFromArray, Type } from 'apache-arrow';
import type { DataType } from 'apache-arrow';
import { ExecutionError } from './errors.ts';
import { toArrowType } from './arrow-types.ts';
import type { SqlType } from './types.ts';

export type ColumnValues =
  | Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array
  | bigint[] | string[] | Uint8Array[] | unknown[];

export interface Column {
  readonly type: SqlType;
  readonly length: number;
  readonly values: ColumnValues;
  readonly nulls: Uint8Array | null;
}

export type PhysicalKind = 'bool' | 'i8' | 'i16' | 'i32' | 'f32' | 'f64' | 'decimal' | 'string' | 'binary' | 'object';

/** Largest magnitude a BIGINT may have in memory (2^53 - 1). */
export const EXACT_INTEGER_MAX = Number.MAX_SAFE_INTEGER;

export function physicalKind(t: SqlType): PhysicalKind {
  switch (t.kind) {
    case 'BOOLEAN': return 'bool';
    case 'TINYINT': return 'i8';
    case 'SMALLINT': return 'i16';
    case 'INT': case 'DATE': case 'TIME': case 'INTERVAL_YEAR_MONTH': return 'i32';
    case 'BIGINT': case 'TIMESTAMP': case 'TIMESTAMP_LTZ': case 'INTERVAL_DAY_TIME': case 'DOUBLE': return 'f64';
    case 'FLOAT': return 'f32';
    case 'DECIMAL': return 'decimal';
    case 'CHAR': case 'VARCHAR': return 'string';
    case 'BINARY': case 'VARBINARY': return 'binary';
    default: return 'object';
  }
}

/** JS source of the constructor for a kind's values array, used by generated code. */
export function valuesCtorSource(kind: PhysicalKind): string {
  switch (kind) {
    case 'bool': return 'Uint8Array';
    case 'i8': return 'Int8Array';
    case 'i16': return 'Int16Array';
    case 'i32': return 'Int32Array';
    case 'f32': return 'Float32Array';
    case 'f64': return 'Float64Array';
    default: return 'Array';
  }
}

export function allocValues(kind: PhysicalKind, n: number): ColumnValues {
  switch (kind) {
    case 'bool': return new Uint8Array(n);
    case 'i8': return new Int8Array(n);
    case 'i16': return new Int16Array(n);
    case 'i32': return new Int32Array(n);
    case 'f32': return new Float32Array(n);
    case 'f64': return new Float64Array(n);
    default: return new Array<unknown>(n).fill(null);
  }
}

// ---------------------------------------------------------------------------------------------
// Arrow -> Column

/** Converts one Arrow column (a single `Data` chunk) to the in-memory layout for `type`. */
export function readColumn(data: Data, type: SqlType): Column {
  const n = data.length;
  const nulls = readNulls(data);
  const kind = physicalKind(type);
  let values: ColumnValues;
  switch (kind) {
    case 'bool': values = readBits(data.values as Uint8Array, data.offset, n); break;
    case 'f64': values = readF64(data, type); break;
    case 'decimal': values = readDecimal(data.values as Uint32Array, n, (data.stride as number) || 4); break;
    case 'string': values = readUtf8(data); break;
    case 'binary': values = readBinary(data); break;
    case 'object': values = readObjects(data); break;
    default: values = data.values as Int32Array; break;
  }
  return { type, length: n, values, nulls };
}

/** The NULL flags of `data` (one byte per row, 1 = NULL), or null when it has no NULLs. */
export function readNulls(data: Data): Uint8Array | null {
  const bm = data.nullBitmap;
  if (data.typeId === Type.Null) return new Uint8Array(data.length).fill(1);
  if (bm === undefined || bm === null || bm.length === 0 || data.nullCount === 0) return null;
  const n = data.length;
  const out = new Uint8Array(n);
  const off = data.offset;
  for (let i = 0; i < n; i++) {
    const b = off + i;
    out[i] = ((bm[b >> 3] >> (b & 7)) & 1) ^ 1;
  }
  return out;
}

function readBits(bits: Uint8Array, offset: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const b = offset + i;
    out[i] = (bits[b >> 3] >> (b & 7)) & 1;
  }
  return out;
}

function readF64(data: Data, type: SqlType): Float64Array {
  const t = data.type as DataType;
  if (t.typeId === Type.Float) return data.values as Float64Array;
  const src = data.values as BigInt64Array;
  const words = new Int32Array(src.buffer, src.byteOffset, src.length * 2);
  const n = data.length;
  const out = new Float64Array(n);
  const unit = t.typeId === Type.Timestamp || t.typeId === Type.Duration ? (t as unknown as { unit: number }).unit : 1;
  const checked = unit !== 3; // nanoseconds exceed 2^53 by nature; they are scaled down to ms below
  for (let i = 0; i < n; i++) {
    const hi = words[2 * i + 1];
    if (checked && (hi > 0x1fffff || hi < -0x200000)) {
      throw new ExecutionError('NUMERIC_OVERFLOW', `value ${src[i]} of a ${type.kind} column lies outside +-2^53, the exact range Runnel computes in`);
    }
    out[i] = hi * 4294967296 + (words[2 * i] >>> 0);
  }
  if (unit === 0) for (let i = 0; i < n; i++) out[i] *= 1000;
  else if (unit === 2) for (let i = 0; i < n; i++) out[i] /= 1000;
  else if (unit === 3) for (let i = 0; i < n; i++) out[i] /= 1_000_000;
  return out;
}

function readDecimal(words: Uint32Array, n: number, stride: number): bigint[] {
  const out = new Array<bigint>(n);
  for (let i = 0; i < n; i++) {
    const o = i * stride;
    const w0 = words[o], w1 = words[o + 1], w2 = words[o + 2], w3 = words[o + 3];
    if (w3 === 0 && w2 === 0 && w1 < 0x200000) out[i] = BigInt(w1 * 4294967296 + w0);
    else if (w3 === 0xffffffff && w2 === 0xffffffff && w1 >= 0xffe00000) out[i] = BigInt((w1 | 0) * 4294967296 + w0);
    else {
      let v = (BigInt(w3) << 96n) | (BigInt(w2) << 64n) | (BigInt(w1) << 32n) | BigInt(w0);
      if (w3 & 0x80000000) v -= 1n << 128n;
      out[i] = v;
    }
  }
  return out;
}

function readUtf8(data: Data): string[] {
  const n = data.length;
  const offsets = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) out[i] = buf.toString('utf8', offsets[i], offsets[i + 1]);
  return out;
}

function readBinary(data: Data): Uint8Array[] {
  const n = data.length;
  const offsets = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  const out = new Array<Uint8Array>(n);
  for (let i = 0; i < n; i++) out[i] = bytes.subarray(offsets[i], offsets[i + 1]);
  return out;
}

function readObjects(data: Data): unknown[] {
  const v = makeVector(data);
  const out = new Array<unknown>(data.length);
  for (let i = 0; i < data.length; i++) {
    const x: unknown = v.get(i);
    out[i] = x !== null && typeof x === 'object' && 'toJSON' in x ? (x as { toJSON(): unknown }).toJSON() : x;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Column -> Arrow

/** Converts a column back to Arrow `Data` of `toArrowType(col.type)`. */
export function toArrowData(col: Column): Data {
  const type = toArrowType(col.type);
  const n = col.length;
  const nullBitmap = col.nulls === null ? undefined : packValidity(col.nulls, n);
  const nullCount = col.nulls === null ? 0 : countOnes(col.nulls, n);
  const kind = physicalKind(col.type);
  switch (kind) {
    case 'bool':
      return makeData({ type, length: n, nullCount, nullBitmap, data: packBits(col.values as Uint8Array, n) } as never);
    case 'i8': case 'i16': case 'i32': case 'f32':
      return makeData({ type, length: n, nullCount, nullBitmap, data: (col.values as Int32Array).subarray(0, n) } as never);
    case 'f64':
      return makeData({ type, length: n, nullCount, nullBitmap, data: writeF64(col.values as Float64Array, n, type) } as never);
    case 'decimal':
      return makeData({ type, length: n, nullCount, nullBitmap, data: writeDecimal(col.values as bigint[], col.nulls, n) } as never);
    case 'string': {
      const { offsets, bytes } = writeUtf8(col.values as string[], col.nulls, n);
      return makeData({ type, length: n, nullCount, nullBitmap, valueOffsets: offsets, data: bytes } as never);
    }
    case 'binary': {
      const { offsets, bytes } = writeBinary(col.values as Uint8Array[], col.nulls, n);
      return makeData({ type, length: n, nullCount, nullBitmap, valueOffsets: offsets, data: bytes } as never);
    }
    default: {
      const vals = (col.values as unknown[]).slice(0, n).map((v, i) => (col.nulls !== null && col.nulls[i] === 1 ? null : v));
      return vectorFromArray(vals as never, type as never).data[0] as Data;
    }
  }
}

export function packValidity(nulls: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(((n + 63) & ~63) >> 3);
  for (let i = 0; i < n; i++) if (nulls[i] === 0) out[i >> 3] |= 1 << (i & 7);
  return out;
}

function packBits(v: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(((n + 63) & ~63) >> 3);
  for (let i = 0; i < n; i++) if (v[i] !== 0) out[i >> 3] |= 1 << (i & 7);
  return out;
}

function countOnes(v: Uint8Array, n: number): number {
  let c = 0;
  for (let i = 0; i < n; i++) c += v[i];
  return c;
}

function writeF64(v: Float64Array, n: number, type: DataType): Float64Array | BigInt64Array {
  if (type.typeId === Type.Float) return v.subarray(0, n);
  const unit = type.typeId === Type.Timestamp || type.typeId === Type.Duration ? (type as unknown as { unit: number }).unit : 1;
  const out = new BigInt64Array(n);
  if (unit === 3) {
    for (let i = 0; i < n; i++) out[i] = BigInt(Math.round(v[i] * 1000)) * 1000n;
    return out;
  }
  const scale = unit === 0 ? 0.001 : unit === 2 ? 1000 : 1;
  const words = new Int32Array(out.buffer);
  for (let i = 0; i < n; i++) {
    const x = scale === 1 ? v[i] : Math.round(v[i] * scale);
    const hi = Math.floor(x / 4294967296);
    words[2 * i] = (x - hi * 4294967296) | 0;
    words[2 * i + 1] = hi;
  }
  return out;
}

function writeDecimal(v: bigint[], nulls: Uint8Array | null, n: number): Uint32Array {
  const out = new Uint32Array(n * 4);
  for (let i = 0; i < n; i++) {
    if (nulls !== null && nulls[i] === 1) continue;
    let x = BigInt.asUintN(128, v[i]);
    for (let w = 0; w < 4; w++) {
      out[i * 4 + w] = Number(x & 0xffffffffn);
      x >>= 32n;
    }
  }
  return out;
}

function writeUtf8(v: string[], nulls: Uint8Array | null, n: number): { offsets: Int32Array; bytes: Uint8Array } {
  // ASCII (what nearly all values are) is copied char by char: two native calls per string
  // (byteLength, write) cost more than the copy. A column with any other character is encoded
  // by Buffer instead.
  const offsets = new Int32Array(n + 1);
  let chars = 0;
  for (let i = 0; i < n; i++) if (nulls === null || nulls[i] === 0) chars += v[i].length;
  const bytes = new Uint8Array(chars);
  let pos = 0;
  for (let i = 0; i < n; i++) {
    if (nulls === null || nulls[i] === 0) {
      const s = v[i];
      const len = s.length;
      for (let k = 0; k < len; k++) {
        const c = s.charCodeAt(k);
        if (c >= 0x80) return writeUtf8Encoded(v, nulls, n);
        bytes[pos++] = c;
      }
    }
    offsets[i + 1] = pos;
  }
  return { offsets, bytes };
}

function writeUtf8Encoded(v: string[], nulls: Uint8Array | null, n: number): { offsets: Int32Array; bytes: Uint8Array } {
  const offsets = new Int32Array(n + 1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (nulls === null || nulls[i] === 0) total += Buffer.byteLength(v[i], 'utf8');
    offsets[i + 1] = total;
  }
  const bytes = Buffer.allocUnsafe(total);
  for (let i = 0; i < n; i++) {
    if (offsets[i + 1] > offsets[i]) bytes.write(v[i], offsets[i], 'utf8');
  }
  return { offsets, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, total) };
}

function writeBinary(v: Uint8Array[], nulls: Uint8Array | null, n: number): { offsets: Int32Array; bytes: Uint8Array } {
  const offsets = new Int32Array(n + 1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (nulls === null || nulls[i] === 0) total += v[i].length;
    offsets[i + 1] = total;
  }
  const bytes = new Uint8Array(total);
  for (let i = 0; i < n; i++) if (offsets[i + 1] > offsets[i]) bytes.set(v[i], offsets[i]);
  return { offsets, bytes };
}

/** A column of `n` copies of one scalar (or NULLs). */
export function constantColumn(type: SqlType, value: unknown, n: number): Column {
  const kind = physicalKind(type);
  const values = allocValues(kind, n);
  if (value === null) return { type, length: n, values, nulls: new Uint8Array(n).fill(1) };
  const stored = kind === 'bool' ? (value === true ? 1 : 0) : value;
  (values as { fill(v: unknown): unknown }).fill(stored);
  return { type, length: n, values, nulls: null };
}

/** Reads the scalar at row `i` (NULL as `null`); BOOLEAN comes back as a boolean. */
export function scalarAt(col: Column, i: number): unknown {
  if (col.nulls !== null && col.nulls[i] === 1) return null;
  const v = (col.values as ArrayLike<unknown>)[i];
  return col.type.kind === 'BOOLEAN' ? v === 1 : v;
}
