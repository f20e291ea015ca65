/**
 * One captured table as the connector sees it at a point in the WAL: topic, schemas and a
 * converter per column. Built from the catalog at snapshot time and rebuilt from every pgoutput
 * Relation message while streaming (ALTER TABLE shows up as a new Relation message, and the new
 * Value schema becomes a new registry version through the converter).
 */
import { Schemas, type ConnectField, type ConnectSchema, type Struct } from '../api.ts';
import { tableSchemas, type TableSchemas } from './debezium-schemas.ts';
import type { TupleValue } from './pgoutput-messages.ts';
import { valueMapper, type MappingOptions, type TypeLookup } from './type-mapping.ts';

/** Debezium's `unavailable.value.placeholder` for unchanged TOASTed values the server did not send. */
export const UNAVAILABLE_VALUE_PLACEHOLDER = '__debezium_unavailable_value';

export interface TableColumn {
  readonly name: string;
  readonly typeOid: number;
  readonly typeMod: number;
  readonly notNull: boolean;
}

export interface CapturedTable {
  readonly oid: number;
  readonly schema: string;
  readonly table: string;
  readonly topic: string;
  readonly columns: readonly TableColumn[];
  readonly schemas: TableSchemas;
  /** Positions of the primary key columns in `columns`, in key order. */
  readonly keyIndexes: readonly number[];
  /** A row struct from text values (null → SQL NULL, undefined → unchanged TOAST). */
  row(values: readonly TupleValue[]): Struct;
  /** The key struct of a row's values, or null for a table without a primary key. */
  key(values: readonly TupleValue[]): Struct | null;
}

export function buildCapturedTable(
  topicPrefix: string,
  ident: { oid: number; schema: string; table: string },
  columns: readonly TableColumn[],
  primaryKey: readonly string[],
  lookup: TypeLookup,
  opts: MappingOptions,
): CapturedTable {
  const topic = `${topicPrefix}.${ident.schema}.${ident.table}`;
  const names = columns.map((c) => c.name);
  const fields: ConnectField[] = [];
  const converters: ((text: string) => unknown)[] = [];
  const nulls: unknown[] = [];
  const unavailable: unknown[] = [];
  for (const col of columns) {
    const m = valueMapper(col, lookup, opts);
    const schema = col.notNull ? m.schema : Schemas.optional(m.schema);
    fields.push(Schemas.field(col.name, schema));
    converters.push(m.convert);
    nulls.push(schema.optional ? null : zeroValue(schema));
    unavailable.push(placeholderFor(schema));
  }
  const keyIndexes = primaryKey.map((k) => names.indexOf(k)).filter((i) => i >= 0);
  const keyNames = keyIndexes.map((i) => names[i]);
  const schemas = tableSchemas(topic, fields, keyNames);
  const n = columns.length;
  const convert = (i: number, t: TupleValue): unknown => (t === null ? nulls[i] : t === undefined ? unavailable[i] : converters[i](t));
  return {
    ...ident,
    topic,
    columns,
    schemas,
    keyIndexes,
    row(values) {
      const out: Struct = {};
      for (let i = 0; i < n; i++) out[names[i]] = convert(i, values[i] ?? null);
      return out;
    },
    key(values) {
      if (keyIndexes.length === 0) return null;
      const out: Struct = {};
      for (const i of keyIndexes) out[names[i]] = convert(i, values[i] ?? null);
      return out;
    },
  };
}

/**
 * The value a required field gets when the server did not send it: a delete or key change under
 * REPLICA IDENTITY DEFAULT carries only the key columns, and Connect structs cannot hold null
 * in a required field.
 */
function zeroValue(schema: ConnectSchema): unknown {
  switch (schema.type) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
    case 'float32':
    case 'float64':
      return 0;
    case 'boolean':
      return false;
    case 'string':
      return '';
    case 'bytes':
      return schema.name === 'org.apache.kafka.connect.data.Decimal' ? '0' : Buffer.alloc(0);
    case 'array':
      return [];
    case 'map':
      return {};
    case 'struct': {
      const out: Struct = {};
      for (const f of schema.fields ?? []) out[f.name] = f.schema.optional ? null : zeroValue(f.schema);
      return out;
    }
    default: {
      const never: never = schema.type;
      throw new Error(`unknown schema type ${String(never)}`);
    }
  }
}

function placeholderFor(schema: ConnectSchema): unknown {
  if (schema.type === 'string' && schema.name === undefined) return UNAVAILABLE_VALUE_PLACEHOLDER;
  if (schema.type === 'bytes' && schema.name === undefined) return Buffer.from(UNAVAILABLE_VALUE_PLACEHOLDER);
  if (schema.type === 'string' && (schema.name === 'io.debezium.data.Json' || schema.name === 'io.debezium.data.Xml')) return UNAVAILABLE_VALUE_PLACEHOLDER;
  return schema.optional ? null : zeroValue(schema);
}
