/**
 * PostgreSQL column types → Connect schemas and value converters, as Debezium's PostgreSQL
 * connector maps them ("Data type mappings" in its documentation): integers by width, numeric by
 * `decimal.handling.mode`, temporal types by `time.precision.mode`, timestamptz as a UTC
 * ZonedTimestamp string, uuid/json/jsonb/xml/enum as strings with semantic names, arrays of
 * optional elements. Types Debezium has no mapping for are sent as their text.
 *
 * Example:
 *   const m = valueMapper({ typeOid: Oid.timestamp, typeMod: -1 }, lookup, defaults);
 *   m.schema   // { type: 'int64', name: 'io.debezium.time.MicroTimestamp', version: 1, ... }
 *   m.convert('2024-01-02 03:04:05.000006') // 1704164645000006
 */
import { Schemas, SemanticTypes, type ConnectSchema } from '../api.ts';
import { Oid, builtinArrayElements } from './pg-oids.ts';
import * as v from './pg-text-values.ts';

export type DecimalHandlingMode = 'precise' | 'double' | 'string';
export type TimePrecisionMode = 'adaptive' | 'adaptive_time_microseconds' | 'connect';

export interface MappingOptions {
  readonly decimalHandlingMode: DecimalHandlingMode;
  readonly timePrecisionMode: TimePrecisionMode;
}

/** What `pg_type` says about a type that is not built in (enums, domains, extension types, arrays of them). */
export interface PgTypeInfo {
  readonly oid: number;
  readonly name: string;
  /** `typtype`: b base, e enum, d domain, c composite, r range, m multirange, p pseudo. */
  readonly kind: string;
  /** For arrays, the element type; else 0. */
  readonly elemOid: number;
  /** For domains, the underlying type and its typmod. */
  readonly baseOid: number;
  readonly baseTypeMod: number;
  readonly enumLabels: readonly string[];
}

export type TypeLookup = (oid: number) => PgTypeInfo | undefined;

export interface ColumnType {
  readonly typeOid: number;
  readonly typeMod: number;
}

/** A column's schema (not yet optional) and the converter from PostgreSQL text to its value. */
export interface ValueMapper {
  readonly schema: ConnectSchema;
  readonly convert: (text: string) => unknown;
}

/** Fractional-second digits of a time/timestamp column (6 when unspecified). */
export function timePrecision(typeMod: number): number {
  return typeMod < 0 ? 6 : typeMod;
}

/** numeric(p, s) from its typmod, or null for an unconstrained numeric. */
export function numericPrecisionScale(typeMod: number): { precision: number; scale: number } | null {
  if (typeMod < 4) return null;
  const t = typeMod - 4;
  return { precision: (t >> 16) & 0xffff, scale: t & 0xffff };
}

const identity = (text: string): string => text;
const toNumber = (text: string): number => Number(text);

const VARIABLE_SCALE_DECIMAL = Schemas.struct(
  SemanticTypes.VariableScaleDecimal,
  [Schemas.field('scale', Schemas.int32()), Schemas.field('value', Schemas.bytes())],
  { version: 1, doc: 'Variable scaled decimal' },
);

function named(type: 'int32' | 'int64' | 'string' | 'bytes', name: string, parameters?: Record<string, string>): ConnectSchema {
  const o = { name, version: 1, ...(parameters ? { parameters } : {}) };
  return type === 'int32' ? Schemas.int32(o) : type === 'int64' ? Schemas.int64(o) : type === 'string' ? Schemas.string(o) : Schemas.bytes(o);
}

/** The mapper for one column type; throws nothing: unknown types become strings. */
export function valueMapper(col: ColumnType, lookup: TypeLookup, opts: MappingOptions): ValueMapper {
  const { typeOid, typeMod } = col;
  const element = builtinArrayElements.get(typeOid);
  if (element !== undefined) return arrayMapper({ typeOid: element, typeMod }, lookup, opts);
  const builtin = builtinMapper(typeOid, typeMod, opts);
  if (builtin) return builtin;
  const info = lookup(typeOid);
  if (info?.kind === 'e') return { schema: Schemas.enumOf(info.enumLabels), convert: identity };
  if (info?.kind === 'd' && info.baseOid !== 0) return valueMapper({ typeOid: info.baseOid, typeMod: info.baseTypeMod }, lookup, opts);
  if (info && info.elemOid !== 0) return arrayMapper({ typeOid: info.elemOid, typeMod }, lookup, opts);
  return { schema: Schemas.string(), convert: identity };
}

function arrayMapper(element: ColumnType, lookup: TypeLookup, opts: MappingOptions): ValueMapper {
  const inner = valueMapper(element, lookup, opts);
  const convert = inner.convert;
  return {
    schema: Schemas.array(Schemas.optional(inner.schema)),
    convert: (text) => v.parseArray(text).map((e) => (e === null ? null : convert(e))),
  };
}

