/**
 * Arrow-level gather: `takeData(data, indices)` copies the selected rows of one column without
 * decoding values (strings stay bytes). Filters and window assigners use it for the columns they
 * pass through unchanged.
 */
import { Data, makeData, makeVector, vectorFromArray, Type } from 'apache-arrow';

/** Rows `indices[0..count)` of `data`, in that order. */
export function takeData(data: Data, indices: Int32Array, count: number = indices.length): Data {
  const type = data.type;
  const nullBitmap = data.nullCount === 0 || data.nullBitmap === undefined || data.nullBitmap === null || data.nullBitmap.length === 0
    ? undefined
    : takeBits(data.nullBitmap, data.offset, indices, count);
  const nullCount = nullBitmap === undefined ? 0 : count - popcount(nullBitmap, count);
  switch (type.typeId) {
    case Type.Null:
      return makeData({ type, length: count, nullCount: count } as never);
    case Type.Bool:
      return makeData({ type, length: count, nullCount, nullBitmap, data: takeBits(data.values as Uint8Array, data.offset, indices, count) } as never);
    case Type.Int: case Type.Float: case Type.Decimal: case Type.Date: case Type.Time: case Type.Timestamp:
    case Type.Interval: case Type.Duration: case Type.FixedSizeBinary:
      return makeData({ type, length: count, nullCount, nullBitmap, data: takeFixed(data, indices, count) } as never);
    case Type.Utf8: case Type.Binary: {
      const { offsets, bytes } = takeVariable(data, indices, count);
      return makeData({ type, length: count, nullCount, nullBitmap, valueOffsets: offsets, data: bytes } as never);
    }
    default: {
      // Nested types are rare on the hot path: gather through the vector API.
      const v = makeVector(data);
      const out = new Array<unknown>(count);
      for (let j = 0; j < count; j++) out[j] = v.get(indices[j]);
      return vectorFromArray(out as never, type as never).data[0] as Data;
    }
  }
}

function takeBits(bits: Uint8Array, offset: number, indices: Int32Array, count: number): Uint8Array {
  const out = new Uint8Array(((count + 63) & ~63) >> 3);
  for (let j = 0; j < count; j++) {
    const b = offset + indices[j];
    if ((bits[b >> 3] >> (b & 7)) & 1) out[j >> 3] |= 1 << (j & 7);
  }
  return out;
}

function popcount(bits: Uint8Array, count: number): number {
  let c = 0;
  for (let j = 0; j < count; j++) c += (bits[j >> 3] >> (j & 7)) & 1;
  return c;
}

type FixedArray = Int8Array | Int16Array | Int32Array | Uint32Array | Float32Array | Float64Array | BigInt64Array | Uint8Array;

function takeFixed(data: Data, indices: Int32Array, count: number): FixedArray {
  const src = data.values as FixedArray;
  const stride = (data.stride as number) || 1;
  const Ctor = src.constructor as new (n: number) => FixedArray;
  const out = new Ctor(count * stride);
  if (stride === 1) {
    for (let j = 0; j < count; j++) out[j] = src[indices[j]];
  } else {
    for (let j = 0; j < count; j++) {
      const s = indices[j] * stride;
      for (let k = 0; k < stride; k++) out[j * stride + k] = src[s + k];
    }
  }
  return out;
}

function takeVariable(data: Data, indices: Int32Array, count: number): { offsets: Int32Array; bytes: Uint8Array } {
  const srcOffsets = data.valueOffsets as Int32Array;
  const src = data.values as Uint8Array;
  const offsets = new Int32Array(count + 1);
  let total = 0;
  for (let j = 0; j < count; j++) {
    const i = indices[j];
    total += srcOffsets[i + 1] - srcOffsets[i];
    offsets[j + 1] = total;
  }
  const bytes = new Uint8Array(total);
  for (let j = 0; j < count; j++) {
    const i = indices[j];
    const s = srcOffsets[i], e = srcOffsets[i + 1];
    let o = offsets[j];
    if (e - s > 24) bytes.set(src.subarray(s, e), o);
    else for (let k = s; k < e; k++) bytes[o++] = src[k];
  }
  return { offsets, bytes };
}
