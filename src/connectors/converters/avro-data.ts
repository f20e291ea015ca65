/**
 * Connect data ⇄ Avro, the mapping of Confluent's `AvroData`: structs become records (unnamed ones
 * `io.confluent.connect.avro.ConnectDefault`), optional schemas become `["null", T]` unions with a
 * null default, int8/int16 become `int` with `connect.type`, semantic names travel in
 * `connect.name` (and Decimal/Date/Time/Timestamp as Avro logical types), so a schema survives the
 * round trip through the registry.
 */
import type { ConnectField, ConnectSchema } from '../data.ts';
import { Schemas, SemanticTypes } from '../data.ts';
import { decimalFromBytes } from './decimal.ts';

type AvroJson = string | AvroObject | AvroJson[];
interface AvroObject {
  [k: string]: unknown;
}

const defaultNamespace = 'io.confluent.connect.avro';

/** The Avro schema (JSON) for a Connect schema. */
export function connectToAvroSchema(schema: ConnectSchema): AvroJson {
  const seen = new Set<string>();
  let unnamed = 0;
  const visit = (s: ConnectSchema, wrapOptional: boolean): AvroJson => {
    const base = nonNull(s);
    if (s.optional && wrapOptional) return ['null', base];
    return base;
  };
  const nonNull = (s: ConnectSchema): AvroJson => {
    const props: AvroObject = {};
    if (s.name !== undefined && s.type !== 'struct') props['connect.name'] = s.name;
    if (s.version !== undefined) props['connect.version'] = s.version;
    if (s.doc !== undefined) props['connect.doc'] = s.doc;
    if (s.parameters !== undefined) props['connect.parameters'] = s.parameters;
    switch (s.type) {
      case 'int8':
      case 'int16':
        return { type: 'int', 'connect.type': s.type, ...props };
      case 'int32':
        if (s.name === SemanticTypes.Date) return { type: 'int', logicalType: 'date', ...props };
        if (s.name === SemanticTypes.Time) return { type: 'int', logicalType: 'time-millis', ...props };
        return Object.keys(props).length ? { type: 'int', ...props } : 'int';
      case 'int64':
        if (s.name === SemanticTypes.Timestamp) return { type: 'long', logicalType: 'timestamp-millis', ...props };
        return Object.keys(props).length ? { type: 'long', ...props } : 'long';
      case 'float32':
        return Object.keys(props).length ? { type: 'float', ...props } : 'float';
      case 'float64':
        return Object.keys(props).length ? { type: 'double', ...props } : 'double';
      case 'boolean':
        return Object.keys(props).length ? { type: 'boolean', ...props } : 'boolean';
      case 'string':
        return Object.keys(props).length ? { type: 'string', ...props } : 'string';
      case 'bytes':
        if (s.name === SemanticTypes.Decimal) {
          const scale = Number(s.parameters?.scale ?? '0');
          return { type: 'bytes', logicalType: 'decimal', precision: Number(s.parameters?.['connect.decimal.precision'] ?? '64'), scale, ...props };
        }
        return Object.keys(props).length ? { type: 'bytes', ...props } : 'bytes';
      case 'array':
        return { type: 'array', items: visit(req(s.items, 'array items'), true), ...props };
      case 'map':
        if (req(s.keys, 'map keys').type === 'string') return { type: 'map', values: visit(req(s.items, 'map values'), true), ...props };
        return {
          type: 'array',
          items: { type: 'record', name: `MapEntry${++unnamed}`, namespace: defaultNamespace, fields: [{ name: 'key', type: visit(req(s.keys, 'map keys'), true) }, { name: 'value', type: visit(req(s.items, 'map values'), true) }] },
          ...props,
        };
      case 'struct': {
        const full = s.name ?? `${defaultNamespace}.ConnectDefault${unnamed++ === 0 ? '' : unnamed}`;
        if (seen.has(full)) return full;
        seen.add(full);
        const dot = full.lastIndexOf('.');
        const rec: AvroObject = { type: 'record', name: sanitize(dot >= 0 ? full.slice(dot + 1) : full) };
        if (dot >= 0) rec.namespace = full.slice(0, dot).split('.').map(sanitize).join('.');
        if (s.doc !== undefined) rec.doc = s.doc;
        rec.fields = (s.fields ?? []).map((f) => {
          const field: AvroObject = { name: f.name, type: visit(f.schema, true) };
          if (f.schema.optional) field.default = null;
          return field;
        });
        if (s.version !== undefined) rec['connect.version'] = s.version;
        if (s.parameters !== undefined) rec['connect.parameters'] = s.parameters;
        return rec;
      }
      default: {
        const never: never = s.type;
        throw new Error(`unknown Connect type ${String(never)}`);
      }
    }
  };
  return visit(schema, true);
}

