/**
 * JSON Schema <-> SQL types. JSON Schema describes values, not storage, so the mapping is the
 * common reading (Confluent's JSON Schema converter, Flink's json format):
 *
 * | JSON Schema                                 | SQL                      |
 * |---------------------------------------------|--------------------------|
 * | boolean / integer / number / string         | BOOLEAN / BIGINT / DOUBLE / STRING |
 * | string + format date-time / date / time     | TIMESTAMP_LTZ(3) / DATE / TIME(3) |
 * | integer / number + connect.type int8..int32, float32 | TINYINT, SMALLINT, INT, FLOAT |
 * | object with properties                      | ROW (required -> NOT NULL) |
 * | object with only additionalProperties       | MAP<STRING NOT NULL, V>  |
 * | array                                       | ARRAY                    |
 * | type [T, "null"], oneOf/anyOf [{null}, X]   | X, nullable              |
 * | anything else ({} , mixed unions)           | STRING (the JSON text)   |
 *
 * Local `$ref`s (`#/definitions/x`, `#/$defs/x`) are followed; recursion is refused.
 */
import { T } from '../../../operators/index.ts';
import type { RowField, SqlType } from '../../../operators/index.ts';

type Json = Record<string, unknown>;
const depthMax = 64;

export class JsonSchemaTypeError extends Error {}

/** SQL type of a JSON Schema node; `required` says whether the property must be present. */
export function jsonSchemaToSql(schema: unknown, root: unknown = schema, required = true, depth = 0): SqlType {
  if (depth > depthMax) throw new JsonSchemaTypeError(`JSON schema nests deeper than ${depthMax} (a recursive $ref?)`);
  if (schema === true || schema === undefined || schema === null || typeof schema !== 'object') return T.string(true);
  const s = schema as Json;
  if (typeof s.$ref === 'string') return jsonSchemaToSql(resolveRef(s.$ref, root), root, required, depth + 1);
  const alternatives = (Array.isArray(s.oneOf) ? s.oneOf : Array.isArray(s.anyOf) ? s.anyOf : null) as unknown[] | null;
  if (alternatives !== null) {
    const nonNull = alternatives.filter((a) => !(typeof a === 'object' && a !== null && (a as Json).type === 'null'));
    if (nonNull.length === 1) return nullable(jsonSchemaToSql(nonNull[0], root, true, depth + 1), true);
    return T.string(true);
  }
  let type = s.type;
  let isNullable = !required;
  if (Array.isArray(type)) {
    const types = type.filter((x) => x !== 'null');
    if (types.length !== type.length) isNullable = true;
    if (types.length !== 1) return T.string(true);
    type = types[0];
  }
  const connectType = typeof s['connect.type'] === 'string' ? s['connect.type'] : undefined;
  switch (type) {
    case 'boolean': return T.boolean(isNullable);
    case 'integer':
      if (connectType === 'int8') return T.tinyint(isNullable);
      if (connectType === 'int16') return T.smallint(isNullable);
      if (connectType === 'int32') return T.int(isNullable);
      return T.bigint(isNullable);
    case 'number':
      if (connectType === 'float32') return T.float(isNullable);
      if (connectType === 'int64' || connectType === 'int32') return T.bigint(isNullable);
      return T.double(isNullable);
    case 'string':
      if (s.format === 'date-time') return T.timestampLtz(3, isNullable);
      if (s.format === 'date') return T.date(isNullable);
      if (s.format === 'time') return T.time(3, isNullable);
      return T.string(isNullable);
    case 'array': return T.array(jsonSchemaToSql(s.items, root, true, depth + 1), isNullable);
    case 'object': {
      const props = s.properties as Json | undefined;
      if (props === undefined || Object.keys(props).length === 0) {
        if (typeof s.additionalProperties === 'object' && s.additionalProperties !== null) {
          return T.map(T.string(false), jsonSchemaToSql(s.additionalProperties, root, true, depth + 1), isNullable);
        }
        return T.string(isNullable);
      }
      const req = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
      const fields: RowField[] = Object.entries(props).map(([name, p]) => ({ name, type: jsonSchemaToSql(p, root, req.has(name), depth + 1) }));
      return T.row(fields, isNullable);
    }
    case 'null': return T.null();
    default: return T.string(true);
  }
}

function nullable(t: SqlType, n: boolean): SqlType {
  return t.kind === 'NULL' ? t : ({ ...t, nullable: n } as SqlType);
}

function resolveRef(ref: string, root: unknown): unknown {
  if (!ref.startsWith('#/')) throw new JsonSchemaTypeError(`only local $refs are supported as SQL types, got '${ref}'`);
  let node: unknown = root;
  for (const part of ref.slice(2).split('/')) {
    node = (node as Json | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (node === undefined) throw new JsonSchemaTypeError(`$ref '${ref}' points nowhere`);
  }
  return node;
}

/** Columns of a top-level object schema (or one column `fallbackName`). */
export function jsonSchemaColumns(schema: unknown, fallbackName: string): { name: string; type: SqlType }[] {
  const t = jsonSchemaToSql(schema, schema, true);
  if (t.kind === 'ROW') return t.fields.map((f) => ({ name: f.name, type: f.type }));
  return [{ name: fallbackName, type: t }];
}

/** The JSON Schema for SQL columns (an object; NOT NULL columns are required). */
export function sqlColumnsToJsonSchema(columns: readonly { name: string; type: SqlType }[], title: string): Json {
  return { $schema: 'http://json-schema.org/draft-07/schema#', title, ...objectSchema(columns) };
}

function objectSchema(fields: readonly { name: string; type: SqlType }[]): Json {
  return {
    type: 'object',
    properties: Object.fromEntries(fields.map((f) => [f.name, sqlToJsonSchema(f.type)])),
    required: fields.filter((f) => !f.type.nullable).map((f) => f.name),
  };
}

function sqlToJsonSchema(t: SqlType): Json {
  const base = ((): Json => {
    switch (t.kind) {
      case 'BOOLEAN': return { type: 'boolean' };
      case 'TINYINT': return { type: 'integer', 'connect.type': 'int8' };
      case 'SMALLINT': return { type: 'integer', 'connect.type': 'int16' };
      case 'INT': return { type: 'integer', 'connect.type': 'int32' };
      case 'BIGINT': return { type: 'integer' };
      case 'FLOAT': return { type: 'number', 'connect.type': 'float32' };
      case 'DOUBLE': case 'DECIMAL': return { type: 'number' };
      case 'DATE': return { type: 'string', format: 'date' };
      case 'TIME': return { type: 'string', format: 'time' };
      case 'TIMESTAMP': case 'TIMESTAMP_LTZ': return { type: 'string', format: 'date-time' };
      case 'ARRAY': return { type: 'array', items: sqlToJsonSchema(t.element) };
      case 'MAP': return { type: 'object', additionalProperties: sqlToJsonSchema(t.value) };
      case 'ROW': return objectSchema(t.fields);
      default: return { type: 'string' };
    }
  })();
  if (!t.nullable) return base;
  return { oneOf: [{ type: 'null' }, base] };
}