function builtinMapper(oid: number, typeMod: number, opts: MappingOptions): ValueMapper | null {
  switch (oid) {
    case Oid.bool:
      return { schema: Schemas.boolean(), convert: v.parseBool };
    case Oid.int2:
      return { schema: Schemas.int16(), convert: toNumber };
    case Oid.int4:
      return { schema: Schemas.int32(), convert: toNumber };
    case Oid.int8:
    case Oid.oid:
      return { schema: Schemas.int64(), convert: v.parseInt64 };
    case Oid.float4:
      return { schema: Schemas.float32(), convert: v.parseFloat };
    case Oid.float8:
      return { schema: Schemas.float64(), convert: v.parseFloat };
    case Oid.numeric:
      return numericMapper(typeMod, opts.decimalHandlingMode);
    case Oid.money:
      return moneyMapper(opts.decimalHandlingMode);
    case Oid.text:
    case Oid.varchar:
    case Oid.bpchar:
    case Oid.char:
    case Oid.name:
    case Oid.inet:
    case Oid.cidr:
    case Oid.macaddr:
    case Oid.macaddr8:
    case Oid.int4range:
    case Oid.int8range:
    case Oid.numrange:
    case Oid.tsrange:
    case Oid.tstzrange:
    case Oid.daterange:
      return { schema: Schemas.string(), convert: identity };
    case Oid.bytea:
      return { schema: Schemas.bytes(), convert: v.parseBytea };
    case Oid.json:
    case Oid.jsonb:
      return { schema: Schemas.json(), convert: identity };
    case Oid.xml:
      return { schema: named('string', SemanticTypes.Xml), convert: identity };
    case Oid.uuid:
      return { schema: Schemas.uuid(), convert: identity };
    case Oid.bit:
    case Oid.varbit:
      return bitsMapper(oid, typeMod);
    case Oid.date:
      return opts.timePrecisionMode === 'connect'
        ? { schema: Schemas.int32({ name: SemanticTypes.Date, version: 1 }), convert: v.parseDateDays }
        : { schema: Schemas.date(), convert: v.parseDateDays };
    case Oid.time:
      return timeMapper(timePrecision(typeMod), opts.timePrecisionMode);
    case Oid.timetz:
      return { schema: named('string', SemanticTypes.ZonedTime), convert: v.parseTimetzIso };
    case Oid.timestamp:
      return timestampMapper(timePrecision(typeMod), opts.timePrecisionMode);
    case Oid.timestamptz: {
      const width = timePrecision(typeMod);
      return { schema: Schemas.zonedTimestamp(), convert: (text) => v.parseTimestamptzIso(text, width) };
    }
    case Oid.interval:
      return { schema: named('int64', SemanticTypes.MicroDuration), convert: v.parseIntervalMicros };
    default:
      return null;
  }
}

function numericMapper(typeMod: number, mode: DecimalHandlingMode): ValueMapper {
  if (mode === 'double') return { schema: Schemas.float64(), convert: v.parseFloat };
  if (mode === 'string') return { schema: Schemas.string(), convert: identity };
  const ps = numericPrecisionScale(typeMod);
  if (ps === null) {
    return { schema: VARIABLE_SCALE_DECIMAL, convert: (text) => (text === 'NaN' ? null : v.parseVariableScaleDecimal(text)) };
  }
  const scale = ps.scale;
  return {
    schema: Schemas.decimal(scale, { version: 1, parameters: { scale: String(scale), 'connect.decimal.precision': String(ps.precision) } }),
    convert: (text) => (text === 'NaN' ? null : v.decimalWithScale(text, scale)),
  };
}

function moneyMapper(mode: DecimalHandlingMode): ValueMapper {
  if (mode === 'double') return { schema: Schemas.float64(), convert: (t) => Number(v.parseMoney(t)) };
  if (mode === 'string') return { schema: Schemas.string(), convert: identity };
  return { schema: Schemas.decimal(2, { version: 1 }), convert: (t) => v.decimalWithScale(v.parseMoney(t), 2) };
}

function bitsMapper(oid: number, typeMod: number): ValueMapper {
  const length = oid === Oid.bit ? Math.max(1, typeMod) : typeMod < 0 ? 2147483647 : typeMod;
  if (oid === Oid.bit && length === 1) return { schema: Schemas.boolean(), convert: (t) => t === '1' };
  return { schema: named('bytes', SemanticTypes.Bits, { length: String(length) }), convert: (t) => v.parseBits(t, oid === Oid.bit ? length : t.length) };
}

function timeMapper(precision: number, mode: TimePrecisionMode): ValueMapper {
  const millis = (t: string) => Math.floor(v.parseTimeMicros(t) / 1000);
  if (mode === 'connect') return { schema: Schemas.int32({ name: SemanticTypes.Time, version: 1 }), convert: millis };
  if (mode === 'adaptive' && precision <= 3) return { schema: named('int32', SemanticTypes.DebeziumTime), convert: millis };
  return { schema: Schemas.microTime(), convert: v.parseTimeMicros };
}

function timestampMapper(precision: number, mode: TimePrecisionMode): ValueMapper {
  const millis = (t: string) => {
    const us = v.parseTimestampMicros(t);
    return typeof us === 'number' ? Math.floor(us / 1000) : v.int64(us / 1000n);
  };
  if (mode === 'connect') return { schema: Schemas.timestamp(), convert: millis };
  if (precision <= 3) return { schema: named('int64', SemanticTypes.DebeziumTimestamp), convert: millis };
  return { schema: Schemas.microTimestamp(), convert: v.parseTimestampMicros };
}
