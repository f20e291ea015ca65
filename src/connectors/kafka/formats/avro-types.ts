/**
 * Avro <-> SQL types, both ways, the way Confluent Cloud's Flink maps them:
 *
 * | Avro                                   | SQL                               |
 * |----------------------------------------|-----------------------------------|
 * | boolean, int, long, float, double      | BOOLEAN, INT, BIGINT, FLOAT, DOUBLE (NOT NULL) |
 * | int + connect.type int8 / int16        | TINYINT / SMALLINT                |
 * | string (uuid too), enum                | STRING                            |
 * | bytes, fixed(n)                        | BYTES, BINARY(n)                  |
 * | bytes/fixed + decimal(p, s)            | DECIMAL(p, s)                     |
 * | int + date, int + time-millis          | DATE, TIME(3)                     |
 * | long + timestamp-millis / -micros      | TIMESTAMP_LTZ(3) / TIMESTAMP_LTZ(6) |
 * | long + local-timestamp-millis / -micros| TIMESTAMP(3) / TIMESTAMP(6)       |
 * | record, array, map                     | ROW, ARRAY, MAP<STRING NOT NULL, V> |
 * | [null, X]                              | X, nullable                       |
 * | other unions                           | ROW of one nullable field per branch |
 *
 * The SQL -> Avro direction writes what `CREATE TABLE` registers; it maps back to the same SQL
 * types except that CHAR/VARCHAR lengths become STRING and VARBINARY(n) becomes BYTES.
 */
import { T, displayType } from '../../../operators/index.ts';
import type { RowField, SqlType } from '../../../operators/index.ts';
import { AvroModelError, nullableBranch } from './avro-model.ts';
import type { AvroNode } from './avro-model.ts';

/** The SQL type of an Avro schema node. */
export function avroToSql(node: AvroNode): SqlType {
  switch (node.t) {
    case 'null': return T.null();
    case 'boolean': return T.boolean(false);
    case 'int':
      if (node.logical === 'date') return T.date(false);
      if (node.logical === 'time-millis') return T.time(3, false);
      if (node.connectType === 'int8') return T.tinyint(false);
      if (node.connectType === 'int16') return T.smallint(false);
      return T.int(false);
    case 'long':
      switch (node.logical) {
        case 'timestamp-millis': return T.timestampLtz(3, false);
        case 'timestamp-micros': return T.timestampLtz(6, false);
        case 'local-timestamp-millis': return T.timestamp(3, false);
        case 'local-timestamp-micros': return T.timestamp(6, false);
        case 'time-micros': return T.time(6, false);
        default: return T.bigint(false);
      }
    case 'float': return T.float(false);
    case 'double': return T.double(false);
    case 'bytes':
      if (node.logical === 'decimal') return T.decimal(node.precision ?? 10, node.scale ?? 0, false);
      return T.bytes(false);
    case 'fixed':
      if (node.logical === 'decimal') return T.decimal(node.precision ?? 10, node.scale ?? 0, false);
      return T.binary(node.size, false);
    case 'string': case 'enum': return T.string(false);
    case 'record': return T.row(node.fields.map((f) => ({ name: f.name, type: avroToSql(f.type) })), false);
    case 'array': return T.array(avroToSql(node.items), false);
    case 'map': return T.map(T.string(false), avroToSql(node.values), false);
    case 'union': {
      const nb = nullableBranch(node);
      if (nb !== null) {
        const inner = avroToSql(nb.inner);
        return inner.kind === 'NULL' ? inner : ({ ...inner, nullable: true } as SqlType);
      }
      const nullable = node.branches.some((b) => b.t === 'null');
      const fields: RowField[] = node.branches.filter((b) => b.t !== 'null').map((b, i) => {
        const t = avroToSql(b);
        return { name: branchName(b, i), type: { ...t, nullable: true } as SqlType };
      });
      if (fields.length === 1) return { ...fields[0].type, nullable } as SqlType;
      return T.row(fields, nullable);
    }
    default: {
      const never: never = node;
      throw new AvroModelError(`unknown Avro node ${JSON.stringify(never)}`);
    }
  }
}

