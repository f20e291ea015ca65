/** CST → AST for queries: WITH, set operations, SELECT, VALUES, FROM and joins. */
import type { CstNode } from 'chevrotain';
import type {
  CteNode,
  Expression,
  GroupingElement,
  JoinType,
  NamedWindowNode,
  QueryBody,
  QueryNode,
  SelectItem,
  SelectNode,
  TableArgNode,
  TableFunctionArgNode,
  TableRef,
  ValuesNode,
} from '../ast.ts';
import {
  failAt,
  failAtPos,
  has,
  identifier,
  nameList,
  nodes,
  need,
  needToken,
  node,
  objectName,
  posOf,
  posOfToken,
  token,
} from './access.ts';
import { expression, orderItem, windowSpec } from './expressions.ts';

/** A `query` rule node. A query without WITH, ORDER BY or LIMIT around a parenthesized query is that query. */
export function query(n: CstNode): QueryNode {
  const body = setExpression(need(n, 'setExpression'));
  const orderBy = nodes(n, 'orderItem').map(orderItem);
  const limitNode = node(n, 'limit');
  const fetchNode = node(n, 'fetch');
  const offsetNode = node(n, 'offset');
  const fetchToken = token(n, 'FETCH');
  if (limitNode !== undefined && fetchToken !== undefined) {
    failAt(fetchToken, 'use either LIMIT or FETCH FIRST, not both', 'one of LIMIT or FETCH');
  }
  let limit: Expression | undefined;
  if (limitNode !== undefined) limit = expression(limitNode);
  else if (fetchNode !== undefined) limit = expression(fetchNode);
  else if (fetchToken !== undefined) limit = { kind: 'NumericLiteral', text: '1', pos: posOfToken(fetchToken) };
  const ctes = nodes(n, 'cte').map(cte);
  if (ctes.length === 0 && orderBy.length === 0 && limit === undefined && offsetNode === undefined && body.kind === 'Query') {
    return body;
  }
  return {
    kind: 'Query',
    with: ctes,
    body,
    orderBy,
    limit,
    offset: offsetNode === undefined ? undefined : expression(offsetNode),
    pos: posOf(n),
  };
}

function cte(n: CstNode): CteNode {
  return {
    kind: 'Cte',
    name: identifier(need(n, 'identifier')),
    columns: nameList(node(n, 'nameList')),
    query: query(need(n, 'query')),
    pos: posOf(n),
  };
}

function isAll(n: CstNode): boolean {
  const quantifier = node(n, 'allOrDistinct');
  return quantifier !== undefined && has(quantifier, 'ALL');
}

function setExpression(n: CstNode): QueryBody {
  let result = intersectTerm(need(n, 'intersectTerm'));
  for (const step of nodes(n, 'setOperation')) {
    const op = needToken(step, 'op').image.toUpperCase() === 'UNION' ? 'UNION' : 'EXCEPT';
    const right = intersectTerm(need(step, 'intersectTerm'));
    result = { kind: 'SetOperation', op, all: isAll(step), left: result, right, pos: result.pos };
  }
  return result;
}

function intersectTerm(n: CstNode): QueryBody {
  let result = queryPrimary(need(n, 'queryPrimary'));
  for (const step of nodes(n, 'intersectOperation')) {
    const right = queryPrimary(need(step, 'queryPrimary'));
    result = { kind: 'SetOperation', op: 'INTERSECT', all: isAll(step), left: result, right, pos: result.pos };
  }
  return result;
}

/** A parenthesized query with nothing around its body is just its body. */
function queryPrimary(n: CstNode): QueryBody {
  const select = node(n, 'select');
  if (select !== undefined) return selectOf(select);
  const values = node(n, 'values');
  if (values !== undefined) return valuesOf(values);
  const inner = query(need(n, 'query'));
  const bare = inner.with.length === 0 && inner.orderBy.length === 0 && inner.limit === undefined && inner.offset === undefined;
  return bare ? inner.body : inner;
}

function valuesOf(n: CstNode): ValuesNode {
  const rows = nodes(n, 'expression').map((row) => {
    const e = expression(row);
    return e.kind === 'RowConstructor' ? e.fields : [e];
  });
  return { kind: 'Values', rows, pos: posOf(n) };
}

function selectOf(n: CstNode): SelectNode {
  const quantifier = node(n, 'allOrDistinct');
  const from = node(n, 'fromClause');
  const where = node(n, 'where');
  const having = node(n, 'having');
  return {
    kind: 'Select',
    distinct: quantifier !== undefined && has(quantifier, 'DISTINCT'),
    items: nodes(n, 'selectItem').map(selectItem),
    from: from === undefined ? undefined : fromClause(from),
    where: where === undefined ? undefined : expression(where),
    groupBy: nodes(n, 'groupingElement').map(groupingElement),
    having: having === undefined ? undefined : expression(having),
    windows: nodes(n, 'namedWindow').map(namedWindow),
    pos: posOf(n),
  };
}

