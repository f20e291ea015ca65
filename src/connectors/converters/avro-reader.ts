/**
 * Avro binary to the values avsc would decode, for registry schemas, with one change: `long` is
 * read exactly (a number up to 2^53, a bigint beyond), where avsc's own long throws "potential
 * precision loss" (Debezium's nanosecond timestamps are ~1.8e18). The shapes Connect writes are
 * read by a reader compiled per schema (avsc's exact-long hook slices a buffer per value); other
 * schemas (general unions) go through avsc with that hook.
 *
 * Spec: Avro 1.11 "Binary Encoding" (see avro-writer.ts); arrays and maps may use negative block
 * counts followed by the block's byte size.
 */
import avro from 'avsc';
import type { Type } from 'avsc';
import { ConnectError } from '../errors.ts';

const maxSafe = BigInt(Number.MAX_SAFE_INTEGER);

/** A zig-zag varint (its raw bytes) as a number when exact, else a bigint. */
function longFromVarint(buf: Buffer): number | bigint {
  if (buf.length <= 7) {
    // At most 49 bits: exact in float arithmetic.
    let z = 0;
    let m = 1;
    for (let i = 0; i < buf.length; i++) {
      z += (buf[i] & 0x7f) * m;
      m *= 128;
    }
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }
  let z = 0n;
  for (let i = buf.length - 1; i >= 0; i--) z = (z << 7n) | BigInt(buf[i] & 0x7f);
  const v = (z >> 1n) ^ -(z & 1n);
  return v >= -maxSafe && v <= maxSafe ? Number(v) : v;
}

function varintOf(v: number | bigint): Buffer {
  const b = BigInt(v);
  let z = BigInt.asUintN(64, (b << 1n) ^ (b >> 63n));
  const bytes: number[] = [];
  while (z >= 0x80n) {
    bytes.push(Number(z & 0x7fn) | 0x80);
    z >>= 7n;
  }
  bytes.push(Number(z));
  return Buffer.from(bytes);
}

const isLong = (v: unknown) => typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));

/** Built per schema (avsc records the type in its registry), so one type object serves them all. */
const exactLong = avro.types.LongType.__with(
  {
    fromBuffer: longFromVarint,
    toBuffer: varintOf,
    fromJSON: (v: unknown) => v,
    toJSON: (v: unknown) => (typeof v === 'bigint' ? v.toString() : v),
    isValid: isLong,
    compare: (a: number | bigint, b: number | bigint) => (a < b ? -1 : a > b ? 1 : 0),
  },
  true,
);

/** Decodes the body of a wire-format record (after its 5-byte header) written with `schemaJson`. */
export function avroReaderFor(schemaJson: unknown): (buf: Buffer) => unknown {
  const compiled = compileReader(schemaJson);
  if (compiled !== null) {
    const input: In = { buf: emptyBuffer, pos: 0 };
    return (buf) => {
      input.buf = buf;
      input.pos = 5;
      try {
        const value = compiled(input);
        if (input.pos > buf.length) throw new ConnectError('data', 'truncated Avro payload');
        if (input.pos !== buf.length) throw new ConnectError('data', `Avro payload has ${buf.length - input.pos} trailing bytes`);
        return value;
      } finally {
        input.buf = emptyBuffer; // do not keep the record's buffer alive
      }
    };
  }
  const type: Type = avro.Type.forSchema(schemaJson as avro.Schema, { registry: { long: exactLong } });
  return (buf) => {
    const { value, offset } = type.decode(buf, 5);
    if (offset < 0) throw new ConnectError('data', 'truncated Avro payload');
    if (offset !== buf.length) throw new ConnectError('data', `Avro payload has ${buf.length - offset} trailing bytes`);
    return value;
  };
}

const emptyBuffer = Buffer.alloc(0);

/** Reading state: the record's bytes and the position of the next one. */
interface In {
  buf: Buffer;
  pos: number;
}
type Read = (i: In) => unknown;

/** A zig-zag varint long: a number when exact (up to 2^53), else a bigint. */
function readLong(i: In): number | bigint {
  const buf = i.buf;
  let pos = i.pos;
  let b = buf[pos++];
  let z = b & 0x7f;
  let m = 128;
  let n = 1;
  while (b & 0x80) {
    if (n === 7) {
      // Past 49 bits: finish in bigint arithmetic from the start.
      i.pos = pos - 7;
      return readBigLong(i);
    }
    b = buf[pos++];
    z += (b & 0x7f) * m;
    m *= 128;
    n++;
  }
  if (pos > buf.length) throw new ConnectError('data', 'truncated Avro payload');
  i.pos = pos;
  return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
}

function readBigLong(i: In): number | bigint {
  const buf = i.buf;
  let z = 0n;
  let shift = 0n;
  let b: number;
  do {
    if (i.pos >= buf.length) throw new ConnectError('data', 'truncated Avro payload');
    b = buf[i.pos++];
    z |= BigInt(b & 0x7f) << shift;
    shift += 7n;
  } while (b & 0x80);
  const v = (z >> 1n) ^ -(z & 1n);
  return v >= -maxSafe && v <= maxSafe ? Number(v) : v;
}

