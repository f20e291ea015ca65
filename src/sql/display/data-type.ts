/** DataType → SQL text, e.g. `TIMESTAMP_LTZ(3) NOT NULL`, `ROW<id BIGINT, name STRING>`. */
import type { DataType, IntervalQualifier } from '../ast.ts';
import { quoteName, quoteString } from './names.ts';

export function formatDataType(type: DataType): string {
  return baseText(type) + (type.notNull ? ' NOT NULL' : '');
}

function withParams(name: string, ...params: (number | undefined)[]): string {
  const given = params.filter((p): p is number => p !== undefined);
  return given.length === 0 ? name : `${name}(${given.join(', ')})`;
}

function baseText(type: DataType): string {
  switch (type.kind) {
    case 'SimpleType':
      return type.name;
    case 'DecimalType':
      return withParams('DECIMAL', type.precision, type.scale);
    case 'StringType':
      return withParams(type.name, type.length);
    case 'TimeType':
      return withParams('TIME', type.precision);
    case 'TimestampType':
      return withParams(type.withLocalTimeZone ? 'TIMESTAMP_LTZ' : 'TIMESTAMP', type.precision);
    case 'IntervalType':
      return `INTERVAL ${formatIntervalQualifier(type.qualifier)}`;
    case 'CollectionType':
      return `${type.collection}<${formatDataType(type.element)}>`;
    case 'MapType':
      return `MAP<${formatDataType(type.key)}, ${formatDataType(type.value)}>`;
    case 'RowType': {
      const fields = type.fields.map(
        (f) => `${quoteName(f.name.value)} ${formatDataType(f.type)}${f.comment === undefined ? '' : ' ' + quoteString(f.comment)}`,
      );
      return `ROW<${fields.join(', ')}>`;
    }
    default: {
      const never: never = type;
      throw new Error(`unknown data type ${JSON.stringify(never)}`);
    }
  }
}

/** `SECOND`, `DAY(2) TO SECOND(3)`, `SECOND(2, 3)`. */
export function formatIntervalQualifier(q: IntervalQualifier): string {
  if (q.to === undefined) {
    if (q.toPrecision !== undefined) return `${q.from}(${q.fromPrecision ?? 2}, ${q.toPrecision})`;
    return withParams(q.from, q.fromPrecision);
  }
  return `${withParams(q.from, q.fromPrecision)} TO ${withParams(q.to, q.toPrecision)}`;
}
