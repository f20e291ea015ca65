/** CST → AST for expressions, window specifications and ORDER BY items. */
import type { CstNode, IToken } from 'chevrotain';
import type {
  BinaryOperator,
  Expression,
  FrameBound,
  FunctionCallNode,
  ObjectNameNode,
  OrderItemNode,
  Pos,
  TypedLiteralNode,
  WindowFrame,
  WindowSpecNode,
} from '../ast.ts';
import {
  failAtPos,
  has,
  identifier,
  nameParts,
  need,
  needToken,
  node,
  nodes,
  posOf,
  posOfToken,
  stringValue,
  token,
  tokens,
} from './access.ts';
import { dataType, intervalQualifier, timeUnit } from './data-types.ts';
import { query } from './queries.ts';

/** An `expression` rule node (or any rule below it in the precedence chain). */
export function expression(n: CstNode): Expression {
  return foldKeyword(n, 'OR', andExpression);
}

function andExpression(n: CstNode): Expression {
  return foldKeyword(n, 'AND', notExpression);
}

/** Left-folds `operand (KEYWORD operand)*` into Binary nodes. */
function foldKeyword(n: CstNode, op: 'OR' | 'AND', operand: (c: CstNode) => Expression): Expression {
  const [first, ...rest] = nodes(n, 'operand').map(operand);
  if (first === undefined) return failAtPos(posOf(n), 'empty expression', '', 'an expression');
  return rest.reduce<Expression>((left, right) => ({ kind: 'Binary', op, left, right, pos: left.pos }), first);
}

function notExpression(n: CstNode): Expression {
  const inner = node(n, 'notExpression');
  if (inner !== undefined) return { kind: 'Unary', op: 'NOT', operand: notExpression(inner), pos: posOf(n) };
  return isExpression(need(n, 'isExpression'));
}

function isExpression(n: CstNode): Expression {
  let result = comparison(need(n, 'comparison'));
  for (const suffix of nodes(n, 'isSuffix')) {
    const not = has(suffix, 'NOT');
    const other = node(suffix, 'comparison');
    if (other !== undefined) {
      result = { kind: 'IsDistinctFrom', left: result, right: comparison(other), not, pos: result.pos };
    } else {
      const test = needToken(suffix, 'test').image.toUpperCase() as 'NULL' | 'TRUE' | 'FALSE' | 'UNKNOWN';
      result = { kind: 'Is', operand: result, not, test, pos: result.pos };
    }
  }
  return result;
}

function operatorOf(t: IToken): BinaryOperator {
  return t.image === '!=' ? '<>' : (t.image as BinaryOperator);
}

/** Left-folds `operand (op operand)*` with the operator tokens labelled `op`. */
function foldOperators(n: CstNode, operand: (c: CstNode) => Expression): Expression {
  const operands = nodes(n, 'operand').map(operand);
  const ops = tokens(n, 'op');
  let result = operands[0] ?? failAtPos(posOf(n), 'empty expression', '', 'an expression');
  ops.forEach((op, i) => {
    const right = operands[i + 1] ?? failAtPos(posOfToken(op), 'missing operand', '', 'an expression');
    result = { kind: 'Binary', op: operatorOf(op), left: result, right, pos: result.pos };
  });
  return result;
}

function comparison(n: CstNode): Expression {
  return foldOperators(n, predicate);
}

function predicate(n: CstNode): Expression {
  const operand = additive(need(n, 'additiveExpression'));
  const suffix = node(n, 'predicateSuffix');
  if (suffix === undefined) return operand;
  const not = has(suffix, 'NOT');
  const pos = operand.pos;
  if (has(suffix, 'BETWEEN')) {
    return {
      kind: 'Between',
      operand,
      low: additive(need(suffix, 'low')),
      high: additive(need(suffix, 'high')),
      not,
      symmetric: has(suffix, 'SYMMETRIC'),
      pos,
    };
  }
  if (has(suffix, 'IN')) {
    const sub = node(suffix, 'query');
    if (sub !== undefined) return { kind: 'InSubquery', operand, query: query(sub), not, pos };
    return { kind: 'InList', operand, list: nodes(suffix, 'expression').map(expression), not, pos };
  }
  const escape = node(suffix, 'escape');
  return {
    kind: 'Like',
    operator: needToken(suffix, 'likeOp').image.toUpperCase() === 'LIKE' ? 'LIKE' : 'SIMILAR TO',
    operand,
    pattern: additive(need(suffix, 'pattern')),
    escape: escape === undefined ? undefined : additive(escape),
    not,
    pos,
  };
}