const readInt = (i: In) => readLong(i) as number;

function readBytes(i: In): Buffer {
  const n = readInt(i);
  const end = i.pos + n;
  if (end > i.buf.length) throw new ConnectError('data', 'truncated Avro payload');
  const out = Buffer.from(i.buf.subarray(i.pos, end));
  i.pos = end;
  return out;
}

function readString(i: In): string {
  const n = readInt(i);
  const end = i.pos + n;
  if (end > i.buf.length) throw new ConnectError('data', 'truncated Avro payload');
  // Buffer's own utf8Slice (what `toString('utf8', ...)` ends in, without its argument handling; avsc reads strings the same way).
  const s = (i.buf as Buffer & { utf8Slice(start: number, end: number): string }).utf8Slice(i.pos, end);
  i.pos = end;
  return s;
}

/**
 * A reader compiled from the writer's Avro schema for the shapes Connect writes (primitives,
 * records, enums, arrays, maps, fixed, `null` unions with one other branch); null when the schema
 * has something else (general unions), for which avsc reads.
 */
function compileReader(schema: unknown): Read | null {
  const named = new Map<string, Read>();
  const visit = (a: unknown, ns: string): Read | null => {
    if (typeof a === 'string') {
      switch (a) {
        case 'null':
          return () => null;
        case 'boolean':
          return (i) => i.buf[i.pos++] === 1;
        case 'int':
          return readInt;
        case 'long':
          return readLong;
        case 'float':
          return (i) => {
            const v = i.buf.readFloatLE(i.pos);
            i.pos += 4;
            return v;
          };
        case 'double':
          return (i) => {
            const v = i.buf.readDoubleLE(i.pos);
            i.pos += 8;
            return v;
          };
        case 'bytes':
          return readBytes;
        case 'string':
          return readString;
        default: {
          const full = a.includes('.') || ns === '' ? a : `${ns}.${a}`;
          const ref = named.get(full) ?? named.get(a);
          if (ref === undefined) return null;
          return ref;
        }
      }
    }
    if (Array.isArray(a)) {
      if (a.length !== 2) return null;
      const nullAt = a.indexOf('null');
      if (nullAt < 0) return null;
      const other = visit(a[1 - nullAt], ns);
      if (other === null) return null;
      return nullAt === 0 ? (i) => (readInt(i) === 0 ? null : other(i)) : (i) => (readInt(i) === 0 ? other(i) : null);
    }
    if (a === null || typeof a !== 'object') return null;
    const o = a as Record<string, unknown>;
    const fullName = () => {
      const name = String(o.name);
      if (name.includes('.')) return name;
      const space = typeof o.namespace === 'string' ? o.namespace : ns;
      return space ? `${space}.${name}` : name;
    };
    switch (o.type) {
      case 'record':
      case 'error': {
        const full = fullName();
        const childNs = full.includes('.') ? full.slice(0, full.lastIndexOf('.')) : '';
        const fields: { name: string; read: Read }[] = [];
        // Registered before the fields so a record may refer to itself.
        named.set(full, (i) => readRecord(i));
        for (const f of (o.fields as { name: string; type: unknown }[]) ?? []) {
          const read = visit(f.type, childNs);
          if (read === null) return null;
          fields.push({ name: f.name, read });
        }
        const readRecord = (i: In) => {
          const out: Record<string, unknown> = {};
          for (let k = 0; k < fields.length; k++) out[fields[k].name] = fields[k].read(i);
          return out;
        };
        return readRecord;
      }
      case 'enum': {
        const symbols = (o.symbols as string[]) ?? [];
        const read: Read = (i) => symbols[readInt(i)];
        named.set(fullName(), read);
        return read;
      }
      case 'fixed': {
        const size = Number(o.size);
        const read: Read = (i) => {
          const out = Buffer.from(i.buf.subarray(i.pos, i.pos + size));
          i.pos += size;
          return out;
        };
        named.set(fullName(), read);
        return read;
      }
      case 'array': {
        const item = visit(o.items, ns);
        if (item === null) return null;
        return (i) => {
          const out: unknown[] = [];
          for (let n = readInt(i); n !== 0; n = readInt(i)) {
            if (n < 0) {
              n = -n;
              readLong(i); // block size in bytes
            }
            for (let k = 0; k < n; k++) out.push(item(i));
          }
          return out;
        };
      }
      case 'map': {
        const value = visit(o.values, ns);
        if (value === null) return null;
        return (i) => {
          const out: Record<string, unknown> = {};
          for (let n = readInt(i); n !== 0; n = readInt(i)) {
            if (n < 0) {
              n = -n;
              readLong(i);
            }
            for (let k = 0; k < n; k++) {
              const key = readString(i);
              out[key] = value(i);
            }
          }
          return out;
        };
      }
      default:
        // `{"type": "long", "connect.name": ...}` and other annotated primitives.
        return visit(o.type, ns);
    }
  };
  return visit(schema, '');
}
