/**
 * Connect data ⇄ JSON: the values JsonConverter writes (bytes and Decimal as base64, int64 as a
 * number, maps with non-string keys as `[[k, v], ...]`), and the JSON Schema that Confluent's
 * JsonSchemaConverter registers for a Connect schema (`connect.type`, `connect.index`, `title` for
 * struct names, optional as `oneOf: [{"type":"null"}, T]`) and back.
 */
import type { ConnectField, ConnectSchema } from '../data.ts';
import { Schemas, SemanticTypes } from '../data.ts';
import { decimalFromBytes, decimalToBytes } from './decimal.ts';

/** A Connect value as JSON-ready data for `schema` (null schema: the value as it is). */
export function connectToJsonValue(schema: ConnectSchema | null, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (schema === null) return plain(value);
  switch (schema.type) {
    case 'int64':
      return typeof value === 'bigint' ? (Number.isSafeInteger(Number(value)) ? Number(value) : value.toString()) : value;
    case 'bytes':
      if (schema.name === SemanticTypes.Decimal) return decimalToBytes(String(value), Number(schema.parameters?.scale ?? '0')).toString('base64');
      return (Buffer.isBuffer(value) ? value : Buffer.from(String(value))).toString('base64');
    case 'array':
      return (value as unknown[]).map((v) => connectToJsonValue(schema.items ?? null, v));
    case 'map': {
      const entries = value instanceof Map ? [...value.entries()] : Object.entries(value as Record<string, unknown>);
      if (schema.keys?.type === 'string') return Object.fromEntries(entries.map(([k, v]) => [k, connectToJsonValue(schema.items ?? null, v)]));
      return entries.map(([k, v]) => [connectToJsonValue(schema.keys ?? null, k), connectToJsonValue(schema.items ?? null, v)]);
    }
    case 'struct': {
      const out: Record<string, unknown> = {};
      const v = value as Record<string, unknown>;
      for (const f of schema.fields ?? []) out[f.name] = connectToJsonValue(f.schema, v[f.name]);
      return out;
    }
    default:
      return value;
  }
}

/** Schemaless values: bigints and Buffers made JSON-safe. */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (value instanceof Map) return Object.fromEntries([...value.entries()].map(([k, v]) => [String(k), plain(v)]));
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

/** JSON data read with a Connect schema: base64 back to bytes, pairs back to maps. */
export function jsonToConnectValue(schema: ConnectSchema | null, value: unknown): unknown {
  if (value === null || value === undefined) return schema?.default ?? null;
  if (schema === null) return value;
  switch (schema.type) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'float32':
    case 'float64':
      if (typeof value !== 'number') throw new Error(`expected a number for ${schema.type}, got ${JSON.stringify(value)}`);
      return value;
    case 'int64':
      if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
      if (typeof value !== 'number') throw new Error(`expected a number for int64, got ${JSON.stringify(value)}`);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw new Error(`expected a boolean, got ${JSON.stringify(value)}`);
      return value;
    case 'string':
      if (typeof value !== 'string') throw new Error(`expected a string, got ${JSON.stringify(value)}`);
      return value;
    case 'bytes':
      if (schema.name === SemanticTypes.Decimal) {
        if (typeof value === 'number') return String(value);
        return decimalFromBytes(Buffer.from(String(value), 'base64'), Number(schema.parameters?.scale ?? '0'));
      }
      return Buffer.from(String(value), 'base64');
    case 'array':
      if (!Array.isArray(value)) throw new Error(`expected an array, got ${JSON.stringify(value)}`);
      return value.map((v) => jsonToConnectValue(schema.items ?? null, v));
    case 'map': {
      if (Array.isArray(value)) return new Map(value.map((e: unknown[]) => [jsonToConnectValue(schema.keys ?? null, e[0]), jsonToConnectValue(schema.items ?? null, e[1])]));
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = jsonToConnectValue(schema.items ?? null, v);
      return out;
    }
    case 'struct': {
      if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`expected an object for struct ${schema.name ?? ''}, got ${JSON.stringify(value)}`);
      const out: Record<string, unknown> = {};
      const v = value as Record<string, unknown>;
      for (const f of schema.fields ?? []) {
        const fv = jsonToConnectValue(f.schema, v[f.name]);
        if ((fv === null || fv === undefined) && !f.schema.optional) throw new Error(`field '${f.name}' is required but missing or null`);
        out[f.name] = fv;
      }
      return out;
    }
    default:
      return value;
  }
}

