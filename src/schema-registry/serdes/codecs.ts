/**
 * Per-schema encoders and decoders for the three formats, built once per schema id and cached
 * by the serializers. Encoding writes the 5-byte header and the payload into one buffer; decoding
 * reads the payload in place. These are the hot path: no per-record allocation beyond the output.
 */
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

class AvroEncoder implements Encoder {
  private scratch = Buffer.allocUnsafe(avroScratchBytes);
  constructor(
    readonly schemaId: number,
    private readonly type: Type,
  ) {
    writeHeader(this.scratch, schemaId);
  }
  encode(value: unknown): Buffer {
    for (;;) {
      const end = this.type.encode(value, this.scratch, headerBytes);
      if (end >= 0) {
        const out = Buffer.allocUnsafe(end);
        this.scratch.copy(out, 0, 0, end);
        return out;
      }
      // avsc answers a negative position when the buffer is too small: grow and retry.
      const needed = headerBytes - end;
      if (needed > encodedBytesMax) throw new SerializationError(`encoded record of ${needed} bytes exceeds ${encodedBytesMax}`);
      this.scratch = Buffer.allocUnsafe(Math.max(needed, this.scratch.length * 2));
      writeHeader(this.scratch, this.schemaId);
    }
  }
}

class AvroDecoder implements Decoder {
  constructor(private readonly type: Type) {}
  decode(buf: Buffer): unknown {
    const { value, offset } = this.type.decode(buf, headerBytes);
    if (offset !== buf.length) throw new SerializationError(offset < 0 ? 'truncated Avro payload' : `Avro payload has ${buf.length - offset} trailing bytes`);
    return value;
  }
}

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