/** An `additiveExpression` rule node. */
export function additive(n: CstNode): Expression {
  return foldOperators(n, multiplicative);
}

function multiplicative(n: CstNode): Expression {
  return foldOperators(n, unary);
}

function unary(n: CstNode): Expression {
  const op = token(n, 'op');
  const inner = node(n, 'unaryExpression');
  if (op !== undefined && inner !== undefined) {
    return { kind: 'Unary', op: op.image === '-' ? '-' : '+', operand: unary(inner), pos: posOfToken(op) };
  }
  return postfix(need(n, 'postfixExpression'));
}

function postfix(n: CstNode): Expression {
  let result = primary(need(n, 'primary'));
  for (const suffix of nodes(n, 'suffix')) {
    const index = node(suffix, 'expression');
    if (index !== undefined) {
      result = { kind: 'Index', operand: result, index: expression(index), pos: result.pos };
    } else {
      result = { kind: 'FieldAccess', operand: result, field: identifier(need(suffix, 'identifier')).value, pos: result.pos };
    }
  }
  return result;
}

function primary(n: CstNode): Expression {
  const pos = posOf(n);
  const literal = literalOf(n, pos);
  if (literal !== undefined) return literal;
  const [key, child] = firstChildNode(n);
  if (key !== undefined && child !== undefined) {
    const special = SPECIAL_FORMS[key];
    if (special !== undefined) return special(child, pos);
  }
  const niladic = token(n, 'niladic');
  if (niladic !== undefined) {
    const name: ObjectNameNode = { kind: 'ObjectName', parts: [niladic.image.toUpperCase()], pos };
    return { kind: 'FunctionCall', name, args: [], distinct: false, star: false, noParens: true, pos };
  }
  const keywordFunction = token(n, 'keywordFunction');
  if (keywordFunction !== undefined) {
    const name: ObjectNameNode = { kind: 'ObjectName', parts: [keywordFunction.image.toUpperCase()], pos };
    return functionCall(name, need(n, 'functionCallTail'), pos);
  }
  const compound = need(n, 'compoundName');
  const tail = node(n, 'functionCallTail');
  if (tail !== undefined) {
    return functionCall({ kind: 'ObjectName', parts: nameParts(compound), pos }, tail, pos);
  }
  return { kind: 'ColumnRef', path: nameParts(compound), pos };
}

function literalOf(n: CstNode, pos: Pos): Expression | undefined {
  const number = token(n, 'NumberLiteral');
  if (number !== undefined) return { kind: 'NumericLiteral', text: number.image, pos };
  const string = token(n, 'StringLiteral');
  if (string !== undefined) return { kind: 'StringLiteral', value: stringValue(string), pos };
  if (has(n, 'TRUE')) return { kind: 'BooleanLiteral', value: true, pos };
  if (has(n, 'FALSE')) return { kind: 'BooleanLiteral', value: false, pos };
  if (has(n, 'NULL') || has(n, 'UNKNOWN')) return { kind: 'NullLiteral', pos };
  return undefined;
}

function firstChildNode(n: CstNode): [string | undefined, CstNode | undefined] {
  for (const key of Object.keys(n.children)) {
    const child = node(n, key);
    if (child !== undefined) return [key, child];
  }
  return [undefined, undefined];
}

type SpecialForm = (n: CstNode, pos: Pos) => Expression;