/** The JsonConverter envelope's schema part (`{"type":"struct","fields":[{"field":...}]}`). */
export function connectSchemaToJsonEnvelope(schema: ConnectSchema): Record<string, unknown> {
  const out: Record<string, unknown> = { type: schema.type, optional: schema.optional };
  if (schema.name !== undefined) out.name = schema.name;
  if (schema.version !== undefined) out.version = schema.version;
  if (schema.doc !== undefined) out.doc = schema.doc;
  if (schema.parameters !== undefined) out.parameters = schema.parameters;
  if (schema.default !== undefined) out.default = connectToJsonValue(schema, schema.default);
  if (schema.type === 'struct') out.fields = (schema.fields ?? []).map((f) => ({ ...connectSchemaToJsonEnvelope(f.schema), field: f.name }));
  if (schema.type === 'array' && schema.items) out.items = connectSchemaToJsonEnvelope(schema.items);
  if (schema.type === 'map') {
    if (schema.keys) out.keys = connectSchemaToJsonEnvelope(schema.keys);
    if (schema.items) out.values = connectSchemaToJsonEnvelope(schema.items);
  }
  return out;
}

export function jsonEnvelopeToConnectSchema(j: unknown): ConnectSchema {
  if (j === null || typeof j !== 'object') throw new Error(`a schema must be a JSON object, got ${JSON.stringify(j)}`);
  const o = j as Record<string, unknown>;
  const type = o.type;
  const opts = {
    optional: o.optional === true,
    name: typeof o.name === 'string' ? o.name : undefined,
    version: typeof o.version === 'number' ? o.version : undefined,
    doc: typeof o.doc === 'string' ? o.doc : undefined,
    parameters: (o.parameters as Record<string, string> | undefined) ?? undefined,
  };
  switch (type) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
    case 'float32':
    case 'float64':
    case 'boolean':
    case 'string':
    case 'bytes':
      return Schemas[type](opts);
    case 'array':
      return Schemas.array(jsonEnvelopeToConnectSchema(o.items), opts);
    case 'map':
      return Schemas.map(jsonEnvelopeToConnectSchema(o.keys), jsonEnvelopeToConnectSchema(o.values), opts);
    case 'struct': {
      const fields: ConnectField[] = ((o.fields as Record<string, unknown>[]) ?? []).map((f) => Schemas.field(String(f.field), jsonEnvelopeToConnectSchema(f)));
      return Schemas.struct(opts.name, fields, opts);
    }
    default:
      throw new Error(`Unknown schema type: ${String(type)}`);
  }
}

/** The JSON Schema (draft-07) Confluent's JsonSchemaConverter registers for a Connect schema. */
export function connectToJsonSchema(schema: ConnectSchema): Record<string, unknown> {
  const visit = (s: ConnectSchema, index?: number): Record<string, unknown> => {
    const base = nonNull(s);
    if (index !== undefined) base['connect.index'] = index;
    if (s.optional) return index !== undefined ? { oneOf: [{ type: 'null' }, nonNull(s)], 'connect.index': index } : { oneOf: [{ type: 'null' }, base] };
    return base;
  };
  const nonNull = (s: ConnectSchema): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    if (s.name !== undefined && s.type !== 'struct') out['connect.name'] = s.name;
    if (s.version !== undefined) out['connect.version'] = s.version;
    if (s.parameters !== undefined) out['connect.parameters'] = s.parameters;
    if (s.doc !== undefined) out.description = s.doc;
    switch (s.type) {
      case 'int8':
      case 'int16':
      case 'int32':
      case 'int64':
        return { type: 'integer', 'connect.type': s.type, ...out };
      case 'float32':
        return { type: 'number', 'connect.type': 'float32', ...out };
      case 'float64':
        return { type: 'number', ...out };
      case 'boolean':
        return { type: 'boolean', ...out };
      case 'string':
        return { type: 'string', ...out };
      case 'bytes':
        return { type: 'string', 'connect.type': 'bytes', ...out };
      case 'array':
        return { type: 'array', items: visit(s.items ?? Schemas.string()), ...out };
      case 'map':
        return { type: 'object', 'connect.type': 'map', additionalProperties: visit(s.items ?? Schemas.string()), ...out };
      case 'struct': {
        const properties: Record<string, unknown> = {};
        (s.fields ?? []).forEach((f, i) => (properties[f.name] = visit(f.schema, i)));
        const st: Record<string, unknown> = { type: 'object' };
        if (s.name !== undefined) st.title = s.name;
        return { ...st, properties, ...out };
      }
      default: {
        const never: never = s.type;
        throw new Error(`unknown Connect type ${String(never)}`);
      }
    }
  };
  return { $schema: 'http://json-schema.org/draft-07/schema#', ...visit(schema) };
}

