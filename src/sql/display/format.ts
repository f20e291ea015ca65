/**
 * `formatSql`: any statement, query body, expression, table reference or data
 * type as canonical one-line SQL. Parsing the output gives back the same AST
 * (positions aside), which the round-trip tests check; EXPLAIN uses it to
 * print expressions.
 */
import type { DataType, Expression, QueryBody, Statement, TableRef } from '../ast.ts';
import { formatDataType } from './data-type.ts';
import { formatExpression } from './expression.ts';
import { formatBody, formatTableRef } from './query.ts';
import { formatStatement } from './statement.ts';

export type Formattable = Statement | QueryBody | Expression | TableRef | DataType;

const TABLE_REF_KINDS = new Set(['TableName', 'DerivedTable', 'TableFunction', 'Unnest', 'Join']);
const DATA_TYPE_KINDS = new Set([
  'SimpleType', 'DecimalType', 'StringType', 'TimeType', 'TimestampType', 'IntervalType', 'CollectionType', 'MapType', 'RowType',
]);
const BODY_KINDS = new Set(['Select', 'Values', 'SetOperation']);
const STATEMENT_KINDS = new Set([
  'Query', 'Insert', 'StatementSet', 'CreateTable', 'CreateView', 'CreateFunction', 'AlterTable', 'Drop', 'Show',
  'ShowCreate', 'Describe', 'Explain', 'Set', 'Reset', 'Use', 'StopStatement', 'ResumeStatement',
]);

function isStatement(n: Formattable): n is Statement {
  return STATEMENT_KINDS.has(n.kind);
}
function isBody(n: Formattable): n is QueryBody {
  return BODY_KINDS.has(n.kind);
}
function isTableRef(n: Formattable): n is TableRef {
  return TABLE_REF_KINDS.has(n.kind);
}
function isDataType(n: Formattable): n is DataType {
  return DATA_TYPE_KINDS.has(n.kind);
}

/**
 * Canonical SQL text for an AST node.
 *
 * @example
 * formatSql(parseStatement("select a+b*2 from t where not x=1"));
 * // "SELECT a + b * 2 FROM t WHERE NOT x = 1"
 */
export function formatSql(node: Formattable): string {
  if (isStatement(node)) return formatStatement(node);
  if (isBody(node)) return formatBody(node);
  if (isTableRef(node)) return formatTableRef(node);
  if (isDataType(node)) return formatDataType(node);
  return formatExpression(node);
}
