/**
 * Expression → SQL text. Parentheses are added only where operator precedence
 * needs them, so the output parses back to the same tree.
 */
import type { Expression, FrameBound, FunctionCallNode, OrderItemNode, WindowSpecNode } from '../ast.ts';
import { formatDataType, formatIntervalQualifier } from './data-type.ts';
import { formatPath, quoteName, quoteString } from './names.ts';
import { formatQuery } from './query.ts';
import { RESERVED_WORDS } from '../tokens.ts';

/** Binding strength, loosest first; an operand weaker than its slot needs parentheses. */
const enum Level {
  Or = 1,
  And = 2,
  Not = 3,
  Is = 4,
  Comparison = 5,
  Predicate = 6,
  Additive = 7,
  Multiplicative = 8,
  Unary = 9,
  Postfix = 10,
  Primary = 11,
}

function levelOf(e: Expression): Level {
  switch (e.kind) {
    case 'Binary':
      switch (e.op) {
        case 'OR':
          return Level.Or;
        case 'AND':
          return Level.And;
        case '+':
        case '-':
          return Level.Additive;
        case '*':
        case '/':
        case '%':
        case '||':
          return Level.Multiplicative;
        default:
          return Level.Comparison;
      }
    case 'Unary':
      return e.op === 'NOT' ? Level.Not : Level.Unary;
    case 'Is':
    case 'IsDistinctFrom':
      return Level.Is;
    case 'Between':
    case 'InList':
    case 'InSubquery':
    case 'Like':
      return Level.Predicate;
    case 'Index':
    case 'FieldAccess':
      return Level.Postfix;
    default:
      return Level.Primary;
  }
}

/** `e` printed so that it parses back in a slot that accepts `min` or tighter. */
function at(e: Expression, min: Level): string {
  const text = formatExpression(e);
  return levelOf(e) < min ? `(${text})` : text;
}

function list(items: readonly Expression[]): string {
  return items.map(formatExpression).join(', ');
}

export function formatExpression(e: Expression): string {
  switch (e.kind) {
    case 'ColumnRef':
      return formatPath(e.path);
    case 'NumericLiteral':
      return e.text;
    case 'StringLiteral':
      return quoteString(e.value);
    case 'BooleanLiteral':
      return e.value ? 'TRUE' : 'FALSE';
    case 'NullLiteral':
      return 'NULL';
    case 'TypedLiteral':
      return `${e.type} ${quoteString(e.value)}`;
    case 'IntervalLiteral':
      return `INTERVAL ${quoteString(e.value)} ${formatIntervalQualifier(e.qualifier)}`;
    case 'Unary':
      return formatUnary(e.op, e.operand);
    case 'Binary': {
      const level = levelOf(e);
      return `${at(e.left, level)} ${e.op} ${at(e.right, level + 1)}`;
    }
    case 'Is':
      return `${at(e.operand, Level.Is)} IS ${e.not ? 'NOT ' : ''}${e.test}`;
    case 'IsDistinctFrom':
      return `${at(e.left, Level.Is)} IS ${e.not ? 'NOT ' : ''}DISTINCT FROM ${at(e.right, Level.Comparison)}`;
    case 'Between':
      return `${at(e.operand, Level.Additive)} ${e.not ? 'NOT ' : ''}BETWEEN ${e.symmetric ? 'SYMMETRIC ' : ''}${at(e.low, Level.Additive)} AND ${at(e.high, Level.Additive)}`;
    case 'InList':
      return `${at(e.operand, Level.Additive)} ${e.not ? 'NOT ' : ''}IN (${list(e.list)})`;
    case 'InSubquery':
      return `${at(e.operand, Level.Additive)} ${e.not ? 'NOT ' : ''}IN (${formatQuery(e.query)})`;
    case 'Like': {
      const escape = e.escape === undefined ? '' : ` ESCAPE ${at(e.escape, Level.Additive)}`;
      return `${at(e.operand, Level.Additive)} ${e.not ? 'NOT ' : ''}${e.operator} ${at(e.pattern, Level.Additive)}${escape}`;
    }
    case 'Case': {
      const operand = e.operand === undefined ? '' : ` ${formatExpression(e.operand)}`;
      const whens = e.whens.map((w) => ` WHEN ${formatExpression(w.when)} THEN ${formatExpression(w.then)}`).join('');
      const otherwise = e.else === undefined ? '' : ` ELSE ${formatExpression(e.else)}`;
      return `CASE${operand}${whens}${otherwise} END`;
    }
    case 'Cast':
      return `${e.try ? 'TRY_CAST' : 'CAST'}(${formatExpression(e.operand)} AS ${formatDataType(e.type)})`;
    case 'FunctionCall':
      return formatCall(e);
    case 'Extract':
      return `EXTRACT(${e.unit} FROM ${formatExpression(e.source)})`;
    case 'TimestampArith':
      return `${e.function}(${e.unit}, ${formatExpression(e.left)}, ${formatExpression(e.right)})`;
    case 'Trim': {
      const chars = e.characters === undefined ? '' : `${formatExpression(e.characters)} `;
      return `TRIM(${e.side} ${chars}FROM ${formatExpression(e.source)})`;
    }
    case 'Substring': {
      const length = e.length === undefined ? '' : ` FOR ${formatExpression(e.length)}`;
      return `SUBSTRING(${formatExpression(e.source)} FROM ${formatExpression(e.start)}${length})`;
    }
    case 'Position':
      return `POSITION(${at(e.needle, Level.Additive)} IN ${formatExpression(e.haystack)})`;
    case 'Overlay': {
      const length = e.length === undefined ? '' : ` FOR ${formatExpression(e.length)}`;
      return `OVERLAY(${formatExpression(e.source)} PLACING ${formatExpression(e.placing)} FROM ${formatExpression(e.start)}${length})`;
    }
    case 'ArrayConstructor':
      return `ARRAY[${list(e.elements)}]`;
    case 'MapConstructor':
      return `MAP[${e.entries.map((m) => `${formatExpression(m.key)}, ${formatExpression(m.value)}`).join(', ')}]`;
    case 'RowConstructor':
      return `${e.explicit ? 'ROW' : ''}(${list(e.fields)})`;
    case 'Index':
      return `${at(e.operand, Level.Postfix)}[${formatExpression(e.index)}]`;
    case 'FieldAccess': {
      // `(a).b` keeps a field access on a column apart from the column path `a.b`.
      const operand = e.operand.kind === 'ColumnRef' ? `(${formatExpression(e.operand)})` : at(e.operand, Level.Postfix);
      return `${operand}.${quoteName(e.field)}`;
    }
    case 'ScalarSubquery':
      return `(${formatQuery(e.query)})`;
    case 'Exists':
      return `EXISTS (${formatQuery(e.query)})`;
    case 'Descriptor':
      return `DESCRIPTOR(${e.columns.map((c) => quoteName(c.value)).join(', ')})`;
    default: {
      const never: never = e;
      throw new Error(`unknown expression ${JSON.stringify(never)}`);
    }
  }
}

