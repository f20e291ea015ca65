/** CST → AST for data types, interval qualifiers and time units. */
import type { CstNode, IToken } from 'chevrotain';
import type { DataType, IntervalQualifier, RowFieldNode, SimpleTypeName, TimeUnit } from '../ast.ts';
import {
  has,
  identifier,
  integerValue,
  need,
  needToken,
  node,
  nodes,
  posOf,
  stringValue,
  token,
  tokens,
} from './access.ts';

const PLURAL_UNITS: Readonly<Record<string, TimeUnit>> = {
  YEARS: 'YEAR',
  MONTHS: 'MONTH',
  WEEKS: 'WEEK',
  DAYS: 'DAY',
  HOURS: 'HOUR',
  MINUTES: 'MINUTE',
  SECONDS: 'SECOND',
};

/** A `timeUnit` rule node; plurals become singular. */
export function timeUnit(n: CstNode): TimeUnit {
  const word = needToken(n, 'unit').image.toUpperCase();
  return PLURAL_UNITS[word] ?? (word as TimeUnit);
}

export function intervalQualifier(n: CstNode): IntervalQualifier {
  const from = timeUnit(need(n, 'from'));
  const fromPrecision = token(n, 'fromPrecision');
  const fractional = token(n, 'fractionalPrecision');
  const to = node(n, 'to');
  const toPrecision = token(n, 'toPrecision') ?? fractional;
  return {
    from,
    fromPrecision: fromPrecision === undefined ? undefined : integerValue(fromPrecision, 'an interval precision'),
    to: to === undefined ? undefined : timeUnit(to),
    toPrecision: toPrecision === undefined ? undefined : integerValue(toPrecision, 'an interval precision'),
  };
}

function params(n: CstNode | undefined, what: string): number[] {
  if (n === undefined) return [];
  return tokens(n, 'param').map((t) => integerValue(t, what));
}

function isNotNull(n: CstNode | undefined): boolean {
  return n !== undefined && has(n, 'NOT');
}

/** A `dataType` rule node: a base type, its nullability, and `ARRAY`/`MULTISET` suffixes. */
export function dataType(n: CstNode): DataType {
  let type = baseType(need(n, 'baseType'), isNotNull(node(n, 'nullability')));
  for (const suffix of nodes(n, 'suffix')) {
    const collection = needToken(suffix, 'collection').image.toUpperCase() === 'ARRAY' ? 'ARRAY' : 'MULTISET';
    type = {
      kind: 'CollectionType',
      collection,
      element: type,
      notNull: isNotNull(node(suffix, 'nullability')),
      pos: type.pos,
    };
  }
  return type;
}

const SIMPLE_NAMES: Readonly<Record<string, SimpleTypeName>> = {
  BOOLEAN: 'BOOLEAN',
  TINYINT: 'TINYINT',
  SMALLINT: 'SMALLINT',
  INT: 'INT',
  INTEGER: 'INT',
  BIGINT: 'BIGINT',
  FLOAT: 'FLOAT',
  REAL: 'FLOAT',
  DOUBLE: 'DOUBLE',
  DATE: 'DATE',
  STRING: 'STRING',
  BYTES: 'BYTES',
};

function word(t: IToken): string {
  return t.image.toUpperCase();
}

function baseType(n: CstNode, notNull: boolean): DataType {
  const pos = posOf(n);
  const simple = token(n, 'simple');
  if (simple !== undefined) {
    const name = SIMPLE_NAMES[word(simple)] ?? 'STRING';
    return { kind: 'SimpleType', name, notNull, pos };
  }
  if (has(n, 'decimal')) {
    const [precision, scale] = params(node(n, 'typeParams'), 'a DECIMAL precision');
    return { kind: 'DecimalType', precision, scale, notNull, pos };
  }
  if (has(n, 'char')) {
    const [length] = params(node(n, 'typeParams'), 'a length');
    return { kind: 'StringType', name: has(n, 'VARYING') ? 'VARCHAR' : 'CHAR', length, notNull, pos };
  }
  const sized = token(n, 'sized');
  if (sized !== undefined) {
    const [length] = params(node(n, 'typeParams'), 'a length');
    const name = word(sized) as 'VARCHAR' | 'BINARY' | 'VARBINARY';
    return { kind: 'StringType', name, length, notNull, pos };
  }
  const time = node(n, 'timeType');
  if (time !== undefined) {
    const [precision] = params(node(time, 'typeParams'), 'a TIME precision');
    return { kind: 'TimeType', precision, notNull, pos };
  }
  const timestamp = node(n, 'timestampType');
  if (timestamp !== undefined) {
    const [precision] = params(node(timestamp, 'typeParams'), 'a TIMESTAMP precision');
    const withLocalTimeZone = has(timestamp, 'ltz') || has(timestamp, 'withLocalTimeZone');
    return { kind: 'TimestampType', precision, withLocalTimeZone, notNull, pos };
  }
  if (has(n, 'interval')) {
    return { kind: 'IntervalType', qualifier: intervalQualifier(need(n, 'intervalQualifier')), notNull, pos };
  }
  const collection = token(n, 'collection');
  if (collection !== undefined) {
    const element = dataType(need(n, 'element'));
    return { kind: 'CollectionType', collection: word(collection) === 'ARRAY' ? 'ARRAY' : 'MULTISET', element, notNull, pos };
  }
  if (has(n, 'map')) {
    return { kind: 'MapType', key: dataType(need(n, 'key')), value: dataType(need(n, 'value')), notNull, pos };
  }
  const row = need(n, 'rowType');
  return { kind: 'RowType', fields: nodes(row, 'rowField').map(rowField), notNull, pos };
}

function rowField(n: CstNode): RowFieldNode {
  const comment = token(n, 'comment');
  return {
    kind: 'RowField',
    name: identifier(need(n, 'identifier')),
    type: dataType(need(n, 'dataType')),
    comment: comment === undefined ? undefined : stringValue(comment),
    pos: posOf(n),
  };
}
