/**
 * Per-schema encoders and decoders for the three formats, built once per schema id and cached
 * by the serializers. Encoding writes the 5-byte header and the payload into one buffer; decoding
 * reads the payload in place. These are the hot path: no per-record allocation beyond the output.
 */
import { createRequire } from 'node:module';
import type { Type } from 'avsc';
import protobuf from 'protobufjs';
import { SerializationError } from '../errors.ts';
import type { ParsedSchema } from '../formats/index.ts';
import { AvroSchema, JsonSchema, ProtobufSchema } from '../formats/index.ts';
import { decodeMessageIndexes, encodeMessageIndexes, headerBytes, writeHeader } from './wire-format.ts';

export interface Encoder {
  readonly schemaId: number;
  encode(value: unknown): Buffer;
}

export interface Decoder {
  /** Decodes a framed buffer whose header was already checked to carry this decoder's id. */
  decode(buf: Buffer): unknown;
}

/** Initial scratch size for Avro encoding; grown when a record does not fit. */
const avroScratchBytes = 64 * 1024;
/** Largest encoded record accepted. */
const encodedBytesMax = 64 * 1024 * 1024;

export function createEncoder(schemaId: number, parsed: ParsedSchema, options: { validate?: boolean; messageName?: string } = {}): Encoder {
  if (parsed instanceof AvroSchema) return new AvroEncoder(schemaId, parsed.type);
  if (parsed instanceof JsonSchema) return new JsonEncoder(schemaId, parsed, options.validate !== false);
  if (parsed instanceof ProtobufSchema) return new ProtobufEncoder(schemaId, parsed, options.messageName);
  throw new SerializationError(`no encoder for schema type ${parsed.schemaType}`);
}

export function createDecoder(parsed: ParsedSchema, options: { readerSchema?: ParsedSchema; validate?: boolean } = {}): Decoder {
  if (parsed instanceof AvroSchema) {
    const reader = options.readerSchema;
    if (reader instanceof AvroSchema && reader.canonical !== parsed.canonical) return new AvroResolvingDecoder(reader.type, parsed.type);
    return new AvroDecoder(parsed.type);
  }
  if (parsed instanceof JsonSchema) return new JsonDecoder(parsed, options.validate === true);
  if (parsed instanceof ProtobufSchema) return new ProtobufDecoder(parsed);
  throw new SerializationError(`no decoder for schema type ${parsed.schemaType}`);
}

/**
 * avsc's cursor over a buffer and the type methods that use it. They are internal to avsc 5.x,
 * used here (as avsc's own `toBuffer` does) so one cursor serves every record: the public
 * `encode`/`decode` allocate a cursor and a result object per call, which costs 15-25%.
 */
interface AvscTap {
  buf: Buffer;
  pos: number;
}
interface AvscTypeInternals {
  _write(tap: AvscTap, value: unknown): void;
  _read(tap: AvscTap): unknown;
}
const Tap = (createRequire(import.meta.url)('avsc/lib/utils.js') as { Tap: new (buf: Buffer, pos?: number) => AvscTap }).Tap;

class AvroEncoder implements Encoder {
  private readonly tap: AvscTap;
  private readonly type: AvscTypeInternals;
  constructor(
    readonly schemaId: number,
    type: Type,
  ) {
    this.type = type as unknown as AvscTypeInternals;
    const scratch = Buffer.allocUnsafe(avroScratchBytes);
    writeHeader(scratch, schemaId);
    this.tap = new Tap(scratch, headerBytes);
  }
  encode(value: unknown): Buffer {
    const tap = this.tap;
    tap.pos = headerBytes;
    this.type._write(tap, value);
    if (tap.pos > tap.buf.length) {
      // The record did not fit (avsc writes past the end silently): grow and write again.
      const needed = tap.pos;
      if (needed > encodedBytesMax) throw new SerializationError(`encoded record of ${needed} bytes exceeds ${encodedBytesMax}`);
      tap.buf = Buffer.allocUnsafe(Math.max(needed, tap.buf.length * 2));
      writeHeader(tap.buf, this.schemaId);
      tap.pos = headerBytes;
      this.type._write(tap, value);
    }
    const out = Buffer.allocUnsafe(tap.pos);
    tap.buf.copy(out, 0, 0, tap.pos);
    return out;
  }
}

