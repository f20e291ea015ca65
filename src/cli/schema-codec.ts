/**
 * Schema encoding for `runnel produce` and decoding for `runnel consume`: JSON text in, records
 * in Confluent's wire format (magic byte 0, 4-byte schema id, payload) out, and back.
 *
 * `--value-schema` (and `--key-schema`) names a schema file, the schema text itself, or a
 * subject: a file or text is registered under `<topic>-value` (`<topic>-key`) as Confluent's
 * serializers do; a subject's latest version is used as it is. Without it the latest version
 * of `<topic>-value` is used. Avro input may be plain JSON (`{"email": "a@b"}`) or Avro's JSON
 * encoding (`{"email": {"string": "a@b"}}`); a value that is neither is described field by
 * field.
 *
 * @example
 *   const encoder = await createSchemaEncoder({ topic: 'orders', isKey: false, format: 'avro', schema: 'order.avsc', registry });
 *   const bytes = encoder.encode('{"id": 1}');
 */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Type } from 'avsc';
import type { ParsedSchema, RegisterRequest, RegistryClient, SchemaById, SchemaInput, SubjectVersion, VersionSpec } from '../schema-registry/index.ts';
import { CliError } from './cli-error.ts';
import { explainRegistryError, loadRegistryModule, type SchemaTypeName } from './registry-flags.ts';

const TYPE_NAMES: Record<string, SchemaTypeName> = { AVRO: 'avro', JSON: 'json', PROTOBUF: 'protobuf' };
const WIRE_TYPES: Record<SchemaTypeName, 'AVRO' | 'JSON' | 'PROTOBUF'> = { avro: 'AVRO', json: 'JSON', protobuf: 'PROTOBUF' };
const EXTENSION_TYPES: Record<string, SchemaTypeName> = { '.avsc': 'avro', '.avro': 'avro', '.json': 'json', '.proto': 'protobuf' };
/** Problems listed for one bad Avro value before "and N more". */
const PROBLEMS_SHOWN_MAX = 3;

export interface SchemaEncoderOptions {
  topic: string;
  isKey: boolean;
  /** `--value-schema`: a file, the schema text, or a subject. */
  schema?: string;
  /** `--value-format`. */
  format?: SchemaTypeName;
  registry: string;
}

export interface SchemaEncoder {
  readonly subject: string;
  readonly schemaId: number;
  /** Encodes one JSON text; throws a CliError saying what does not match (without a line number). */
  encode(jsonText: string): Buffer;
}

/** Where the writer schema comes from. */
type SchemaSource = { kind: 'text'; text: string; format: SchemaTypeName | undefined } | { kind: 'subject'; subject: string };

