/**
 * Implementations of `runnel schema register|get|list|check|delete|config` (and the encoding
 * behind `runnel produce|consume --value-schema/--value-format`), for the CLI owner to wire into
 * commander. Each takes parsed options and returns printable text plus the data behind it; each
 * talks to a registry over HTTP (`--registry`), so it works the same against Confluent's.
 *
 * Flags follow Confluent's CLI (`confluent schema-registry schema create --subject --schema
 * <file> --type avro --references <file>`, `schema describe <id>`, `schema list
 * --subject-prefix --all`, `schema delete --subject --version --permanent`,
 * `schema compatibility validate`, `configuration update --compatibility`).
 */
import { readFile } from 'node:fs/promises';
import { RegistryError } from './errors.ts';
import { parseVersionSpec } from './registry.ts';
import { HttpRegistryClient } from './serdes/registry-client.ts';
import { Deserializer, Serializer } from './serdes/serde.ts';
import type { SchemaInput, SchemaReference, SchemaType } from './types.ts';

export const defaultRegistryUrl = 'http://127.0.0.1:8081';

export interface CommandResult {
  /** What the command prints. */
  text: string;
  /** The same as data, for `--output json`. */
  data: unknown;
}

export type SchemaFormat = 'avro' | 'json' | 'protobuf';

interface RegistryFlag {
  /** `--registry URL` (default http://127.0.0.1:8081). */
  registry?: string;
}

export interface RegisterOptions extends RegistryFlag {
  subject: string;
  /** `--schema`: a file path, or the schema text itself. */
  schema: string;
  type?: SchemaFormat;
  /** `--references`: a file (or JSON text) with `[{name, subject, version}]`. */
  references?: string;
  normalize?: boolean;
}

export interface GetOptions extends RegistryFlag {
  id?: number;
  subject?: string;
  version?: string;
  showReferences?: boolean;
}

export interface ListOptions extends RegistryFlag {
  subjectPrefix?: string;
  /** `--all`: include soft-deleted schemas. */
  all?: boolean;
}

export interface CheckOptions extends RegistryFlag {
  subject: string;
  schema: string;
  type?: SchemaFormat;
  references?: string;
  /** `latest` (default), a number, or `all`. */
  version?: string;
}

export interface DeleteOptions extends RegistryFlag {
  subject: string;
  /** A number, `latest`, or `all` (default: the whole subject). */
  version?: string;
  permanent?: boolean;
}

export interface ConfigOptions extends RegistryFlag {
  subject?: string;
  compatibility?: string;
  delete?: boolean;
}

function client(options: RegistryFlag): HttpRegistryClient {
  return new HttpRegistryClient(options.registry ?? defaultRegistryUrl);
}

function schemaTypeOf(format: SchemaFormat | undefined): SchemaType {
  switch (format ?? 'avro') {
    case 'avro':
      return 'AVRO';
    case 'json':
      return 'JSON';
    case 'protobuf':
      return 'PROTOBUF';
    default:
      throw new RegistryError(42201, `unknown schema type '${String(format)}': expected avro, json or protobuf`);
  }
}