function branchName(b: AvroNode, i: number): string {
  if (b.t === 'record' || b.t === 'enum' || b.t === 'fixed') return b.name.slice(b.name.lastIndexOf('.') + 1);
  return b.t === 'union' ? `branch${i}` : b.t;
}

/** Columns of a top-level record schema (or one column named `fallbackName` for other schemas). */
export function avroColumns(node: AvroNode, fallbackName: string): { name: string; type: SqlType }[] {
  if (node.t === 'record') return node.fields.map((f) => ({ name: f.name, type: avroToSql(f.type) }));
  return [{ name: fallbackName, type: avroToSql(node) }];
}

export class UnsupportedTypeError extends Error {}

/**
 * The Avro schema JSON for a row of SQL columns: a record named `recordName`, nullable columns as
 * `["null", T]` with a null default (so later schemas can drop or add them compatibly).
 */
export function sqlColumnsToAvro(columns: readonly { name: string; type: SqlType }[], recordName: string, namespace = 'io.runnel'): Record<string, unknown> {
  const names = new Set<string>();
  const record = (fields: readonly RowField[], name: string): Record<string, unknown> => {
    const unique = uniqueName(avroName(name), names);
    return {
      type: 'record',
      name: unique,
      fields: fields.map((f) => {
        const t = sqlToAvro(f.type, `${unique}_${f.name}`);
        return f.type.nullable ? { name: f.name, type: t, default: null } : { name: f.name, type: t };
      }),
    };
  };
  const sqlToAvro = (t: SqlType, path: string): unknown => {
    const base = baseAvro(t, path);
    return t.nullable ? ['null', base] : base;
  };
  const baseAvro = (t: SqlType, path: string): unknown => {
    switch (t.kind) {
      case 'BOOLEAN': return 'boolean';
      case 'TINYINT': return { type: 'int', 'connect.type': 'int8' };
      case 'SMALLINT': return { type: 'int', 'connect.type': 'int16' };
      case 'INT': return 'int';
      case 'BIGINT': return 'long';
      case 'FLOAT': return 'float';
      case 'DOUBLE': return 'double';
      case 'DECIMAL': return { type: 'bytes', logicalType: 'decimal', precision: t.precision, scale: t.scale };
      case 'CHAR': case 'VARCHAR': return 'string';
      case 'BINARY': return { type: 'fixed', name: uniqueName(avroName(path), names), size: t.length };
      case 'VARBINARY': return 'bytes';
      case 'DATE': return { type: 'int', logicalType: 'date' };
      case 'TIME': return t.precision <= 3 ? { type: 'int', logicalType: 'time-millis' } : { type: 'long', logicalType: 'time-micros' };
      case 'TIMESTAMP': return { type: 'long', logicalType: t.precision <= 3 ? 'local-timestamp-millis' : 'local-timestamp-micros' };
      case 'TIMESTAMP_LTZ': return { type: 'long', logicalType: t.precision <= 3 ? 'timestamp-millis' : 'timestamp-micros' };
      case 'ARRAY': return { type: 'array', items: sqlToAvro(t.element, `${path}_element`) };
      case 'MAP':
        if (t.key.kind === 'CHAR' || t.key.kind === 'VARCHAR') return { type: 'map', values: sqlToAvro(t.value, `${path}_value`) };
        return { type: 'array', items: record([{ name: 'key', type: t.key }, { name: 'value', type: t.value }], `${path}_entry`) };
      case 'ROW': return record(t.fields, path);
      case 'NULL': return 'null';
      case 'INTERVAL_YEAR_MONTH': case 'INTERVAL_DAY_TIME':
        throw new UnsupportedTypeError(`${displayType(t)} has no Avro representation; cast it to BIGINT or STRING first`);
      default: {
        const never: never = t;
        throw new UnsupportedTypeError(`no Avro type for ${JSON.stringify(never)}`);
      }
    }
  };
  const top = record(columns, recordName);
  return namespace === '' ? top : { ...top, namespace };
}

/** An Avro name: letters, digits and `_`, not starting with a digit. */
export function avroName(s: string): string {
  const cleaned = s.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
}

function uniqueName(name: string, used: Set<string>): string {
  let n = name;
  for (let i = 2; used.has(n); i++) n = `${name}${i}`;
  used.add(n);
  return n;
}
