/**
 * Converters through the schema registry, in Confluent's wire format: `AvroConverter`,
 * `JsonSchemaConverter` and `ProtobufConverter`. Writing derives the format's schema from the
 * Connect schema and registers it under the subject (TopicNameStrategy: `<topic>-key` /
 * `<topic>-value`, or `key.subject.name.strategy`/`value.subject.name.strategy`); reading looks
 * up the writer schema by id and maps it back to a Connect schema.
 *
 * Settings (after the worker strips `key.converter.` / `value.converter.`): `schema.registry.url`
 * (absent or the platform's own URL: the in-process registry), `auto.register.schemas` (true),
 * `use.latest.version` (false), `*.subject.name.strategy`.
 */
import { Deserializer, HttpRegistryClient, Serializer, readSchemaId, AvroSchema, JsonSchema, ProtobufSchema } from '../../schema-registry/index.ts';
import type { Encoder, RegistryClient, SchemaType, ParsedSchema, SubjectNameStrategy } from '../../schema-registry/index.ts';
import type { ConnectorConfig, Converter } from '../api.ts';
import type { ConnectSchema } from '../data.ts';
import type { ConverterEnv } from '../plugins.ts';
import { avroToConnectSchema, avroToConnectValue, connectToAvroSchema } from './avro-data.ts';
import { avroReaderFor } from './avro-reader.ts';
import { encodeAvroRecord } from './avro-writer.ts';
import { connectToJsonSchema, connectToJsonValue, jsonSchemaToConnect, jsonToConnectValue } from './json-data.ts';
import { connectToProtoSchema, connectToProtoValue, protoToConnectValue, protoTypeToConnect } from './protobuf-data.ts';
import { decodeMessageIndexes, headerBytes } from '../../schema-registry/index.ts';
import { ConnectError } from '../errors.ts';

/** Writer schemas kept per converter (one Serializer each). */
const serializerCacheMax = 1_000;

interface FormatMapping {
  toSchemaText(schema: ConnectSchema): { text: string; messageName?: string };
  /** The record in the wire format, for the schema the serializer registered. */
  encode(encoder: Encoder, schema: ConnectSchema, value: unknown): Buffer;
  fromParsed(parsed: ParsedSchema, indexes: readonly number[]): ConnectSchema;
  fromWire(schema: ConnectSchema, value: unknown): unknown;
}

const mappings: Record<'AVRO' | 'JSON' | 'PROTOBUF', FormatMapping> = {
  AVRO: {
    toSchemaText: (s) => ({ text: JSON.stringify(connectToAvroSchema(s)) }),
    // Written from the Connect value by a writer compiled per schema (exact int64).
    encode: (e, s, v) => encodeAvroRecord(e.schemaId, s, v),
    fromParsed: (p) => avroToConnectSchema(JSON.parse((p as AvroSchema).canonical)),
    fromWire: avroToConnectValue,
  },
  JSON: {
    toSchemaText: (s) => ({ text: JSON.stringify(connectToJsonSchema(s)) }),
    encode: (e, s, v) => e.encode(connectToJsonValue(s, v)),
    fromParsed: (p) => jsonSchemaToConnect((p as JsonSchema).json),
    fromWire: jsonToConnectValue,
  },
  PROTOBUF: {
    toSchemaText: (s) => {
      const { source, messageName } = connectToProtoSchema(s);
      return { text: source, messageName };
    },
    encode: (e, s, v) => e.encode(connectToProtoValue(s, v)),
    fromParsed: (p, indexes) => protoTypeToConnect((p as ProtobufSchema).messageAt(indexes.length ? indexes : [0])),
    fromWire: protoToConnectValue,
  },
};

export class RegistryConverter implements Converter {
  private client: RegistryClient | null;
  private isKey = false;
  private autoRegister = true;
  private useLatest = false;
  private strategy: SubjectNameStrategy = 'TopicName';
  private readonly serializers = new Map<string, { serializer: Serializer; messageName?: string }>();
  private deserializer: Deserializer | null = null;
  private readonly readSchemas = new Map<string, ConnectSchema>();
  /** Read schemas of Avro and JSON Schema ids, for the sync path, with Avro's exact-long reader. */
  private readonly byId = new Map<number, { schema: ConnectSchema; read: ((bytes: Buffer) => unknown) | null; avro?: unknown }>();
  /** Format schema text per Connect schema object (sources reuse schema objects). */
  private readonly schemaTexts = new WeakMap<ConnectSchema, { text: string; messageName?: string }>();

  constructor(
    private readonly schemaType: SchemaType,
    private readonly env: ConverterEnv,
  ) {
    this.client = env.registry;
  }

  configure(config: ConnectorConfig, isKey: boolean): void {
    this.isKey = isKey;
    const url = config['schema.registry.url'];
    if (url !== undefined && url !== '' && !sameRegistry(url, this.env.registryUrl)) this.client = new HttpRegistryClient(url.split(',')[0].trim());
    if (this.client === null) throw new ConnectError('config', `${this.schemaType} converter needs schema.registry.url (no registry runs in this process)`);
    this.autoRegister = config['auto.register.schemas'] !== 'false';
    this.useLatest = config['use.latest.version'] === 'true';
    const strategy = config[isKey ? 'key.subject.name.strategy' : 'value.subject.name.strategy'];
    if (strategy !== undefined) this.strategy = strategyOf(strategy);
    this.deserializer = new Deserializer(this.client);
  }

