/**
 * Avro schemas through `avsc`: parsing (named types, references, logical types kept as
 * annotations), Confluent's stored form, normalization, and reader/writer compatibility.
 *
 * Spec: Avro 1.11 specification, "Schemas", "Parsing Canonical Form" and "Schema Resolution".
 */
import avro from 'avsc';
import type { Type } from 'avsc';
import { Errors } from '../errors.ts';
import type { ParsedSchema, ResolvedReference, SchemaProvider } from './provider.ts';
import { avroReaderWriterIncompatibilities } from './avro-compat.ts';

const primitiveNames = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);

export class AvroSchema implements ParsedSchema {
  readonly schemaType = 'AVRO' as const;
  readonly canonical: string;
  readonly recordName: string | null;
  readonly type: Type;
  private readonly json: unknown;
  private normalizedCache: string | undefined;

  constructor(json: unknown, type: Type) {
    this.json = json;
    this.type = type;
    this.canonical = JSON.stringify(simplify(json));
    const name = (type as { name?: string }).name;
    this.recordName = typeof name === 'string' ? name : null;
  }

  get normalized(): string {
    this.normalizedCache ??= JSON.stringify(normalizeAvro(this.json, ''));
    return this.normalizedCache;
  }

  backwardIncompatibilities(previous: ParsedSchema): string[] {
    if (!(previous instanceof AvroSchema)) return [`{errorType:'TYPE_MISMATCH', description:'Incompatible schema types AVRO and ${previous.schemaType}'}`];
    return avroReaderWriterIncompatibilities(this.type, previous.type);
  }
}

/** Parses Avro schema text; references are parsed first into the same name registry. */
export function parseAvro(schema: string, references: readonly ResolvedReference[]): AvroSchema {
  const registry: Record<string, Type> = {};
  for (const ref of references) {
    if (ref.schemaType !== 'AVRO') throw Errors.invalidSchema(`Invalid schema: reference '${ref.name}' is of type ${ref.schemaType}, not AVRO`);
    try {
      avro.Type.forSchema(JSON.parse(ref.schema), { registry });
    } catch (err) {
      throw Errors.invalidSchema(`Invalid schema: reference '${ref.name}' (subject '${ref.subject}' version ${ref.version}) does not parse: ${messageOf(err)}`, err);
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(schema);
  } catch (err) {
    throw Errors.invalidSchema(`Invalid schema: AVRO schema is not valid JSON: ${messageOf(err)}`, err);
  }
  try {
    const type = avro.Type.forSchema(json as avro.Schema, { registry });
    return new AvroSchema(json, type);
  } catch (err) {
    throw Errors.invalidSchema(`Invalid schema: ${messageOf(err)}`, err);
  }
}

export const avroProvider: SchemaProvider = { schemaType: 'AVRO', parse: parseAvro };

/** Confluent stores Avro the way Java's `Schema.toString()` prints it: `{"type":"int"}` is `"int"`. */
function simplify(json: unknown): unknown {
  if (Array.isArray(json)) return json.map(simplify);
  if (json === null || typeof json !== 'object') return json;
  const obj = json as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1 && keys[0] === 'type' && typeof obj.type === 'string' && primitiveNames.has(obj.type)) return obj.type;
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const value = obj[key];
    if (key === 'default' || key === 'symbols' || key === 'aliases') out[key] = value;
    else if (key === 'fields' && Array.isArray(value)) out[key] = value.map((f) => simplifyField(f));
    else out[key] = simplify(value);
  }
  return out;
}

function simplifyField(field: unknown): unknown {
  if (field === null || typeof field !== 'object') return field;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(field as Record<string, unknown>)) out[key] = key === 'type' ? simplify(value) : value;
  return out;
}

const attributeOrder = ['type', 'name', 'doc', 'fields', 'symbols', 'items', 'values', 'size', 'default', 'order', 'aliases', 'logicalType', 'precision', 'scale'];

/** Normalized form: fully qualified names, no `namespace`, attributes in one order, no whitespace. */
function normalizeAvro(json: unknown, namespace: string): unknown {
  if (typeof json === 'string') return primitiveNames.has(json) || json.includes('.') || namespace === '' ? json : `${namespace}.${json}`;
  if (Array.isArray(json)) return json.map((b) => normalizeAvro(b, namespace));
  if (json === null || typeof json !== 'object') return json;
  const obj = json as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1 && keys[0] === 'type') return normalizeAvro(obj.type, namespace);
  let ns = namespace;
  const out: Record<string, unknown> = {};
  const named = obj.type === 'record' || obj.type === 'error' || obj.type === 'enum' || obj.type === 'fixed';
  if (named && typeof obj.name === 'string') {
    const full = obj.name.includes('.') ? obj.name : typeof obj.namespace === 'string' && obj.namespace !== '' ? `${obj.namespace}.${obj.name}` : ns ? `${ns}.${obj.name}` : obj.name;
    ns = full.includes('.') ? full.slice(0, full.lastIndexOf('.')) : '';
    out.name = full;
  }
  const rest = Object.keys(obj).filter((k) => k !== 'namespace' && !(named && k === 'name'));
  rest.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  for (const key of rest) {
    const value = obj[key];
    if (key === 'fields' && Array.isArray(value)) {
      out.fields = value.map((f) => {
        const field = f as Record<string, unknown>;
        const nf: Record<string, unknown> = {};
        const fkeys = Object.keys(field).sort((a, b) => rank(a === 'name' ? 'type' : a) - rank(b === 'name' ? 'type' : b) || (a === 'name' ? -1 : b === 'name' ? 1 : 0));
        for (const k of fkeys) nf[k] = k === 'type' ? normalizeAvro(field[k], ns) : field[k];
        return nf;
      });
    } else if (key === 'type' || key === 'items' || key === 'values') out[key] = normalizeAvro(value, ns);
    else out[key] = value;
  }
  if (named) return { type: out.type, ...out };
  return out;
}

function rank(key: string): number {
  const i = attributeOrder.indexOf(key);
  return i < 0 ? attributeOrder.length : i;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