function sanitize(name: string): string {
  const s = name.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(s) ? s : `_${s}`;
}

function req<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new Error(`Connect schema has no ${what}`);
  return v;
}

/** The Connect schema for an Avro schema (as JSON), reading back `connect.*` properties. */
export function avroToConnectSchema(avro: unknown): ConnectSchema {
  const named = new Map<string, ConnectSchema>();
  const building = new Set<string>();
  const visit = (a: unknown, ns: string): ConnectSchema => {
    if (typeof a === 'string') {
      switch (a) {
        case 'int':
          return Schemas.int32();
        case 'long':
          return Schemas.int64();
        case 'float':
          return Schemas.float32();
        case 'double':
          return Schemas.float64();
        case 'boolean':
          return Schemas.boolean();
        case 'string':
          return Schemas.string();
        case 'bytes':
          return Schemas.bytes();
        case 'null':
          return Schemas.string({ optional: true });
        default: {
          const ref = named.get(a) ?? named.get(`${ns}.${a}`);
          if (ref === undefined && (building.has(a) || building.has(`${ns}.${a}`))) throw new Error(`Avro record '${a}' refers to itself; Connect schemas cannot be recursive`);
          if (ref === undefined) throw new Error(`unknown Avro type '${a}'`);
          return ref;
        }
      }
    }
    if (Array.isArray(a)) {
      const branches = a.filter((b) => b !== 'null');
      const nullable = branches.length < a.length;
      if (branches.length === 1) {
        const inner = visit(branches[0], ns);
        return nullable ? Schemas.optional(inner) : inner;
      }
      // A general union: Confluent maps it to a struct of optional branches.
      return Schemas.struct(
        'io.confluent.connect.avro.Union',
        branches.map((b, i) => Schemas.field(typeof b === 'string' ? b : `branch${i}`, Schemas.optional(visit(b, ns)))),
        { optional: nullable },
      );
    }
    const o = a as AvroObject;
    const opts = {
      name: typeof o['connect.name'] === 'string' ? (o['connect.name'] as string) : undefined,
      version: typeof o['connect.version'] === 'number' ? (o['connect.version'] as number) : undefined,
      doc: typeof o['connect.doc'] === 'string' ? (o['connect.doc'] as string) : undefined,
      parameters: (o['connect.parameters'] as Record<string, string> | undefined) ?? undefined,
    };
    const t = o.type;
    switch (t) {
      case 'int': {
        if (o['connect.type'] === 'int8') return Schemas.int8(opts);
        if (o['connect.type'] === 'int16') return Schemas.int16(opts);
        if (o.logicalType === 'date') return Schemas.int32({ ...opts, name: opts.name ?? SemanticTypes.Date });
        if (o.logicalType === 'time-millis') return Schemas.int32({ ...opts, name: opts.name ?? SemanticTypes.Time });
        return Schemas.int32(opts);
      }
      case 'long':
        if (o.logicalType === 'timestamp-millis') return Schemas.int64({ ...opts, name: opts.name ?? SemanticTypes.Timestamp });
        if (o.logicalType === 'timestamp-micros') return Schemas.int64({ ...opts, name: opts.name ?? SemanticTypes.MicroTimestamp });
        return Schemas.int64(opts);
      case 'float':
        return Schemas.float32(opts);
      case 'double':
        return Schemas.float64(opts);
      case 'boolean':
        return Schemas.boolean(opts);
      case 'string':
      case 'enum':
        if (t === 'enum' && typeof o.name === 'string') {
          const s = Schemas.string({ ...opts, name: opts.name ?? SemanticTypes.Enum, parameters: { allowed: ((o.symbols as string[]) ?? []).join(',') } });
          named.set(fullName(o, ns), s);
          return s;
        }
        return Schemas.string(opts);
      case 'bytes':
      case 'fixed':
        if (o.logicalType === 'decimal') return Schemas.decimal(Number(o.scale ?? 0), opts);
        return Schemas.bytes(opts);
      case 'array':
        return Schemas.array(visit(o.items, ns), opts);
      case 'map':
        return Schemas.map(Schemas.string(), visit(o.values, ns), opts);
      case 'record': {
        const full = fullName(o, ns);
        const childNs = full.includes('.') ? full.slice(0, full.lastIndexOf('.')) : '';
        // Registered once complete: later references by name (Debezium's `after` names the
        // record `before` defined) get every field. A record that contains itself has no Connect form.
        if (building.has(full)) throw new Error(`Avro record '${full}' refers to itself; Connect schemas cannot be recursive`);
        building.add(full);
        const fields: ConnectField[] = [];
        for (const f of (o.fields as AvroObject[]) ?? []) fields.push(Schemas.field(f.name as string, visit(f.type, childNs)));
        building.delete(full);
        const s = Schemas.struct(full.startsWith(`${defaultNamespace}.ConnectDefault`) ? undefined : full, fields, opts);
        named.set(full, s);
        return s;
      }
      default:
        return visit(t, ns);
    }
  };
  return visit(avro, '');
}

