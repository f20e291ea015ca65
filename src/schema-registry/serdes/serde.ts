/**
 * Serializers and deserializers for Confluent's wire format, for the CLI, SQL and connectors:
 * Avro, JSON Schema and Protobuf, against an in-process or remote registry, with a subject name
 * strategy, auto-registration or use of the latest version, and caches by topic and schema id.
 *
 * @example
 * const serializer = new Serializer(client, { schemaType: 'AVRO', schema: userSchema });
 * const bytes = await serializer.serialize('users', { id: 1n, name: 'ada' });
 * const value = await new Deserializer(client).deserialize(bytes);
 *
 * For hot loops, `serializer.forTopic(topic)` and `deserializer.prepare(id)` resolve the schema
 * once and return synchronous codecs.
 */
import { SerializationError } from '../errors.ts';
import type { ParsedSchema } from '../formats/index.ts';
import { ProtobufSchema } from '../formats/index.ts';
import type { SchemaInput, SchemaType } from '../types.ts';
import { createDecoder, createEncoder, type Decoder, type Encoder } from './codecs.ts';
import type { RegistryClient } from './registry-client.ts';
import { subjectName, type SubjectNameStrategy } from './subject-name-strategy.ts';
import { readSchemaId } from './wire-format.ts';

export interface SerializerOptions {
  schemaType: SchemaType;
  /** The writer schema; required unless `useLatestVersion` with the TopicName strategy. */
  schema?: string | SchemaInput;
  /** Register the schema when the subject does not have it (default true). */
  autoRegister?: boolean;
  /** Use the subject's latest version instead of `schema`. */
  useLatestVersion?: boolean;
  normalize?: boolean;
  subjectNameStrategy?: SubjectNameStrategy;
  isKey?: boolean;
  /** Protobuf: the message to write (default: the schema's first message). */
  messageName?: string;
  /** JSON Schema: validate values before writing (default true). */
  validate?: boolean;
}

/** Topics whose encoders are kept; the oldest is dropped past this. */
const encoderCacheMax = 10_000;
/** Schema ids whose decoders are kept. */
const decoderCacheMax = 10_000;

export class Serializer {
  private readonly encoders = new Map<string, Promise<Encoder>>();
  private parsedInput: Promise<ParsedSchema> | undefined;

  constructor(
    private readonly client: RegistryClient,
    private readonly options: SerializerOptions,
  ) {
    if (options.schema === undefined && options.useLatestVersion !== true) throw new SerializationError('a serializer needs a schema, or useLatestVersion');
  }

  /** Encodes `value` for `topic` (the record's key when the serializer `isKey`). */
  async serialize(topic: string, value: unknown): Promise<Buffer> {
    return (await this.forTopic(topic)).encode(value);
  }

  /** The encoder for a topic, resolved (and registered) once: `encode` is then synchronous. */
  forTopic(topic: string): Promise<Encoder> {
    let encoder = this.encoders.get(topic);
    if (encoder === undefined) {
      if (this.encoders.size >= encoderCacheMax) this.encoders.delete(this.encoders.keys().next().value as string);
      encoder = this.resolve(topic);
      encoder.catch(() => this.encoders.delete(topic));
      this.encoders.set(topic, encoder);
    }
    return encoder;
  }

  private input(): SchemaInput | undefined {
    const s = this.options.schema;
    if (s === undefined) return undefined;
    return typeof s === 'string' ? { schema: s, schemaType: this.options.schemaType } : { schemaType: this.options.schemaType, ...s };
  }

  private async resolve(topic: string): Promise<Encoder> {
    const input = this.input();
    const strategy = this.options.subjectNameStrategy ?? 'TopicName';
    let recordName: string | null = null;
    if (input !== undefined) {
      this.parsedInput ??= this.client.parse(input);
      const parsed = await this.parsedInput;
      recordName = this.options.messageName !== undefined && parsed.schemaType === 'PROTOBUF' ? qualify(parsed, this.options.messageName) : parsed.recordName;
    } else if (strategy !== 'TopicName') throw new SerializationError(`${strategy}Strategy needs the schema, not only useLatestVersion`);
    const subject = subjectName(strategy, topic, this.options.isKey === true, recordName);
    let id: number;
    if (this.options.useLatestVersion === true) id = (await this.client.getVersion(subject, 'latest')).id;
    else if (this.options.autoRegister === false) id = (await this.client.lookup(subject, input as SchemaInput, { normalize: this.options.normalize })).id;
    else id = await this.client.register(subject, input as SchemaInput, { normalize: this.options.normalize });
    const parsed = this.options.useLatestVersion === true ? await this.client.parsedById(id) : await (this.parsedInput as Promise<ParsedSchema>);
    return createEncoder(id, parsed, { validate: this.options.validate, messageName: this.options.messageName });
  }
}

function qualify(parsed: ParsedSchema, name: string): string {
  return parsed instanceof ProtobufSchema ? parsed.qualify(name) : name;
}

export interface DeserializerOptions {
  /** Avro: read with this schema (schema resolution from each writer schema). */
  readerSchema?: string;
  /** JSON Schema: validate decoded values (default false). */
  validate?: boolean;
}

export class Deserializer {
  private readonly decoders = new Map<number, Decoder>();
  private lastId = -1;
  private lastDecoder: Decoder | null = null;
  private readonly pending = new Map<number, Promise<Decoder>>();
  private reader: Promise<ParsedSchema> | undefined;

  constructor(
    private readonly client: RegistryClient,
    private readonly options: DeserializerOptions = {},
  ) {}

  /** Decodes a framed payload, fetching its schema the first time its id is seen. */
  async deserialize(buf: Buffer): Promise<unknown> {
    const id = readSchemaId(buf);
    const decoder = this.decoders.get(id) ?? (await this.prepare(id));
    return decoder.decode(buf);
  }

  /** Decodes synchronously when the id's schema is already cached (after `prepare` or a first `deserialize`). */
  decodeCached(buf: Buffer): unknown {
    const id = readSchemaId(buf);
    // Records of a topic mostly share one schema id: remember the last one and skip the map.
    if (id === this.lastId && this.lastDecoder !== null) return this.lastDecoder.decode(buf);
    const decoder = this.decoders.get(id);
    if (decoder === undefined) throw new SerializationError(`schema ${id} is not cached yet: call prepare(${id}) or deserialize first`);
    this.lastId = id;
    this.lastDecoder = decoder;
    return decoder.decode(buf);
  }

  /** Fetches and compiles the decoder for a schema id. */
  prepare(id: number): Promise<Decoder> {
    const ready = this.decoders.get(id);
    if (ready !== undefined) return Promise.resolve(ready);
    let pending = this.pending.get(id);
    if (pending === undefined) {
      pending = (async () => {
        const parsed = await this.client.parsedById(id);
        if (this.options.readerSchema !== undefined) this.reader ??= this.client.parse({ schema: this.options.readerSchema, schemaType: 'AVRO' });
        const decoder = createDecoder(parsed, { readerSchema: this.reader === undefined ? undefined : await this.reader, validate: this.options.validate });
        if (this.decoders.size >= decoderCacheMax) this.decoders.delete(this.decoders.keys().next().value as number);
        this.decoders.set(id, decoder);
        return decoder;
      })();
      pending.finally(() => this.pending.delete(id)).catch(() => undefined);
      this.pending.set(id, pending);
    }
    return pending;
  }
}
