/**
 * Kafka Connect's data model: schemas (primitive, struct, array, map; optional; with a semantic
 * `name` such as Debezium's `io.debezium.time.MicroTimestamp`) and the values they describe.
 * Converters turn these into bytes (Avro, JSON Schema, Protobuf, JSON, string) and back; sources
 * produce them; transforms and sinks read them.
 *
 * The schema shape is the one Connect's JsonConverter writes with `schemas.enable=true`
 * (`{"type":"struct","fields":[{"field":"id","type":"int32","optional":false}],"optional":false,"name":"..."}`),
 * so the JSON converter's envelope is the schema itself.
 *
 * Values in memory:
 * - `int8`/`int16`/`int32`/`float32`/`float64`: number; `int64`: bigint or a safe-integer number
 *   (readers accept both; `toBigInt`/`toNumber` normalise);
 * - `boolean`: boolean; `string`: string; `bytes`: Buffer (`org.apache.kafka.connect.data.Decimal`:
 *   a decimal string such as `"-12.50"`, the scale in the schema's `scale` parameter);
 * - `struct`: a plain object with one property per field (`Struct`), `array`: an array,
 *   `map`: a `Map` or, for string keys, a plain object;
 * - null for an absent optional value.
 *
 * Example (Debezium's key for a table with an `id int` primary key):
 *   const key = Schemas.struct('server1.public.users.Key', [Schemas.field('id', Schemas.int32())]);
 *   const record = { keySchema: key, key: { id: 7 }, ... };
 */

export type SchemaType = 'int8' | 'int16' | 'int32' | 'int64' | 'float32' | 'float64' | 'boolean' | 'string' | 'bytes' | 'array' | 'map' | 'struct';

export interface ConnectSchema {
  readonly type: SchemaType;
  readonly optional: boolean;
  /** Semantic (logical) type name, e.g. `io.debezium.time.MicroTimestamp`, or a struct's full name. */
  readonly name?: string;
  readonly version?: number;
  readonly doc?: string;
  readonly parameters?: Readonly<Record<string, string>>;
  readonly default?: unknown;
  /** Struct fields, in order. */
  readonly fields?: readonly ConnectField[];
  /** Array elements, map values. */
  readonly items?: ConnectSchema;
  /** Map keys. */
  readonly keys?: ConnectSchema;
}

export interface ConnectField {
  readonly name: string;
  readonly schema: ConnectSchema;
}

/** A struct value: one property per field of its schema. */
export type Struct = { [field: string]: unknown };

export interface SchemaAndValue {
  readonly schema: ConnectSchema | null;
  readonly value: unknown;
}

/** Semantic type names as Kafka Connect and Debezium spell them. */
export const SemanticTypes = {
  Decimal: 'org.apache.kafka.connect.data.Decimal',
  Date: 'org.apache.kafka.connect.data.Date',
  Time: 'org.apache.kafka.connect.data.Time',
  Timestamp: 'org.apache.kafka.connect.data.Timestamp',
  DebeziumDate: 'io.debezium.time.Date',
  DebeziumTime: 'io.debezium.time.Time',
  MicroTime: 'io.debezium.time.MicroTime',
  NanoTime: 'io.debezium.time.NanoTime',
  DebeziumTimestamp: 'io.debezium.time.Timestamp',
  MicroTimestamp: 'io.debezium.time.MicroTimestamp',
  NanoTimestamp: 'io.debezium.time.NanoTimestamp',
  ZonedTimestamp: 'io.debezium.time.ZonedTimestamp',
  ZonedTime: 'io.debezium.time.ZonedTime',
  MicroDuration: 'io.debezium.time.MicroDuration',
  Interval: 'io.debezium.time.Interval',
  Json: 'io.debezium.data.Json',
  Uuid: 'io.debezium.data.Uuid',
  Enum: 'io.debezium.data.Enum',
  EnumSet: 'io.debezium.data.EnumSet',
  Bits: 'io.debezium.data.Bits',
  Xml: 'io.debezium.data.Xml',
  VariableScaleDecimal: 'io.debezium.data.VariableScaleDecimal',
} as const;

type Opts = { optional?: boolean; name?: string; doc?: string; parameters?: Record<string, string>; default?: unknown; version?: number };

function make(type: SchemaType, o: Opts = {}, extra: Partial<ConnectSchema> = {}): ConnectSchema {
  const s: { -readonly [K in keyof ConnectSchema]: ConnectSchema[K] } = { type, optional: o.optional === true, ...extra };
  if (o.name !== undefined) s.name = o.name;
  if (o.version !== undefined) s.version = o.version;
  if (o.doc !== undefined) s.doc = o.doc;
  if (o.parameters !== undefined) s.parameters = o.parameters;
  if (o.default !== undefined) s.default = o.default;
  return Object.freeze(s);
}

