/**
 * Confluent's wire format (`schema-serializer/.../SchemaId.java`): byte 0 is the magic byte 0,
 * bytes 1-4 the schema id as a big-endian int32, then the payload. Protobuf payloads start with
 * the message-index path: a zig-zag varint count, then zig-zag varint indexes; the common path
 * `[0]` (first message) is written as the single byte 0.
 */
import { SerializationError } from '../errors.ts';

export const magicByte = 0;
export const headerBytes = 5;
/** Longest message-index path accepted when decoding. */
const messageIndexesMax = 64;

/** Reads the schema id of a framed payload, or throws saying what is wrong. */
export function readSchemaId(buf: Buffer): number {
  if (buf.length < headerBytes) throw new SerializationError(`payload of ${buf.length} bytes is shorter than the ${headerBytes}-byte schema id header`);
  if (buf[0] !== magicByte) throw new SerializationError(`Unknown magic byte ${buf[0]}: expected 0 (Confluent wire format)`);
  return buf.readInt32BE(1);
}

export function writeHeader(target: Buffer, id: number): void {
  target[0] = magicByte;
  target.writeInt32BE(id, 1);
}

/** Encodes a message-index path; `[0]` is the single byte 0. */
export function encodeMessageIndexes(indexes: readonly number[]): Buffer {
  if (indexes.length === 1 && indexes[0] === 0) return Buffer.from([0]);
  const bytes: number[] = [];
  writeZigZag(bytes, indexes.length);
  for (const i of indexes) writeZigZag(bytes, i);
  return Buffer.from(bytes);
}

/** Decodes a message-index path at `offset`; returns it and the offset after it. */
export function decodeMessageIndexes(buf: Buffer, offset: number): { indexes: number[]; offset: number } {
  let at = offset;
  const read = (): number => {
    let result = 0;
    let shift = 0;
    for (let i = 0; i < 5; i++) {
      if (at >= buf.length) throw new SerializationError('truncated message index varint');
      const b = buf[at++];
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return (result >>> 1) ^ -(result & 1);
      shift += 7;
    }
    throw new SerializationError('message index varint longer than 5 bytes');
  };
  const count = read();
  if (count === 0) return { indexes: [0], offset: at };
  if (count < 0 || count > messageIndexesMax) throw new SerializationError(`message index count ${count} is out of range`);
  const indexes: number[] = [];
  for (let i = 0; i < count; i++) indexes.push(read());
  return { indexes, offset: at };
}

function writeZigZag(out: number[], value: number): void {
  let v = ((value << 1) ^ (value >> 31)) >>> 0;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
}