class AvroDecoder implements Decoder {
  private readonly tap: AvscTap = new Tap(Buffer.alloc(0));
  private readonly type: AvscTypeInternals;
  constructor(type: Type) {
    this.type = type as unknown as AvscTypeInternals;
  }
  decode(buf: Buffer): unknown {
    const tap = this.tap;
    tap.buf = buf;
    tap.pos = headerBytes;
    const value = this.type._read(tap);
    const end = tap.pos;
    tap.buf = emptyBuffer; // do not keep the caller's buffer alive
    if (end !== buf.length) throw new SerializationError(end > buf.length ? 'truncated Avro payload' : `Avro payload has ${buf.length - end} trailing bytes`);
    return value;
  }
}
const emptyBuffer = Buffer.alloc(0);

class AvroResolvingDecoder implements Decoder {
  private readonly resolver: ReturnType<Type['createResolver']>;
  constructor(
    private readonly reader: Type,
    writer: Type,
  ) {
    this.resolver = reader.createResolver(writer);
  }
  decode(buf: Buffer): unknown {
    const { value, offset } = this.reader.decode(buf, headerBytes, this.resolver);
    if (offset < 0) throw new SerializationError('truncated Avro payload');
    return value;
  }
}

class JsonEncoder implements Encoder {
  constructor(
    readonly schemaId: number,
    private readonly schema: JsonSchema,
    private readonly validate: boolean,
  ) {}
  encode(value: unknown): Buffer {
    if (this.validate && !this.schema.validate(value)) {
      throw new SerializationError(`value does not match the JSON schema: ${(this.schema.validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('; ')}`);
    }
    const text = JSON.stringify(value);
    const out = Buffer.allocUnsafe(headerBytes + Buffer.byteLength(text));
    writeHeader(out, this.schemaId);
    out.write(text, headerBytes, 'utf8');
    return out;
  }
}

class JsonDecoder implements Decoder {
  constructor(
    private readonly schema: JsonSchema,
    private readonly validate: boolean,
  ) {}
  decode(buf: Buffer): unknown {
    let value: unknown;
    try {
      value = JSON.parse(buf.toString('utf8', headerBytes));
    } catch (err) {
      throw new SerializationError(`payload is not JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (this.validate && !this.schema.validate(value)) throw new SerializationError('value does not match the JSON schema');
    return value;
  }
}

class ProtobufEncoder implements Encoder {
  private readonly type: protobuf.Type;
  private readonly prefix: Buffer;
  constructor(
    readonly schemaId: number,
    schema: ProtobufSchema,
    messageName?: string,
  ) {
    const name = messageName ?? schema.recordName;
    if (name === null) throw new SerializationError('the Protobuf schema defines no message');
    const indexes = schema.indexesOf(schema.qualify(name));
    this.type = schema.messageAt(indexes);
    const header = Buffer.allocUnsafe(headerBytes);
    writeHeader(header, schemaId);
    this.prefix = Buffer.concat([header, encodeMessageIndexes(indexes)]);
  }
  encode(value: unknown): Buffer {
    const problem = this.type.verify(value as Record<string, unknown>);
    const message = problem === null ? this.type.fromObject(value as Record<string, unknown>) : null;
    if (message === null) throw new SerializationError(`value does not match message ${this.type.fullName.slice(1)}: ${problem}`);
    return Buffer.concat([this.prefix, this.type.encode(message).finish()]);
  }
}

class ProtobufDecoder implements Decoder {
  constructor(private readonly schema: ProtobufSchema) {}
  decode(buf: Buffer): unknown {
    const { indexes, offset } = decodeMessageIndexes(buf, headerBytes);
    const type = this.schema.messageAt(indexes);
    return type.toObject(type.decode(buf.subarray(offset)), { longs: String, enums: String });
  }
}