/** Primary forms with their own rule, by rule name. */
const SPECIAL_FORMS: Readonly<Record<string, SpecialForm>> = {
  typedLiteral: (n, pos) => ({
    kind: 'TypedLiteral',
    type: needToken(n, 'type').image.toUpperCase() as TypedLiteralNode['type'],
    value: stringValue(needToken(n, 'StringLiteral')),
    pos,
  }),
  intervalLiteral: (n, pos) => {
    const sign = token(n, 'sign')?.image === '-' ? '-' : '';
    const text = stringValue(needToken(n, 'StringLiteral'));
    return { kind: 'IntervalLiteral', value: sign + text, qualifier: intervalQualifier(need(n, 'intervalQualifier')), pos };
  },
  parenthesized: (n, pos) => {
    const sub = node(n, 'query');
    if (sub !== undefined) return { kind: 'ScalarSubquery', query: query(sub), pos };
    const items = nodes(n, 'expression').map(expression);
    const [single] = items;
    if (items.length === 1 && single !== undefined) return single;
    return { kind: 'RowConstructor', fields: items, explicit: false, pos };
  },
  caseExpression: (n, pos) => {
    const operand = node(n, 'operand');
    const thens = nodes(n, 'then').map(expression);
    const otherwise = node(n, 'else');
    return {
      kind: 'Case',
      operand: operand === undefined ? undefined : expression(operand),
      whens: nodes(n, 'when').map((w, i) => ({ when: expression(w), then: thens[i] ?? expression(w) })),
      else: otherwise === undefined ? undefined : expression(otherwise),
      pos,
    };
  },
  castExpression: (n, pos) => ({
    kind: 'Cast',
    operand: expression(need(n, 'expression')),
    type: dataType(need(n, 'dataType')),
    try: needToken(n, 'fn').image.toUpperCase() === 'TRY_CAST',
    pos,
  }),
  extractExpression: (n, pos) => ({
    kind: 'Extract',
    unit: timeUnit(need(n, 'timeUnit')),
    source: expression(need(n, 'expression')),
    pos,
  }),
  trimExpression: (n, pos) => {
    const first = node(n, 'first');
    const source = node(n, 'source');
    const characters = node(n, 'characters') ?? (source !== undefined ? first : undefined);
    const side = token(n, 'side')?.image.toUpperCase() ?? 'BOTH';
    return {
      kind: 'Trim',
      side: side as 'BOTH' | 'LEADING' | 'TRAILING',
      characters: characters === undefined ? undefined : expression(characters),
      source: expression(source ?? need(n, 'first')),
      pos,
    };
  },
  substringExpression: (n, pos) => {
    const length = node(n, 'length');
    return {
      kind: 'Substring',
      source: expression(need(n, 'source')),
      start: expression(need(n, 'start')),
      length: length === undefined ? undefined : expression(length),
      pos,
    };
  },
  positionExpression: (n, pos) => ({
    kind: 'Position',
    needle: additive(need(n, 'needle')),
    haystack: expression(need(n, 'haystack')),
    pos,
  }),
  overlayExpression: (n, pos) => {
    const length = node(n, 'length');
    return {
      kind: 'Overlay',
      source: expression(need(n, 'source')),
      placing: expression(need(n, 'placing')),
      start: expression(need(n, 'start')),
      length: length === undefined ? undefined : expression(length),
      pos,
    };
  },
  timestampArith: (n, pos) => ({
    kind: 'TimestampArith',
    function: needToken(n, 'fn').image.toUpperCase() === 'TIMESTAMPADD' ? 'TIMESTAMPADD' : 'TIMESTAMPDIFF',
    unit: timeUnit(need(n, 'timeUnit')),
    left: expression(need(n, 'left')),
    right: expression(need(n, 'right')),
    pos,
  }),
  existsExpression: (n, pos) => ({ kind: 'Exists', query: query(need(n, 'query')), pos }),
  arrayOrMapConstructor: (n, pos) => {
    const items = nodes(n, 'expression').map(expression);
    if (needToken(n, 'ctor').image.toUpperCase() === 'ARRAY') return { kind: 'ArrayConstructor', elements: items, pos };
    if (items.length % 2 !== 0) {
      failAtPos(pos, 'MAP[…] needs key, value pairs: MAP[k1, v1, k2, v2]', 'MAP', 'an even number of values');
    }
    const entries = [];
    for (let i = 0; i + 1 < items.length; i += 2) {
      const key = items[i];
      const value = items[i + 1];
      if (key !== undefined && value !== undefined) entries.push({ key, value });
    }
    return { kind: 'MapConstructor', entries, pos };
  },
  rowConstructor: (n, pos) => ({
    kind: 'RowConstructor',
    fields: nodes(n, 'expression').map(expression),
    explicit: true,
    pos,
  }),
  descriptor: (n, pos) => ({ kind: 'Descriptor', columns: nodes(n, 'identifier').map(identifier), pos }),
};