function fullName(o: AvroObject, ns: string): string {
  const name = o.name as string;
  if (name.includes('.')) return name;
  const namespace = typeof o.namespace === 'string' ? o.namespace : ns;
  return namespace ? `${namespace}.${name}` : name;
}

const identityCache = new WeakMap<ConnectSchema, boolean>();

/** Whether avsc's decoded value already is the Connect value (no decimals, bytes, maps or unions inside). */
function decodesAsIs(schema: ConnectSchema): boolean {
  let v = identityCache.get(schema);
  if (v === undefined) {
    switch (schema.type) {
      case 'bytes':
      case 'map':
        v = false;
        break;
      case 'array':
        v = schema.items !== undefined && decodesAsIs(schema.items);
        break;
      case 'struct':
        v = schema.name !== 'io.confluent.connect.avro.Union' && (schema.fields ?? []).every((f) => decodesAsIs(f.schema));
        break;
      default:
        v = true;
    }
    identityCache.set(schema, v);
  }
  return v;
}

/** A value avsc decoded (with `avroToConnectSchema` describing it) as Connect data. */
export function avroToConnectValue(schema: ConnectSchema, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (decodesAsIs(schema)) return value;
  switch (schema.type) {
    case 'bytes':
      if (schema.name === SemanticTypes.Decimal && Buffer.isBuffer(value)) return decimalFromBytes(value, Number(schema.parameters?.scale ?? '0'));
      return value;
    case 'array':
      return (value as unknown[]).map((v) => avroToConnectValue(req(schema.items, 'items'), v));
    case 'map': {
      if (Array.isArray(value)) return new Map(value.map((e: { key: unknown; value: unknown }) => [e.key, avroToConnectValue(req(schema.items, 'values'), e.value)]));
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = avroToConnectValue(req(schema.items, 'values'), v);
      return out;
    }
    case 'struct': {
      const v = value as Record<string, unknown>;
      if (schema.name === 'io.confluent.connect.avro.Union') return unionValue(schema, v);
      const out: Record<string, unknown> = {};
      for (const f of schema.fields ?? []) out[f.name] = avroToConnectValue(f.schema, v[f.name]);
      return out;
    }
    default:
      return value;
  }
}

/** avsc decodes a general union as `{ branchName: value }` (wrapped, when branches are ambiguous) or as the bare value. */
function unionValue(schema: ConnectSchema, v: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const fields = schema.fields ?? [];
  for (const f of fields) out[f.name] = null;
  if (v === null || v === undefined) return out;
  if (typeof v === 'object' && !Array.isArray(v) && !Buffer.isBuffer(v)) {
    const [k, inner] = Object.entries(v as Record<string, unknown>)[0] ?? [];
    if (k !== undefined && k in out && Object.keys(v as object).length === 1) {
      out[k] = inner;
      return out;
    }
  }
  const branch = fields.find((f) => holds(f.schema, v));
  if (branch !== undefined) out[branch.name] = avroToConnectValue(branch.schema, v);
  return out;
}

/** Whether a bare union value belongs to a branch of this Connect type. */
function holds(s: ConnectSchema, v: unknown): boolean {
  switch (s.type) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
      return typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));
    case 'float32':
    case 'float64':
      return typeof v === 'number';
    case 'boolean':
      return typeof v === 'boolean';
    case 'string':
      return typeof v === 'string';
    case 'bytes':
      return Buffer.isBuffer(v);
    case 'array':
      return Array.isArray(v);
    default:
      return typeof v === 'object' && !Array.isArray(v) && !Buffer.isBuffer(v);
  }
}