function classify(schema: string | undefined, format: SchemaTypeName | undefined, defaultSubject: string): SchemaSource {
  if (schema === undefined) return { kind: 'subject', subject: defaultSubject };
  if (existsSync(schema) && statSync(schema).isFile()) return { kind: 'text', text: schema, format: format ?? EXTENSION_TYPES[extname(schema).toLowerCase()] };
  if (/^\s*([{["]|syntax\b)/.test(schema)) return { kind: 'text', text: schema, format };
  return { kind: 'subject', subject: schema };
}

/**
 * Gives the serializer one fixed subject whatever the topic: the CLI's `--value-schema SUBJECT`
 * need not follow the TopicName strategy.
 */
class PinnedSubjectClient implements RegistryClient {
  constructor(
    private readonly inner: RegistryClient,
    private readonly subject: string,
  ) {}
  register(_subject: string, input: RegisterRequest, options?: { normalize?: boolean }): Promise<number> {
    return this.inner.register(this.subject, input, options);
  }
  lookup(_subject: string, input: SchemaInput, options?: { normalize?: boolean }): Promise<SubjectVersion> {
    return this.inner.lookup(this.subject, input, options);
  }
  getById(id: number): Promise<SchemaById> {
    return this.inner.getById(id);
  }
  getVersion(_subject: string, version: VersionSpec): Promise<SubjectVersion> {
    return this.inner.getVersion(this.subject, version);
  }
  parsedById(id: number): Promise<ParsedSchema> {
    return this.inner.parsedById(id);
  }
  parse(input: SchemaInput): Promise<ParsedSchema> {
    return this.inner.parse(input);
  }
}

/** Resolves (and registers, for a file) the writer schema once; `encode` is then synchronous. */
export async function createSchemaEncoder(options: SchemaEncoderOptions): Promise<SchemaEncoder> {
  const what = options.isKey ? 'key' : 'value';
  const defaultSubject = `${options.topic}-${what}`;
  const source = classify(options.schema, options.format, defaultSubject);
  const subject = source.kind === 'subject' ? source.subject : defaultSubject;
  try {
    const mod = await loadRegistryModule();
    const http = new mod.HttpRegistryClient(options.registry);
    const client = new PinnedSubjectClient(http, subject);
    let schemaText: string | undefined;
    let format = options.format;
    if (source.kind === 'text') {
      format = source.format ?? 'avro';
      schemaText = existsSync(source.text) ? await readFile(source.text, 'utf8') : source.text;
    } else {
      // The subject decides the type; check it exists first, to say so plainly.
      const latest = await http.getVersion(subject, 'latest').catch((err: unknown) => {
        if ((err as { errorCode?: number }).errorCode === 40401) {
          throw new CliError(`subject '${subject}' has no schema; register one (runnel schema register --subject ${subject} --schema FILE) or pass --${what}-schema FILE`);
        }
        throw err;
      });
      const holds = TYPE_NAMES[latest.schemaType] ?? latest.schemaType;
      if (format !== undefined && holds !== format) throw new CliError(`subject '${subject}' holds a schema of type ${holds}, not ${format}: drop --${what}-format or pick another subject`);
      format = holds as SchemaTypeName;
    }
    const serializer = new mod.Serializer(client, { schemaType: WIRE_TYPES[format ?? 'avro'], schema: schemaText, useLatestVersion: schemaText === undefined });
    const encoder = await serializer.forTopic(options.topic);
    const parsed = await http.parsedById(encoder.schemaId);
    const avroType = parsed instanceof mod.AvroSchema ? parsed.type : null;
    return {
      subject,
      schemaId: encoder.schemaId,
      encode(jsonText) {
        let value: unknown;
        try {
          value = JSON.parse(jsonText) as unknown;
        } catch (err) {
          throw new CliError(`not valid JSON (${(err as Error).message}): ${preview(jsonText)}`);
        }
        if (avroType !== null) value = avroValue(avroType, value, jsonText);
        try {
          return encoder.encode(value);
        } catch (err) {
          throw new CliError(`does not match ${subject} (schema ID ${encoder.schemaId}): ${(err as Error).message}`, { cause: err });
        }
      },
    };
  } catch (err) {
    throw explainRegistryError(err, options.registry);
  }
}

function preview(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function describeType(type: Type): string {
  const t = type as Type & { name?: string; types?: Type[]; itemsType?: Type; valuesType?: Type; symbols?: string[] };
  if (t.typeName.startsWith('union')) return (t.types ?? []).map(describeType).join(' | ');
  if (t.typeName === 'array' && t.itemsType !== undefined) return `array of ${describeType(t.itemsType)}`;
  if (t.typeName === 'map' && t.valuesType !== undefined) return `map of ${describeType(t.valuesType)}`;
  if (t.typeName === 'enum' && t.symbols !== undefined) return `enum ${t.name ?? ''} (${t.symbols.join(', ')})`;
  if (typeof t.name === 'string') return `${t.typeName} ${t.name}`;
  return t.typeName;
}

/** One sentence per field whose value does not fit its Avro type. */
export function avroTypeProblems(type: Type, value: unknown): string[] {
  const problems: string[] = [];
  type.isValid(value, {
    errorHook: (path: string[], any: unknown, t: Type) => {
      const where = path.length === 0 ? 'the value' : `field '${path.join('.')}'`;
      problems.push(any === undefined ? `${where} is missing (${describeType(t)}, no default)` : `${where}: expected ${describeType(t)}, got ${preview(JSON.stringify(any) ?? String(any))}`);
    },
  });
  return problems;
}

/** One sentence per field that no record of the schema declares (a typo would otherwise vanish). */
export function avroUndeclaredFields(type: Type, value: unknown): string[] {
  const problems: string[] = [];
  type.isValid(value, {
    noUndeclaredFields: true,
    errorHook: (path: string[], any: unknown, t: Type) => {
      const fields = (t as Type & { fields?: { name: string }[] }).fields;
      if (fields === undefined || any === null || typeof any !== 'object') return;
      const known = new Set(fields.map((f) => f.name));
      const prefix = path.length === 0 ? '' : `${path.join('.')}.`;
      for (const key of Object.keys(any)) if (!known.has(key)) problems.push(`field '${prefix}${key}' is not in ${describeType(t)} (fields: ${[...known].join(', ')})`);
    },
  });
  return problems;
}

function problemList(problems: string[]): string {
  const more = problems.length > PROBLEMS_SHOWN_MAX ? `; and ${problems.length - PROBLEMS_SHOWN_MAX} more` : '';
  return `${problems.slice(0, PROBLEMS_SHOWN_MAX).join('; ')}${more}`;
}

/**
 * The value to encode: the JSON as it is when it fits (and names no undeclared field), else its
 * reading as Avro's JSON encoding (wrapped unions, bytes as strings); neither fitting, the
 * plain reading's problems.
 */
function avroValue(type: Type, value: unknown, jsonText: string): unknown {
  const problems = avroTypeProblems(type, value);
  if (problems.length === 0) {
    const undeclared = avroUndeclaredFields(type, value);
    if (undeclared.length > 0) throw new CliError(problemList(undeclared));
    return value;
  }
  try {
    const decoded = type.fromString(jsonText) as unknown;
    if (avroTypeProblems(type, decoded).length === 0) return decoded;
  } catch {
    // not Avro's JSON encoding either; report the plain reading
  }
  throw new CliError(problemList(problems));
}

export interface SchemaDecoder {
  /** The decoded record as JSON text (longs as strings, bytes as base64). */
  decode(buf: Buffer): Promise<string>;
}

/** Longs as strings, bytes as base64 (the raw value: a Buffer's toJSON has run by the time `v` arrives). */
function jsonReplacer(this: Record<string, unknown>, key: string, v: unknown): unknown {
  const raw = this[key];
  if (Buffer.isBuffer(raw)) return raw.toString('base64');
  return typeof v === 'bigint' ? v.toString() : v;
}

export async function createSchemaDecoder(registry: string): Promise<SchemaDecoder> {
  const mod = await loadRegistryModule();
  const deserializer = new mod.Deserializer(new mod.HttpRegistryClient(registry));
  return {
    async decode(buf) {
      try {
        const value = await deserializer.deserialize(buf);
        return JSON.stringify(value, jsonReplacer);
      } catch (err) {
        throw explainRegistryError(err, registry);
      }
    },
  };
}

/** True when a payload starts like Confluent's wire format (magic byte 0 and a schema id). */
export function looksFramed(buf: Buffer): boolean {
  return buf.length >= 5 && buf[0] === 0;
}