function selectItem(n: CstNode): SelectItem {
  const pos = posOf(n);
  const e = node(n, 'expression');
  if (e !== undefined) {
    const alias = node(n, 'alias');
    return {
      kind: 'SelectExpr',
      expr: expression(e),
      alias: alias === undefined ? undefined : identifier(need(alias, 'identifier')),
      pos,
    };
  }
  const qualifier = nodes(n, 'qualifier').map((q) => identifier(q).value);
  return { kind: 'Wildcard', qualifier: qualifier.length === 0 ? undefined : qualifier, pos };
}

function groupingElement(n: CstNode): GroupingElement {
  const pos = posOf(n);
  if (has(n, 'SETS')) {
    const sets = nodes(n, 'groupingSet').map((set) => {
      const single = node(set, 'single');
      return single !== undefined ? [expression(single)] : nodes(set, 'expression').map(expression);
    });
    return { kind: 'GroupingSets', sets, pos };
  }
  const rollupOrCube = token(n, 'rollupOrCube');
  if (rollupOrCube !== undefined) {
    const kind = rollupOrCube.image.toUpperCase() === 'ROLLUP' ? 'Rollup' : 'Cube';
    return { kind, exprs: nodes(n, 'expression').map(expression), pos };
  }
  if (has(n, 'empty')) return { kind: 'GroupingSets', sets: [[]], pos };
  return expression(need(n, 'expression'));
}

function namedWindow(n: CstNode): NamedWindowNode {
  return {
    kind: 'NamedWindow',
    name: identifier(need(n, 'identifier')),
    spec: windowSpec(need(n, 'windowSpec')),
    pos: posOf(n),
  };
}

/** A `fromClause` rule node: table references joined left to right. */
export function fromClause(n: CstNode): TableRef {
  let result = tableRef(need(n, 'tableRef'));
  for (const step of nodes(n, 'joinStep')) {
    const right = tableRef(need(step, 'tableRef'));
    const on = node(step, 'on');
    const using = node(step, 'using');
    result = {
      kind: 'Join',
      type: joinTypeOf(step),
      natural: has(step, 'NATURAL'),
      left: result,
      right,
      on: on === undefined ? undefined : expression(on),
      using: nameList(using),
      pos: result.pos,
    };
  }
  return result;
}

function joinTypeOf(step: CstNode): JoinType {
  if (has(step, 'Comma')) return 'COMMA';
  if (has(step, 'CROSS')) return 'CROSS';
  const type = node(step, 'joinType');
  if (type === undefined) return 'INNER';
  return needToken(type, 'type').image.toUpperCase() as JoinType;
}

function tableRef(n: CstNode): TableRef {
  const pos = posOf(n);
  const aliasNode = node(n, 'alias');
  const alias = aliasNode === undefined ? undefined : identifier(need(aliasNode, 'identifier'));
  const columnAliases = nameList(node(n, 'columnAliases'));
  const aliased = { alias, columnAliases, pos };
  const name = node(n, 'objectName');
  if (name !== undefined) {
    const systemTime = node(n, 'systemTime');
    return {
      kind: 'TableName',
      name: objectName(name),
      systemTimeAsOf: systemTime === undefined ? undefined : expression(systemTime),
      ...aliased,
    };
  }
  const sub = node(n, 'query');
  if (sub !== undefined) return { kind: 'DerivedTable', query: query(sub), lateral: has(n, 'LATERAL'), ...aliased };
  const fn = node(n, 'tableFunctionRef');
  if (fn !== undefined) {
    return {
      kind: 'TableFunction',
      name: objectName(need(fn, 'objectName')),
      args: nodes(fn, 'tableFunctionArg').map(tableFunctionArg),
      lateral: has(n, 'LATERAL'),
      ...aliased,
    };
  }
  const nested = node(n, 'fromClause');
  if (nested !== undefined) {
    if (alias !== undefined) {
      failAtPos(alias.pos, 'a parenthesized join cannot have an alias; select from it in a subquery instead', alias.value, 'JOIN, WHERE or the end of FROM');
    }
    return fromClause(nested);
  }
  return {
    kind: 'Unnest',
    exprs: nodes(n, 'unnest').map(expression),
    withOrdinality: has(n, 'ORDINALITY'),
    ...aliased,
  };
}

function tableFunctionArg(n: CstNode): TableFunctionArgNode {
  const argName = node(n, 'argName');
  const keywordName = token(n, 'argNameKeyword');
  const name =
    argName !== undefined
      ? identifier(argName)
      : keywordName !== undefined
        ? { kind: 'Identifier' as const, value: keywordName.image.toUpperCase(), pos: posOfToken(keywordName) }
        : undefined;
  const table = node(n, 'tableArg');
  const value = table !== undefined ? tableArg(table) : expression(need(n, 'expression'));
  return { kind: 'TableFunctionArg', name, value, pos: posOf(n) };
}

function tableArg(n: CstNode): TableArgNode {
  return {
    kind: 'TableArg',
    table: objectName(need(n, 'objectName')),
    partitionBy: nodes(n, 'partitionBy').map((c) => ({
      kind: 'ColumnRef' as const,
      path: nodes(need(c, 'compoundName'), 'identifier').map((i) => identifier(i).value),
      pos: posOf(c),
    })),
    pos: posOf(n),
  };
}
