/**
 * Connect data straight to Avro binary for the schema `connectToAvroSchema` derives, compiled once
 * per Connect schema into a tree of closures: no intermediate avsc value per record, and int64
 * carried exactly from a number or a bigint (avsc's `long` takes only numbers up to 2^53, which
 * lost Debezium's nanosecond timestamps). Hand-written rather than through avsc because avsc's
 * exact-long hook (`LongType.__with`) goes through an 8-byte buffer per value.
 *
 * Spec: Avro 1.11 "Binary Encoding": int/long zig-zag varints, float/double little-endian,
 * string/bytes as a long length and the bytes, unions as the branch index then the value
 * (`["null", T]`: 0 for null, 1 for a value), arrays and maps as one block (count, items, 0),
 * records as their fields in order. The mapping (optional → union, Decimal → bytes, maps with
 * non-string keys → arrays of key/value records) is that of `avro-data.ts`.
 */
import type { ConnectSchema } from '../data.ts';
import { SemanticTypes } from '../data.ts';
import { ConnectError } from '../errors.ts';
import { decimalToBytes } from './decimal.ts';

/** A growable output buffer; `pos` is where the next byte goes. */
export class AvroOut {
  buf: Buffer;
  pos = 0;
  constructor(bytes = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(bytes);
  }
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.pos + n, this.buf.length * 2));
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }
}

export type AvroWrite = (out: AvroOut, value: unknown) => void;

const twoPow31 = 2 ** 31;
const mask64 = (1n << 64n) - 1n;

/** A long as a zig-zag varint: numbers (exact integers) and bigints within int64. */
export function writeLong(out: AvroOut, v: number | bigint): void {
  out.ensure(10);
  const buf = out.buf;
  let pos = out.pos;
  if (typeof v === 'number' && v >= -twoPow31 && v < twoPow31 && v % 1 === 0) {
    let z = ((v << 1) ^ (v >> 31)) >>> 0;
    while (z >= 0x80) {
      buf[pos++] = (z & 0x7f) | 0x80;
      z >>>= 7;
    }
    buf[pos++] = z;
  } else if (typeof v === 'number' && Number.isSafeInteger(v)) {
    // Exact in float arithmetic: |2v| stays below 2^54.
    let z = v >= 0 ? v * 2 : -v * 2 - 1;
    while (z >= 0x80) {
      buf[pos++] = (z % 0x80) | 0x80;
      z = Math.floor(z / 0x80);
    }
    buf[pos++] = z;
  } else {
    const b = typeof v === 'bigint' ? v : BigInt(v);
    if (b < -(1n << 63n) || b >= 1n << 63n) throw new ConnectError('data', `${b} is outside the int64 range`);
    let z = ((b << 1n) ^ (b >> 63n)) & mask64;
    while (z >= 0x80n) {
      buf[pos++] = Number(z & 0x7fn) | 0x80;
      z >>= 7n;
    }
    buf[pos++] = Number(z);
  }
  out.pos = pos;
}

function writeBytes(out: AvroOut, b: Uint8Array): void {
  writeLong(out, b.length);
  out.ensure(b.length);
  out.buf.set(b, out.pos);
  out.pos += b.length;
}

function writeString(out: AvroOut, s: string): void {
  // One byte per char is the common case: write after a 1-byte length guess, fix up otherwise.
  const max = s.length * 3;
  out.ensure(max + 10);
  const n = max < 128 ? out.buf.write(s, out.pos + 1, 'utf8') : -1;
  if (n >= 0 && n < 64) {
    out.buf[out.pos] = n << 1;
    out.pos += 1 + n;
    return;
  }
  const len = Buffer.byteLength(s, 'utf8');
  writeLong(out, len);
  out.pos += out.buf.write(s, out.pos, 'utf8');
}

function fail(path: string, expected: string, value: unknown): never {
  const got = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  throw new ConnectError('data', `${path || 'value'}: expected ${expected}, got ${got} (${String(value).slice(0, 40)})`);
}

const compiled = new WeakMap<ConnectSchema, AvroWrite>();

/** The writer for values of `schema` (cached per schema object). */
export function avroWriterFor(schema: ConnectSchema): AvroWrite {
  let w = compiled.get(schema);
  if (w === undefined) {
    w = compile(schema, '');
    compiled.set(schema, w);
  }
  return w;
}

function compile(s: ConnectSchema, path: string): AvroWrite {
  const inner = compileNonNull(s, path);
  if (!s.optional) {
    return (out, v) => {
      if (v === null || v === undefined) fail(path, `a ${s.type} (the field is required)`, v);
      inner(out, v);
    };
  }
  return (out, v) => {
    out.ensure(1);
    if (v === null || v === undefined) {
      out.buf[out.pos++] = 0;
      return;
    }
    out.buf[out.pos++] = 2;
    inner(out, v);
  };
}

