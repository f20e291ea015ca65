/** Queries and FROM clauses → SQL text, on one line. */
import type {
  GroupingElement,
  QueryBody,
  QueryNode,
  SelectItem,
  SelectNode,
  TableFunctionArgNode,
  TableRef,
} from '../ast.ts';
import { formatExpression, formatOrderItem, formatWindowSpec } from './expression.ts';
import { formatObjectName, formatPath, quoteName } from './names.ts';

export function formatQuery(q: QueryNode): string {
  const parts: string[] = [];
  if (q.with.length > 0) {
    const ctes = q.with.map((c) => {
      const cols = c.columns.length === 0 ? '' : ` (${c.columns.map((i) => quoteName(i.value)).join(', ')})`;
      return `${quoteName(c.name.value)}${cols} AS (${formatQuery(c.query)})`;
    });
    parts.push(`WITH ${ctes.join(', ')}`);
  }
  parts.push(formatBody(q.body));
  if (q.orderBy.length > 0) parts.push(`ORDER BY ${q.orderBy.map(formatOrderItem).join(', ')}`);
  if (q.limit !== undefined) parts.push(`LIMIT ${formatExpression(q.limit)}`);
  if (q.offset !== undefined) parts.push(`OFFSET ${formatExpression(q.offset)}`);
  return parts.join(' ');
}

function setLevel(b: QueryBody): number {
  if (b.kind !== 'SetOperation') return 3;
  return b.op === 'INTERSECT' ? 2 : 1;
}

/** A query body; set operations are left-associative and INTERSECT binds tighter. */
export function formatBody(b: QueryBody): string {
  switch (b.kind) {
    case 'Select':
      return formatSelect(b);
    case 'Values':
      return `VALUES ${b.rows.map((r) => `(${r.map(formatExpression).join(', ')})`).join(', ')}`;
    case 'Query':
      return `(${formatQuery(b)})`;
    case 'SetOperation': {
      const level = setLevel(b);
      const left = setLevel(b.left) < level ? `(${formatBody(b.left)})` : formatBody(b.left);
      const right = setLevel(b.right) <= level ? `(${formatBody(b.right)})` : formatBody(b.right);
      return `${left} ${b.op}${b.all ? ' ALL' : ''} ${right}`;
    }
    default: {
      const never: never = b;
      throw new Error(`unknown query body ${JSON.stringify(never)}`);
    }
  }
}

function formatSelect(s: SelectNode): string {
  const parts = [`SELECT ${s.distinct ? 'DISTINCT ' : ''}${s.items.map(formatSelectItem).join(', ')}`];
  if (s.from !== undefined) parts.push(`FROM ${formatTableRef(s.from)}`);
  if (s.where !== undefined) parts.push(`WHERE ${formatExpression(s.where)}`);
  if (s.groupBy.length > 0) parts.push(`GROUP BY ${s.groupBy.map(formatGroupingElement).join(', ')}`);
  if (s.having !== undefined) parts.push(`HAVING ${formatExpression(s.having)}`);
  if (s.windows.length > 0) {
    parts.push(`WINDOW ${s.windows.map((w) => `${quoteName(w.name.value)} AS ${formatWindowSpec(w.spec)}`).join(', ')}`);
  }
  return parts.join(' ');
}

export function formatSelectItem(item: SelectItem): string {
  if (item.kind === 'Wildcard') return item.qualifier === undefined ? '*' : `${formatPath(item.qualifier)}.*`;
  const alias = item.alias === undefined ? '' : ` AS ${quoteName(item.alias.value)}`;
  return `${formatExpression(item.expr)}${alias}`;
}

function formatGroupingElement(g: GroupingElement): string {
  switch (g.kind) {
    case 'GroupingSets':
      return `GROUPING SETS (${g.sets.map((set) => `(${set.map(formatExpression).join(', ')})`).join(', ')})`;
    case 'Rollup':
    case 'Cube':
      return `${g.kind.toUpperCase()} (${g.exprs.map(formatExpression).join(', ')})`;
    default:
      return formatExpression(g);
  }
}

function formatAlias(ref: { readonly alias?: { readonly value: string }; readonly columnAliases: readonly { readonly value: string }[] }): string {
  if (ref.alias === undefined) return '';
  const cols = ref.columnAliases.length === 0 ? '' : ` (${ref.columnAliases.map((c) => quoteName(c.value)).join(', ')})`;
  return ` AS ${quoteName(ref.alias.value)}${cols}`;
}

function formatArg(a: TableFunctionArgNode): string {
  const name = a.name === undefined ? '' : `${a.name.value.toUpperCase() === 'OFFSET' ? 'OFFSET' : quoteName(a.name.value)} => `;
  if (a.value.kind === 'TableArg') {
    const keys = a.value.partitionBy;
    let partition = '';
    if (keys.length === 1 && keys[0] !== undefined) partition = ` PARTITION BY ${formatExpression(keys[0])}`;
    else if (keys.length > 1) partition = ` PARTITION BY (${keys.map(formatExpression).join(', ')})`;
    return `${name}TABLE ${formatObjectName(a.value.table)}${partition}`;
  }
  return `${name}${formatExpression(a.value)}`;
}

const JOIN_WORDS = { INNER: 'JOIN', LEFT: 'LEFT JOIN', RIGHT: 'RIGHT JOIN', FULL: 'FULL JOIN', CROSS: 'CROSS JOIN' } as const;

export function formatTableRef(t: TableRef): string {
  switch (t.kind) {
    case 'TableName': {
      const asOf = t.systemTimeAsOf === undefined ? '' : ` FOR SYSTEM_TIME AS OF ${formatExpression(t.systemTimeAsOf)}`;
      return `${formatObjectName(t.name)}${asOf}${formatAlias(t)}`;
    }
    case 'DerivedTable':
      return `${t.lateral ? 'LATERAL ' : ''}(${formatQuery(t.query)})${formatAlias(t)}`;
    case 'TableFunction':
      return `${t.lateral ? 'LATERAL ' : ''}TABLE(${formatObjectName(t.name)}(${t.args.map(formatArg).join(', ')}))${formatAlias(t)}`;
    case 'Unnest':
      return `UNNEST(${t.exprs.map(formatExpression).join(', ')})${t.withOrdinality ? ' WITH ORDINALITY' : ''}${formatAlias(t)}`;
    case 'Join': {
      const right = t.right.kind === 'Join' ? `(${formatTableRef(t.right)})` : formatTableRef(t.right);
      if (t.type === 'COMMA') return `${formatTableRef(t.left)}, ${right}`;
      const on = t.on === undefined ? '' : ` ON ${formatExpression(t.on)}`;
      const using = t.using.length === 0 ? '' : ` USING (${t.using.map((u) => quoteName(u.value)).join(', ')})`;
      return `${formatTableRef(t.left)} ${t.natural ? 'NATURAL ' : ''}${JOIN_WORDS[t.type]} ${right}${on}${using}`;
    }
    default: {
      const never: never = t;
      throw new Error(`unknown table reference ${JSON.stringify(never)}`);
    }
  }
}
