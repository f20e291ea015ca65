/**
 * Avro binary to Connect data for registry schemas, through avsc with one change: `long` is read
 * exactly (a number up to 2^53, a bigint beyond), where avsc's own long throws "potential
 * precision loss" (Debezium's nanosecond timestamps are ~1.8e18).
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
  const type: Type = avro.Type.forSchema(schemaJson as avro.Schema, { registry: { long: exactLong } });
  return (buf) => {
    const { value, offset } = type.decode(buf, 5);
    if (offset < 0) throw new ConnectError('data', 'truncated Avro payload');
    if (offset !== buf.length) throw new ConnectError('data', `Avro payload has ${buf.length - offset} trailing bytes`);
    return value;
  };
}