/** A flag that names a file, or carries the text itself when no such file exists. */
async function fileOrText(value: string): Promise<string> {
  try {
    return await readFile(value, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENAMETOOLONG') return value;
    throw err;
  }
}

async function schemaInput(schema: string, type: SchemaFormat | undefined, references: string | undefined): Promise<SchemaInput> {
  const input: SchemaInput = { schema: await fileOrText(schema), schemaType: schemaTypeOf(type) };
  if (references !== undefined) {
    const parsed = JSON.parse(await fileOrText(references)) as SchemaReference[];
    if (!Array.isArray(parsed)) throw new RegistryError(42201, '--references must hold a JSON array of {name, subject, version}');
    input.references = parsed;
  }
  return input;
}

/** `runnel schema register --subject S --schema FILE [--type avro|json|protobuf] [--references FILE] [--normalize]` */
export async function schemaRegister(options: RegisterOptions): Promise<CommandResult> {
  const input = await schemaInput(options.schema, options.type, options.references);
  const id = await client(options).register(options.subject, input, { normalize: options.normalize });
  return { text: `Successfully registered schema with ID: ${id}`, data: { id } };
}

/** `runnel schema get ID` or `runnel schema get --subject S [--version V] [--show-references]` */
export async function schemaGet(options: GetOptions): Promise<CommandResult> {
  const c = client(options);
  if (options.id !== undefined) {
    const s = await c.getById(options.id);
    const lines = [`Schema ID: ${s.id}`, `Type: ${s.schemaType}`, 'Schema:', pretty(s.schema)];
    if (s.references.length > 0) lines.push('References:', ...s.references.map((r) => `  ${r.name} -> ${r.subject} v${r.version}`));
    return { text: lines.join('\n'), data: s };
  }
  if (options.subject === undefined) throw new RegistryError(42201, 'schema get needs a schema ID or --subject');
  const v = await c.getVersion(options.subject, parseVersionSpec(options.version ?? 'latest'));
  const lines = [`Subject: ${v.subject}`, `Version: ${v.version}`, `Schema ID: ${v.id}`, `Type: ${v.schemaType}`, 'Schema:', pretty(v.schema)];
  if (options.showReferences === true && v.references.length > 0) lines.push('References:', ...v.references.map((r) => `  ${r.name} -> ${r.subject} v${r.version}`));
  return { text: lines.join('\n'), data: v };
}

/** `runnel schema list [--subject-prefix P] [--all]` */
export async function schemaList(options: ListOptions): Promise<CommandResult> {
  const q = new URLSearchParams();
  if (options.subjectPrefix !== undefined) q.set('subjectPrefix', options.subjectPrefix);
  if (options.all === true) q.set('deleted', 'true');
  const rows = await client(options).request<Array<{ subject: string; version: number; id: number; schemaType?: string }>>('GET', `/schemas${q.size > 0 ? `?${q}` : ''}`);
  const table = [['Schema ID', 'Subject', 'Version', 'Type'], ...rows.map((r) => [String(r.id), r.subject, String(r.version), r.schemaType ?? 'AVRO'])];
  return { text: formatTable(table), data: rows };
}

/** `runnel schema check --subject S --schema FILE [--type T] [--version latest|N|all] [--references FILE]` */
export async function schemaCheck(options: CheckOptions): Promise<CommandResult> {
  const input = await schemaInput(options.schema, options.type, options.references);
  const version = options.version === undefined ? 'latest' : options.version === 'all' ? undefined : parseVersionSpec(options.version);
  const result = await client(options).checkCompatibility(options.subject, input, version);
  const text = result.is_compatible ? 'Schema is compatible.' : ['Schema is incompatible.', ...result.messages.map((m) => `  ${m}`)].join('\n');
  return { text, data: result };
}

/** `runnel schema delete --subject S [--version N|latest|all] [--permanent]` */
export async function schemaDelete(options: DeleteOptions): Promise<CommandResult> {
  const c = client(options);
  const permanent = options.permanent === true;
  if (options.version === undefined || options.version === 'all') {
    const versions = await c.deleteSubject(options.subject, permanent);
    return { text: `${permanent ? 'Permanently deleted' : 'Deleted'} subject "${options.subject}" versions: ${versions.join(', ')}`, data: versions };
  }
  const version = await c.deleteVersion(options.subject, parseVersionSpec(options.version), permanent);
  return { text: `${permanent ? 'Permanently deleted' : 'Deleted'} version ${version} of subject "${options.subject}"`, data: version };
}

/** `runnel schema config [--subject S] [--compatibility LEVEL] [--delete]` */
export async function schemaConfig(options: ConfigOptions): Promise<CommandResult> {
  const c = client(options);
  if (options.delete === true) {
    const removed = await c.deleteConfig(options.subject);
    return { text: `Removed ${options.subject === undefined ? 'global' : `subject "${options.subject}"`} config (was ${removed.compatibilityLevel ?? 'unset'})`, data: removed };
  }
  if (options.compatibility !== undefined) {
    const updated = await c.setConfig(options.subject, options.compatibility.toUpperCase());
    return { text: `Compatibility of ${options.subject === undefined ? 'the registry' : `subject "${options.subject}"`} set to ${updated.compatibility}`, data: updated };
  }
  const config = await c.getConfig(options.subject);
  return { text: `Compatibility level: ${config.compatibilityLevel ?? 'BACKWARD'}`, data: config };
}

export interface ProduceEncodingOptions extends RegistryFlag {
  topic: string;
  /** `--value-format avro|json|protobuf` */
  valueFormat: SchemaFormat;
  /** `--value-schema`: a file or the schema text; registered under `<topic>-value` when new. */
  valueSchema?: string;
  /** Protobuf: the message to write. */
  messageName?: string;
}

/** For `runnel produce --value-format F [--value-schema FILE]`: turns JSON text lines into framed values. */
export async function createValueEncoder(options: ProduceEncodingOptions): Promise<(jsonText: string) => Promise<Buffer>> {
  const schema = options.valueSchema === undefined ? undefined : await fileOrText(options.valueSchema);
  const serializer = new Serializer(client(options), {
    schemaType: schemaTypeOf(options.valueFormat),
    schema,
    useLatestVersion: schema === undefined,
    messageName: options.messageName,
  });
  return async (jsonText) => serializer.serialize(options.topic, JSON.parse(jsonText) as unknown);
}

/** For `runnel consume --value-format F`: turns framed values back into JSON text (longs as strings). */
export function createValueDecoder(options: RegistryFlag): (value: Buffer) => Promise<string> {
  const deserializer = new Deserializer(client(options));
  return async (value) => JSON.stringify(await deserializer.deserialize(value), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : Buffer.isBuffer(v) ? v.toString('base64') : v));
}

function pretty(schema: string): string {
  try {
    return JSON.stringify(JSON.parse(schema), null, 2);
  } catch {
    return schema;
  }
}

function formatTable(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}
