/**
 * The SQL sinks' fast path for plain Avro rows: a decoder compiled once per (writer schema, row
 * shape) reads a record's Avro body (after the 5-byte Confluent header) straight into the column
 * values `RowOpBuilder.build` would give for it, without the Connect value object, the
 * SinkRecord and the per-value normaliser call (those were most of the sink's JS time per row).
 *
 * Only flat records whose fields are primitives Connect maps as they are (int, long as bigint,
 * float, double, boolean, string, each optionally `["null", T]`) and no semantic type
 * (`connect.name`: decimals, timestamps, dates, JSON) are compiled; anything else returns null and
 * the record takes the general path. The fields must map one to one onto the shape's columns, in
 * order (`buildShape` takes them from the same schema, after no key columns).
 */
import type { ConnectSchema } from '../data.ts';
import type { RowShape } from './row-ops.ts';

/** Reads one record body into `out` (one value per shape column); false when the bytes do not fit the schema. */
export type WireRowDecoder = (buf: Buffer, out: unknown[]) => boolean;

export type FieldRead = 'int' | 'long' | 'float' | 'double' | 'boolean' | 'string';

const primitive = new Set<string>(['int', 'long', 'float', 'double', 'boolean', 'string']);

/** The field's reader and nullability, or null when the fast path does not handle its type. */
function fieldRead(type: unknown): { read: FieldRead; nullFirst: boolean | null } | null {
  if (typeof type === 'string') return primitive.has(type) ? { read: type as FieldRead, nullFirst: null } : null;
  if (Array.isArray(type)) {
    if (type.length !== 2) return null;
    const at = type.indexOf('null');
    if (at < 0) return null;
    const other = fieldRead(type[1 - at]);
    return other === null || other.nullFirst !== null ? null : { read: other.read, nullFirst: at === 0 };
  }
  if (type !== null && typeof type === 'object') {
    const o = type as Record<string, unknown>;
    // Annotated primitives (`{"type": "int", "connect.type": "int16"}`); logical and semantic types are not handled.
    if (typeof o.type !== 'string' || o.logicalType !== undefined || o['connect.name'] !== undefined) return null;
    return fieldRead(o.type);
  }
  return null;
}

/** Whether the Connect field's normaliser is the identity (or, for int64, toBigInt) for what the reader yields. */
function plainConnect(s: ConnectSchema, read: FieldRead): boolean {
  if (s.name !== undefined) return false;
  switch (read) {
    case 'int':
      return s.type === 'int8' || s.type === 'int16' || s.type === 'int32';
    case 'long':
      return s.type === 'int64';
    case 'float':
      return s.type === 'float32';
    case 'double':
      return s.type === 'float64';
    case 'boolean':
      return s.type === 'boolean';
    case 'string':
      return s.type === 'string';
  }
}

/** How each column is read from the record body: the Avro reader, and where `null` sits in a `["null", T]` union (null: not a union). */
export interface WirePlan {
  readonly reads: readonly FieldRead[];
  readonly nulls: readonly (boolean | null)[];
}

/** The plan for records written with `avro` (read back as `rowSchema`) into `shape`, or null when the fast path does not apply. */
export function wirePlan(avro: unknown, rowSchema: ConnectSchema, shape: RowShape): WirePlan | null {
  if (avro === null || typeof avro !== 'object' || (avro as { type?: unknown }).type !== 'record') return null;
  const fields = ((avro as { fields?: { name: string; type: unknown }[] }).fields ?? []);
  const connectFields = rowSchema.fields ?? [];
  if (fields.length !== shape.columns.length || connectFields.length !== fields.length) return null;
  const reads: FieldRead[] = [];
  const nulls: (boolean | null)[] = [];
  for (let k = 0; k < fields.length; k++) {
    const src = shape.sources[k];
    if (src.from !== 'row' || src.field !== fields[k].name || connectFields[k].name !== fields[k].name) return null;
    const f = fieldRead(fields[k].type);
    if (f === null || !plainConnect(connectFields[k].schema, f.read)) return null;
    reads.push(f.read);
    nulls.push(f.nullFirst);
  }
  return { reads, nulls };
}

/** A decoder for records written with `avro` (read back as `rowSchema`) into `shape`, or null when the fast path does not apply. */
export function compileWireRowDecoder(avro: unknown, rowSchema: ConnectSchema, shape: RowShape): WireRowDecoder | null {
  const plan = wirePlan(avro, rowSchema, shape);
  if (plan === null) return null;
  const { reads, nulls } = plan;
  const n = reads.length;
  return (buf, out) => {
    let pos = 5;
    const end = buf.length;
    for (let k = 0; k < n; k++) {
      const nullFirst = nulls[k];
      if (nullFirst !== null) {
        // The union's branch index: 0 or 1, one byte as a zig-zag varint (0 → 0, 1 → 2).
        if (pos >= end) return false;
        const b = buf[pos++];
        if (b !== 0 && b !== 2) return false;
        if ((b === 0) === nullFirst) {
          out[k] = null;
          continue;
        }
      }
      switch (reads[k]) {
        case 'boolean':
          if (pos >= end) return false;
          out[k] = buf[pos++] === 1;
          break;
        case 'float':
          if (pos + 4 > end) return false;
          out[k] = buf.readFloatLE(pos);
          pos += 4;
          break;
        case 'double':
          if (pos + 8 > end) return false;
          out[k] = buf.readDoubleLE(pos);
          pos += 8;
          break;
        default: {
          // int, long, and string's length: a zig-zag varint. Up to 7 bytes (49 bits) in float arithmetic.
          const start = pos;
          let z = 0;
          let m = 1;
          let b: number;
          do {
            if (pos >= end) return false;
            if (pos - start === 7) {
              // A long past 49 bits: exact in bigint (what toBigInt gives on the general path).
              if (reads[k] !== 'long') return false;
              pos = bigLong(buf, start, end, out, k);
              if (pos < 0) return false;
              break;
            }
            b = buf[pos++];
            z += (b & 0x7f) * m;
            m *= 128;
          } while (b & 0x80);
          if (pos - start > 7) break;
          const v = z % 2 === 0 ? z / 2 : -(z + 1) / 2;
          const r = reads[k];
          if (r === 'int') out[k] = v;
          else if (r === 'long') out[k] = BigInt(v);
          else {
            if (v < 0 || pos + v > end) return false;
            out[k] = (buf as Buffer & { utf8Slice(start: number, end: number): string }).utf8Slice(pos, pos + v);
            pos += v;
          }
        }
      }
    }
    return pos === end;
  };
}

/** Reads a zig-zag varint long at `pos` as a bigint into `out[k]`; the position after it, or -1 when truncated. */
export function bigLong(buf: Buffer, pos: number, end: number, out: unknown[], k: number): number {
  let z = 0n;
  let shift = 0n;
  let b: number;
  do {
    if (pos >= end || shift > 63n) return -1;
    b = buf[pos++];
    z |= BigInt(b & 0x7f) << shift;
    shift += 7n;
  } while (b & 0x80);
  out[k] = BigInt.asIntN(64, (z >> 1n) ^ -(z & 1n));
  return pos;
}