/** Schema builders (Connect's `SchemaBuilder` and Debezium's semantic types). */
export const Schemas = {
  int8: (o?: Opts) => make('int8', o),
  int16: (o?: Opts) => make('int16', o),
  int32: (o?: Opts) => make('int32', o),
  int64: (o?: Opts) => make('int64', o),
  float32: (o?: Opts) => make('float32', o),
  float64: (o?: Opts) => make('float64', o),
  boolean: (o?: Opts) => make('boolean', o),
  string: (o?: Opts) => make('string', o),
  bytes: (o?: Opts) => make('bytes', o),
  array: (items: ConnectSchema, o?: Opts) => make('array', o, { items }),
  map: (keys: ConnectSchema, values: ConnectSchema, o?: Opts) => make('map', o, { keys, items: values }),
  struct: (name: string | undefined, fields: readonly ConnectField[], o?: Opts) => make('struct', { ...o, name: name ?? o?.name }, { fields: Object.freeze([...fields]) }),
  field: (name: string, schema: ConnectSchema): ConnectField => Object.freeze({ name, schema }),
  /** The same schema, optional. */
  optional: (s: ConnectSchema): ConnectSchema => (s.optional ? s : Object.freeze({ ...s, optional: true })),
  decimal: (scale: number, o?: Opts) => make('bytes', { ...o, name: SemanticTypes.Decimal, parameters: { ...(o?.parameters ?? {}), scale: String(scale) } }),
  /** Connect's Timestamp: int64 milliseconds since the epoch. */
  timestamp: (o?: Opts) => make('int64', { ...o, name: SemanticTypes.Timestamp, version: 1 }),
  /** Debezium's MicroTimestamp: int64 microseconds since the epoch, no zone. */
  microTimestamp: (o?: Opts) => make('int64', { ...o, name: SemanticTypes.MicroTimestamp, version: 1 }),
  /** Debezium's ZonedTimestamp: ISO-8601 string with offset. */
  zonedTimestamp: (o?: Opts) => make('string', { ...o, name: SemanticTypes.ZonedTimestamp, version: 1 }),
  /** Debezium's Date: int32 days since the epoch. */
  date: (o?: Opts) => make('int32', { ...o, name: SemanticTypes.DebeziumDate, version: 1 }),
  /** Debezium's MicroTime: int64 microseconds since midnight. */
  microTime: (o?: Opts) => make('int64', { ...o, name: SemanticTypes.MicroTime, version: 1 }),
  json: (o?: Opts) => make('string', { ...o, name: SemanticTypes.Json, version: 1 }),
  uuid: (o?: Opts) => make('string', { ...o, name: SemanticTypes.Uuid, version: 1 }),
  enumOf: (values: readonly string[], o?: Opts) => make('string', { ...o, name: SemanticTypes.Enum, version: 1, parameters: { allowed: values.join(',') } }),
};

/** A struct schema's field by name, or undefined. */
export function fieldOf(schema: ConnectSchema, name: string): ConnectField | undefined {
  return schema.fields?.find((f) => f.name === name);
}

/** int64 values may be numbers or bigints; this reads either as a bigint. */
export function toBigInt(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(Math.trunc(v));
  if (typeof v === 'string') return BigInt(v);
  throw new TypeError(`not an integer: ${String(v)}`);
}

/** Any numeric value as a JS number (int64 beyond 2^53 loses precision). */
export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') return Number(v);
  throw new TypeError(`not a number: ${String(v)}`);
}

/** Infers a schema from a schemaless JSON-like value (for JSON without schemas and Datagen). */
export function inferSchema(value: unknown, optional = true): ConnectSchema | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return Schemas.boolean({ optional });
  if (typeof value === 'bigint') return Schemas.int64({ optional });
  if (typeof value === 'number') return Number.isInteger(value) ? Schemas.int64({ optional }) : Schemas.float64({ optional });
  if (typeof value === 'string') return Schemas.string({ optional });
  if (Buffer.isBuffer(value)) return Schemas.bytes({ optional });
  if (Array.isArray(value)) {
    const first = value.find((x) => x !== null && x !== undefined);
    const items = first === undefined ? Schemas.string({ optional: true }) : (inferSchema(first, true) ?? Schemas.string({ optional: true }));
    return Schemas.array(items, { optional });
  }
  if (typeof value === 'object') {
    const fields: ConnectField[] = [];
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      fields.push(Schemas.field(k, inferSchema(v, true) ?? Schemas.string({ optional: true })));
    }
    return Schemas.struct(undefined, fields, { optional });
  }
  return Schemas.string({ optional });
}