function formatUnary(op: '-' | '+' | 'NOT', operand: Expression): string {
  if (op === 'NOT') return `NOT ${at(operand, Level.Not)}`;
  const text = at(operand, Level.Unary);
  // `- -x` must not become `--x`, which starts a comment.
  return text.startsWith('-') || text.startsWith('+') ? `${op} ${text}` : `${op}${text}`;
}

/** Single-part function names that are reserved words but callable: `HOUR(ts)`, `LEFT(s, 2)`. */
const KEYWORD_FUNCTIONS = new Set(['LEFT', 'RIGHT', 'YEAR', 'MONTH', 'DAY', 'HOUR', 'MINUTE', 'SECOND', 'GROUPING']);

function functionName(parts: readonly string[]): string {
  const [only] = parts;
  if (parts.length === 1 && only !== undefined && KEYWORD_FUNCTIONS.has(only.toUpperCase())) return only;
  return parts
    .map((p) => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(p) && !RESERVED_WORDS.has(p.toUpperCase()) ? p : quoteName(p)))
    .join('.');
}

function formatCall(e: FunctionCallNode): string {
  if (e.noParens) return e.name.parts.join('.');
  const args = e.star ? '*' : `${e.distinct ? 'DISTINCT ' : ''}${list(e.args)}`;
  const filter = e.filter === undefined ? '' : ` FILTER (WHERE ${formatExpression(e.filter)})`;
  const over = e.over === undefined ? '' : ` OVER ${formatWindowSpec(e.over)}`;
  return `${functionName(e.name.parts)}(${args})${filter}${over}`;
}

/** `(PARTITION BY a ORDER BY b ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)`, or `w` for `OVER w`. */
export function formatWindowSpec(w: WindowSpecNode): string {
  if (w.reference && w.baseWindow !== undefined) return quoteName(w.baseWindow.value);
  const parts: string[] = [];
  if (w.baseWindow !== undefined) parts.push(quoteName(w.baseWindow.value));
  if (w.partitionBy.length > 0) parts.push(`PARTITION BY ${list(w.partitionBy)}`);
  if (w.orderBy.length > 0) parts.push(`ORDER BY ${w.orderBy.map(formatOrderItem).join(', ')}`);
  if (w.frame !== undefined) {
    parts.push(`${w.frame.units} BETWEEN ${formatBound(w.frame.start)} AND ${formatBound(w.frame.end)}`);
  }
  return `(${parts.join(' ')})`;
}

function formatBound(b: FrameBound): string {
  return b.offset === undefined ? b.type : `${at(b.offset, Level.Additive)} ${b.type}`;
}

export function formatOrderItem(o: OrderItemNode): string {
  const nulls = o.nulls === undefined ? '' : ` NULLS ${o.nulls}`;
  return `${formatExpression(o.expr)}${o.direction === 'DESC' ? ' DESC' : ''}${nulls}`;
}