/** A Connect schema for a JSON Schema document (ours or a hand-written one). */
export function jsonSchemaToConnect(j: unknown, optional = false): ConnectSchema {
  if (j === true || j === null || typeof j !== 'object') return Schemas.string({ optional: true });
  const o = j as Record<string, unknown>;
  const alternatives = (o.oneOf ?? o.anyOf) as unknown[] | undefined;
  if (Array.isArray(alternatives)) {
    const nonNull = alternatives.filter((a) => !(a !== null && typeof a === 'object' && (a as Record<string, unknown>).type === 'null'));
    const nullable = nonNull.length < alternatives.length;
    if (nonNull.length === 1) return jsonSchemaToConnect(nonNull[0], optional || nullable);
    return Schemas.string({ optional: true });
  }
  let type = o.type;
  if (Array.isArray(type)) {
    const types = type.filter((t) => t !== 'null');
    optional ||= types.length < type.length;
    type = types[0];
  }
  const opts = {
    optional,
    name: typeof o['connect.name'] === 'string' ? (o['connect.name'] as string) : undefined,
    version: typeof o['connect.version'] === 'number' ? (o['connect.version'] as number) : undefined,
    parameters: (o['connect.parameters'] as Record<string, string> | undefined) ?? undefined,
  };
  const ct = o['connect.type'];
  switch (type) {
    case 'integer':
      if (ct === 'int8' || ct === 'int16' || ct === 'int32') return Schemas[ct](opts);
      return Schemas.int64(opts);
    case 'number':
      return ct === 'float32' ? Schemas.float32(opts) : Schemas.float64(opts);
    case 'boolean':
      return Schemas.boolean(opts);
    case 'string':
      if (ct === 'bytes') return opts.name === SemanticTypes.Decimal ? Schemas.decimal(Number(opts.parameters?.scale ?? '0'), opts) : Schemas.bytes(opts);
      return Schemas.string(opts);
    case 'array':
      return Schemas.array(jsonSchemaToConnect(o.items, false), opts);
    case 'object': {
      if (ct === 'map' || (o.properties === undefined && typeof o.additionalProperties === 'object')) return Schemas.map(Schemas.string(), jsonSchemaToConnect(o.additionalProperties, false), opts);
      const props = Object.entries((o.properties as Record<string, unknown>) ?? {});
      const required = new Set(Array.isArray(o.required) ? (o.required as string[]) : []);
      props.sort(([, a], [, b]) => indexOf(a) - indexOf(b));
      const fields = props.map(([name, p]) => {
        const hasIndex = p !== null && typeof p === 'object' && 'connect.index' in p;
        // Hand-written schemas: a property is optional unless listed in `required`.
        return Schemas.field(name, jsonSchemaToConnect(p, !hasIndex && !required.has(name)));
      });
      return Schemas.struct(typeof o.title === 'string' ? o.title : undefined, fields, opts);
    }
    default:
      return Schemas.string({ ...opts, optional: true });
  }
}

function indexOf(p: unknown): number {
  const i = p !== null && typeof p === 'object' ? (p as Record<string, unknown>)['connect.index'] : undefined;
  return typeof i === 'number' ? i : Number.MAX_SAFE_INTEGER;
}