  private get mapping(): FormatMapping {
    return mappings[this.schemaType as 'AVRO' | 'JSON' | 'PROTOBUF'];
  }

  async fromConnectData(topic: string, schema: ConnectSchema | null, value: unknown): Promise<Buffer | null> {
    if (value === null || value === undefined) return null;
    if (schema === null) throw new ConnectError('data', `the ${this.schemaType} converter needs a schema; the record has none (use JsonConverter with schemas.enable=false for schemaless data)`);
    let schemaText = this.schemaTexts.get(schema);
    if (schemaText === undefined) {
      schemaText = this.mapping.toSchemaText(schema);
      this.schemaTexts.set(schema, schemaText);
    }
    const { text, messageName } = schemaText;
    let entry = this.serializers.get(text);
    if (entry === undefined) {
      if (this.serializers.size >= serializerCacheMax) this.serializers.delete(this.serializers.keys().next().value as string);
      const serializer = new Serializer(this.client as RegistryClient, {
        schemaType: this.schemaType,
        schema: text,
        isKey: this.isKey,
        autoRegister: this.autoRegister,
        useLatestVersion: this.useLatest,
        subjectNameStrategy: this.strategy,
        messageName,
        validate: false,
      });
      entry = { serializer, messageName };
      this.serializers.set(text, entry);
    }
    return this.mapping.encode(await entry.serializer.forTopic(topic), schema, value);
  }

  readonly wireSchemas = {
    avroById: (id: number): { schema: ConnectSchema; avro: unknown } | undefined => {
      const known = this.byId.get(id);
      return known?.avro === undefined ? undefined : { schema: known.schema, avro: known.avro };
    },
  };

  /** Sync when the schema id was seen before (Avro and JSON Schema). */
  toConnectDataSync(_topic: string, bytes: Buffer | null): { schema: ConnectSchema | null; value: unknown } | undefined {
    if (bytes === null) return { schema: null, value: null };
    if (this.schemaType === 'PROTOBUF' || bytes.length < 5 || bytes[0] !== 0) return undefined;
    const known = this.byId.get(bytes.readInt32BE(1));
    if (known === undefined) return undefined;
    const raw = known.read !== null ? known.read(bytes) : decodeOrNull(this.deserializer as Deserializer, bytes);
    if (raw === null) return undefined;
    return { schema: known.schema, value: this.mapping.fromWire(known.schema, raw) };
  }

  async toConnectData(_topic: string, bytes: Buffer | null): Promise<{ schema: ConnectSchema | null; value: unknown }> {
    if (bytes === null) return { schema: null, value: null };
    const deserializer = this.deserializer as Deserializer;
    const id = readSchemaId(bytes);
    const indexes = this.schemaType === 'PROTOBUF' ? decodeMessageIndexes(bytes, headerBytes).indexes : [];
    const cacheKey = `${id}:${indexes.join('.')}`;
    let schema = this.readSchemas.get(cacheKey);
    if (schema === undefined) {
      const parsed = await (this.client as RegistryClient).parsedById(id);
      if (parsed.schemaType !== this.schemaType) throw new ConnectError('data', `schema ${id} is ${parsed.schemaType}, but the converter reads ${this.schemaType}`);
      schema = this.mapping.fromParsed(parsed, indexes);
      this.readSchemas.set(cacheKey, schema);
      if (indexes.length === 0) {
        const avro = this.schemaType === 'AVRO' ? JSON.parse((parsed as AvroSchema).canonical) : undefined;
        this.byId.set(id, { schema, read: avro !== undefined ? avroReaderFor(avro) : null, avro });
      }
    }
    const read = this.byId.get(id)?.read;
    if (read) return { schema, value: this.mapping.fromWire(schema, read(bytes)) };
    const raw = this.readSchemas.size > 0 && this.schemaType !== 'PROTOBUF' ? decodeOrNull(deserializer, bytes) ?? (await deserializer.deserialize(bytes)) : await deserializer.deserialize(bytes);
    return { schema, value: this.mapping.fromWire(schema, raw) };
  }
}

function sameRegistry(url: string, own: string | undefined): boolean {
  if (own === undefined) return false;
  const norm = (u: string) => u.trim().replace(/\/+$/, '').replace('://localhost:', '://127.0.0.1:');
  return norm(url.split(',')[0]) === norm(own);
}

function strategyOf(name: string): SubjectNameStrategy {
  const simple = name.slice(name.lastIndexOf('.') + 1).replace(/Strategy$/, '');
  if (simple === 'TopicName' || simple === 'RecordName' || simple === 'TopicRecordName') return simple;
  throw new ConnectError('config', `unknown subject name strategy ${name}`);
}

export { ProtobufSchema, AvroSchema, JsonSchema };

/** The synchronous path when the id's decoder is cached; null when it is not yet. */
function decodeOrNull(d: Deserializer, bytes: Buffer): unknown {
  try {
    return d.decodeCached(bytes);
  } catch (err) {
    if (err instanceof Error && err.message.includes('is not cached yet')) return null;
    throw err;
  }
}