function compileNonNull(s: ConnectSchema, path: string): AvroWrite {
  switch (s.type) {
    case 'int8':
    case 'int16':
    case 'int32':
      return (out, v) => {
        const n = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : fail(path, s.type, v);
        if (n % 1 !== 0 || n < -twoPow31 || n >= twoPow31) fail(path, s.type, v);
        writeLong(out, n);
      };
    case 'int64':
      return (out, v) => {
        if (typeof v === 'number') {
          if (!Number.isSafeInteger(v)) fail(path, 'an exact int64 (a bigint beyond 2^53)', v);
          writeLong(out, v);
        } else if (typeof v === 'bigint') writeLong(out, v);
        else fail(path, 'int64', v);
      };
    case 'float32':
      return (out, v) => {
        if (typeof v !== 'number') fail(path, 'float32', v);
        out.ensure(4);
        out.pos = out.buf.writeFloatLE(v, out.pos);
      };
    case 'float64':
      return (out, v) => {
        if (typeof v !== 'number') fail(path, 'float64', v);
        out.ensure(8);
        out.pos = out.buf.writeDoubleLE(v, out.pos);
      };
    case 'boolean':
      return (out, v) => {
        if (typeof v !== 'boolean') fail(path, 'boolean', v);
        out.ensure(1);
        out.buf[out.pos++] = v ? 1 : 0;
      };
    case 'string':
      return (out, v) => {
        if (typeof v !== 'string') fail(path, 'string', v);
        writeString(out, v);
      };
    case 'bytes':
      if (s.name === SemanticTypes.Decimal) {
        const scale = Number(s.parameters?.scale ?? '0');
        return (out, v) => writeBytes(out, decimalToBytes(String(v), scale));
      }
      return (out, v) => writeBytes(out, v instanceof Uint8Array ? v : typeof v === 'string' ? Buffer.from(v) : fail(path, 'bytes', v));
    case 'array': {
      const item = compile(req(s.items, 'array items'), `${path}[]`);
      return (out, v) => {
        if (!Array.isArray(v)) fail(path, 'array', v);
        if (v.length > 0) {
          writeLong(out, v.length);
          for (const x of v) item(out, x);
        }
        writeLong(out, 0);
      };
    }
    case 'map': {
      const keys = req(s.keys, 'map keys');
      const values = compile(req(s.items, 'map values'), `${path}{}`);
      const entriesOf = (v: unknown): [unknown, unknown][] =>
        v instanceof Map ? [...v.entries()] : v !== null && typeof v === 'object' ? Object.entries(v) : fail(path, 'map', v);
      if (keys.type === 'string') {
        return (out, v) => {
          const entries = entriesOf(v);
          if (entries.length > 0) {
            writeLong(out, entries.length);
            for (const [k, x] of entries) {
              writeString(out, String(k));
              values(out, x);
            }
          }
          writeLong(out, 0);
        };
      }
      const key = compile(keys, `${path}{key}`);
      return (out, v) => {
        const entries = entriesOf(v);
        if (entries.length > 0) {
          writeLong(out, entries.length);
          for (const [k, x] of entries) {
            key(out, k);
            values(out, x);
          }
        }
        writeLong(out, 0);
      };
    }
    case 'struct': {
      const fields = (s.fields ?? []).map((f) => ({ name: f.name, write: compile(f.schema, path === '' ? f.name : `${path}.${f.name}`) }));
      return (out, v) => {
        if (typeof v !== 'object' || v === null) fail(path, `struct ${s.name ?? ''}`.trim(), v);
        const obj = v as Record<string, unknown>;
        for (let i = 0; i < fields.length; i++) fields[i].write(out, obj[fields[i].name]);
      };
    }
    default: {
      const never: never = s.type;
      throw new Error(`unknown Connect type ${String(never)}`);
    }
  }
}

function req<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new Error(`Connect schema has no ${what}`);
  return v;
}

const scratch = new AvroOut();

/** A Confluent wire-format record: magic byte, schema id, then `value` in Avro binary. */
export function encodeAvroRecord(schemaId: number, schema: ConnectSchema, value: unknown): Buffer {
  const write = avroWriterFor(schema);
  const out = scratch;
  out.pos = 0;
  out.ensure(5);
  out.buf[0] = 0;
  out.buf.writeInt32BE(schemaId, 1);
  out.pos = 5;
  write(out, value);
  return Buffer.from(out.buf.subarray(0, out.pos));
}
