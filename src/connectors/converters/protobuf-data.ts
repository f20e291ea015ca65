/**
 * Connect data ⇄ Protobuf (proto3), after Confluent's `ProtobufData`: a struct becomes a message
 * (nested structs nested messages), fields numbered in order from 1, arrays `repeated`, maps with
 * string keys `map<string, T>`, optional scalars proto3 `optional`. Decoding maps a message type
 * back to a struct schema.
 */
import protobuf from 'protobufjs';
import type { ConnectField, ConnectSchema } from '../data.ts';
import { Schemas } from '../data.ts';

/** `.proto` source for a struct schema (non-struct schemas are wrapped in a `value` field). */
export function connectToProtoSchema(schema: ConnectSchema): { source: string; messageName: string } {
  const root = schema.type === 'struct' ? schema : Schemas.struct('ConnectDefault1', [Schemas.field('value', schema)]);
  const name = messageName(root.name ?? 'ConnectDefault1');
  const lines: string[] = ['syntax = "proto3";', ''];
  let nested = 0;
  const message = (s: ConnectSchema, mname: string, indent: string): void => {
    lines.push(`${indent}message ${mname} {`);
    (s.fields ?? []).forEach((f, i) => {
      const { type, repeated, inner } = fieldType(f, () => `${messageName(f.name)}${++nested}`);
      if (inner) message(inner.schema, inner.name, `${indent}  `);
      const label = repeated ? 'repeated ' : f.schema.optional && !type.startsWith('map<') && inner === undefined ? 'optional ' : '';
      lines.push(`${indent}  ${label}${type} ${fieldName(f.name)} = ${i + 1};`);
    });
    lines.push(`${indent}}`);
  };
  message(root, name, '');
  return { source: lines.join('\n') + '\n', messageName: name };
}

function fieldType(f: ConnectField, nestedName: () => string): { type: string; repeated: boolean; inner?: { name: string; schema: ConnectSchema } } {
  const s = f.schema;
  const scalar = scalarType(s);
  if (scalar !== null) return { type: scalar, repeated: false };
  if (s.type === 'array') {
    const items = s.items ?? Schemas.string();
    const inner = scalarType(items);
    if (inner !== null) return { type: inner, repeated: true };
    const name = nestedName();
    return { type: name, repeated: true, inner: { name, schema: items } };
  }
  if (s.type === 'map') {
    const v = s.items ?? Schemas.string();
    const vt = scalarType(v);
    if (vt !== null) return { type: `map<string, ${vt}>`, repeated: false };
    const name = nestedName();
    return { type: `map<string, ${name}>`, repeated: false, inner: { name, schema: v } };
  }
  const name = nestedName();
  return { type: name, repeated: false, inner: { name, schema: s } };
}

function scalarType(s: ConnectSchema): string | null {
  switch (s.type) {
    case 'int8':
    case 'int16':
    case 'int32':
      return 'int32';
    case 'int64':
      return 'int64';
    case 'float32':
      return 'float';
    case 'float64':
      return 'double';
    case 'boolean':
      return 'bool';
    case 'string':
      return 'string';
    case 'bytes':
      return 'bytes';
    default:
      return null;
  }
}

function messageName(name: string): string {
  const last = name.slice(name.lastIndexOf('.') + 1).replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z]/.test(last) ? last : `M${last}`;
}

function fieldName(name: string): string {
  const s = name.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(s) ? s : `_${s}`;
}

/** Connect value → plain object protobufjs' `fromObject` accepts. */
export function connectToProtoValue(schema: ConnectSchema, value: unknown): unknown {
  if (schema.type !== 'struct') return { value: protoScalar(schema, value) };
  return structToProto(schema, value as Record<string, unknown>);
}

function structToProto(schema: ConnectSchema, v: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of schema.fields ?? []) {
    const fv = v[f.name];
    if (fv === null || fv === undefined) continue;
    out[fieldName(f.name)] = protoScalar(f.schema, fv);
  }
  return out;
}

function protoScalar(s: ConnectSchema, v: unknown): unknown {
  if (v === null || v === undefined) return v;
  switch (s.type) {
    case 'int64':
      return typeof v === 'bigint' ? v.toString() : v;
    case 'struct':
      return structToProto(s, v as Record<string, unknown>);
    case 'array':
      return (v as unknown[]).map((x) => protoScalar(s.items ?? Schemas.string(), x));
    case 'map': {
      const entries = v instanceof Map ? [...v.entries()] : Object.entries(v as Record<string, unknown>);
      return Object.fromEntries(entries.map(([k, x]) => [String(k), protoScalar(s.items ?? Schemas.string(), x)]));
    }
    default:
      return v;
  }
}

/** The Connect schema of a protobuf message type. */
export function protoTypeToConnect(type: protobuf.Type, optional = false): ConnectSchema {
  const fields: ConnectField[] = [];
  for (const f of type.fieldsArray) {
    f.resolve();
    let fs: ConnectSchema;
    const base = (): ConnectSchema => {
      if (f.resolvedType instanceof protobuf.Type) return protoTypeToConnect(f.resolvedType, true);
      if (f.resolvedType instanceof protobuf.Enum) return Schemas.string({ optional: true });
      return protoScalarToConnect(f.type);
    };
    if (f instanceof protobuf.MapField) fs = Schemas.map(Schemas.string(), base(), { optional: true });
    else if (f.repeated) fs = Schemas.array(base(), { optional: true });
    else fs = Schemas.optional(base());
    fields.push(Schemas.field(f.name, fs));
  }
  return Schemas.struct(type.fullName.slice(1), fields, { optional });
}

function protoScalarToConnect(t: string): ConnectSchema {
  switch (t) {
    case 'int32':
    case 'sint32':
    case 'sfixed32':
    case 'uint32':
    case 'fixed32':
      return Schemas.int32();
    case 'int64':
    case 'sint64':
    case 'sfixed64':
    case 'uint64':
    case 'fixed64':
      return Schemas.int64();
    case 'float':
      return Schemas.float32();
    case 'double':
      return Schemas.float64();
    case 'bool':
      return Schemas.boolean();
    case 'bytes':
      return Schemas.bytes();
    default:
      return Schemas.string();
  }
}

/** A decoded object (`toObject` with longs as strings) as Connect data for `schema`. */
export function protoToConnectValue(schema: ConnectSchema, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (schema.type) {
    case 'int64':
      return typeof v === 'string' ? (Number.isSafeInteger(Number(v)) ? Number(v) : BigInt(v)) : v;
    case 'bytes':
      return Buffer.isBuffer(v) ? v : v instanceof Uint8Array ? Buffer.from(v) : Buffer.from(String(v), 'base64');
    case 'array':
      return (v as unknown[]).map((x) => protoToConnectValue(schema.items ?? Schemas.string(), x));
    case 'map':
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, protoToConnectValue(schema.items ?? Schemas.string(), x)]));
    case 'struct': {
      const out: Record<string, unknown> = {};
      const o = v as Record<string, unknown>;
      for (const f of schema.fields ?? []) out[f.name] = protoToConnectValue(f.schema, o[f.name]);
      return out;
    }
    default:
      return v;
  }
}
