/**
 * AST data types (`DECIMAL(23, 3)`, `TIMESTAMP_LTZ(3) NOT NULL`, `ROW<a INT>`) to the operators'
 * SqlType, with the defaults of Flink's SQL type system: DECIMAL is DECIMAL(10, 0), CHAR is
 * CHAR(1), VARCHAR without a length is STRING, TIMESTAMP is TIMESTAMP(6), TIME is TIME(0).
 */
import { T, withNullable } from '../operators/index.ts';
import type { SqlType } from '../operators/index.ts';
import type { DataType } from '../sql/index.ts';
import { PlanError } from './errors.ts';

export function sqlTypeOf(t: DataType): SqlType {
  return withNullable(baseType(t), !t.notNull);
}

function baseType(t: DataType): SqlType {
  switch (t.kind) {
    case 'SimpleType': {
      const name = t.name;
      switch (name) {
        case 'BOOLEAN': return T.boolean();
        case 'TINYINT': return T.tinyint();
        case 'SMALLINT': return T.smallint();
        case 'INT': return T.int();
        case 'BIGINT': return T.bigint();
        case 'FLOAT': return T.float();
        case 'DOUBLE': return T.double();
        case 'DATE': return T.date();
        case 'STRING': return T.string();
        case 'BYTES': return T.bytes();
        default: {
          const never: never = name;
          throw new PlanError(`unknown type ${String(never)}`);
        }
      }
    }
    case 'DecimalType': return T.decimal(t.precision ?? 10, t.scale ?? 0);
    case 'StringType': {
      // Flink's type system defaults CHAR and BINARY to length 1, VARCHAR and VARBINARY to the maximum (STRING, BYTES).
      if (t.name === 'CHAR') return T.char(t.length ?? 1);
      if (t.name === 'VARCHAR') return t.length === undefined ? T.string() : T.varchar(t.length);
      if (t.name === 'BINARY') return T.binary(t.length ?? 1);
      return t.length === undefined ? T.bytes() : T.varbinary(t.length);
    }
    case 'TimeType': return T.time(t.precision ?? 0);
    case 'TimestampType': return t.withLocalTimeZone ? T.timestampLtz(t.precision ?? 6) : T.timestamp(t.precision ?? 6);
    case 'IntervalType': {
      const ym = t.qualifier.from === 'YEAR' || t.qualifier.from === 'MONTH';
      return ym ? T.intervalYearMonth() : T.intervalDayTime();
    }
    case 'CollectionType':
      if (t.collection === 'MULTISET') throw new PlanError('MULTISET is not supported yet', t.pos);
      return T.array(sqlTypeOf(t.element));
    case 'MapType': return T.map(sqlTypeOf(t.key), sqlTypeOf(t.value));
    case 'RowType': return T.row(t.fields.map((f) => ({ name: f.name.value, type: sqlTypeOf(f.type) })));
    default: {
      const never: never = t;
      throw new PlanError(`unknown type ${JSON.stringify(never)}`);
    }
  }
}