function functionCall(name: ObjectNameNode, tail: CstNode, pos: Pos): FunctionCallNode {
  const filter = node(tail, 'filter');
  const spec = node(tail, 'windowSpec');
  const windowName = node(tail, 'windowName');
  let over: WindowSpecNode | undefined;
  if (spec !== undefined) over = windowSpec(spec);
  else if (windowName !== undefined) {
    over = { kind: 'WindowSpec', baseWindow: identifier(windowName), reference: true, partitionBy: [], orderBy: [], pos: posOf(windowName) };
  }
  const quantifier = node(tail, 'allOrDistinct');
  return {
    kind: 'FunctionCall',
    name,
    args: nodes(tail, 'arg').map(expression),
    distinct: quantifier !== undefined && has(quantifier, 'DISTINCT'),
    star: has(tail, 'Star'),
    noParens: false,
    filter: filter === undefined ? undefined : expression(filter),
    over,
    pos,
  };
}

/** A `windowSpec` rule node: `(…)` after OVER or in a WINDOW clause. */
export function windowSpec(n: CstNode): WindowSpecNode {
  const base = node(n, 'baseWindow');
  const frame = node(n, 'windowFrame');
  return {
    kind: 'WindowSpec',
    baseWindow: base === undefined ? undefined : identifier(base),
    reference: false,
    partitionBy: nodes(n, 'partitionBy').map(expression),
    orderBy: nodes(n, 'orderItem').map(orderItem),
    frame: frame === undefined ? undefined : windowFrame(frame),
    pos: posOf(n),
  };
}

function windowFrame(n: CstNode): WindowFrame {
  const [start, end] = nodes(n, 'frameBound').map(frameBound);
  const units = needToken(n, 'units').image.toUpperCase() === 'ROWS' ? 'ROWS' : 'RANGE';
  return {
    units,
    start: start ?? { type: 'CURRENT ROW' },
    end: end ?? { type: 'CURRENT ROW' },
  };
}

function frameBound(n: CstNode): FrameBound {
  if (has(n, 'CURRENT')) return { type: 'CURRENT ROW' };
  const preceding = has(need(n, 'precedingOrFollowing'), 'PRECEDING');
  if (has(n, 'UNBOUNDED')) return { type: preceding ? 'UNBOUNDED PRECEDING' : 'UNBOUNDED FOLLOWING' };
  return { type: preceding ? 'PRECEDING' : 'FOLLOWING', offset: additive(need(n, 'additiveExpression')) };
}

/** An `orderItem` rule node. */
export function orderItem(n: CstNode): OrderItemNode {
  const direction = token(n, 'direction')?.image.toUpperCase() === 'DESC' ? 'DESC' : 'ASC';
  const nulls = token(n, 'nulls')?.image.toUpperCase();
  return {
    kind: 'OrderItem',
    expr: expression(need(n, 'expression')),
    direction,
    nulls: nulls === 'FIRST' || nulls === 'LAST' ? nulls : undefined,
    pos: posOf(n),
  };
}
