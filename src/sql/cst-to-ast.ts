/**
 * Turns chevrotain's parse tree into Runnel's AST (ast.ts). One function per
 * grammar rule, spread over cst-to-ast/ by area: expressions, data types,
 * queries, DDL; this file handles the script and the other statements.
 */
import type { CstNode } from 'chevrotain';
import type {
  ExplainDetail,
  ExplainNode,
  InsertNode,
  ShowObjects,
  Statement,
  StatementSetNode,
} from './ast.ts';
import {
  failAtPos,
  has,
  nameList,
  need,
  needToken,
  node,
  nodes,
  objectName,
  posOf,
  stringValue,
  token,
  tokens,
} from './cst-to-ast/access.ts';
import { alterTable, createStatement } from './cst-to-ast/ddl.ts';
import { query } from './cst-to-ast/queries.ts';

/** A `script` rule node: every statement in order. */
export function scriptToAst(n: CstNode): Statement[] {
  return nodes(n, 'statement').map(statement);
}

/** A `statement` rule node. */
export function statement(n: CstNode): Statement {
  const [key] = Object.keys(n.children);
  const child = key === undefined ? undefined : node(n, key);
  if (key === undefined || child === undefined) return failAtPos(posOf(n), 'empty statement', '', 'a statement');
  switch (key) {
    case 'query':
      return query(child);
    case 'insertStatement':
      return insert(child);
    case 'executeStatement':
      return execute(child);
    case 'createStatement':
      return createStatement(child);
    case 'alterTableStatement':
      return alterTable(child);
    case 'dropStatement':
      return drop(child);
    case 'showStatement':
      return show(child);
    case 'describeStatement':
      return { kind: 'Describe', extended: has(child, 'EXTENDED'), name: objectName(need(child, 'objectName')), pos: posOf(child) };
    case 'explainStatement':
      return explain(child);
    case 'setStatement': {
      const k = token(child, 'key');
      const v = token(child, 'value');
      return {
        kind: 'Set',
        key: k === undefined ? undefined : stringValue(k),
        value: v === undefined ? undefined : stringValue(v),
        pos: posOf(child),
      };
    }
    case 'resetStatement': {
      const k = token(child, 'key');
      return { kind: 'Reset', key: k === undefined ? undefined : stringValue(k), pos: posOf(child) };
    }
    case 'useStatement':
      return { kind: 'Use', catalog: has(child, 'CATALOG'), name: objectName(need(child, 'objectName')), pos: posOf(child) };
    case 'stopStatement':
      return {
        kind: 'StopStatement',
        name: stringValue(needToken(child, 'name')),
        withSavepoint: has(child, 'SAVEPOINT'),
        pos: posOf(child),
      };
    case 'resumeStatement':
      return { kind: 'ResumeStatement', name: stringValue(needToken(child, 'name')), pos: posOf(child) };
    default:
      return failAtPos(posOf(child), `unsupported statement ${key}`, key, 'a statement');
  }
}

function insert(n: CstNode): InsertNode {
  return {
    kind: 'Insert',
    table: objectName(need(n, 'objectName')),
    overwrite: has(n, 'OVERWRITE'),
    columns: nameList(node(n, 'nameList')),
    query: query(need(n, 'query')),
    pos: posOf(n),
  };
}

function execute(n: CstNode): InsertNode | StatementSetNode {
  const inserts = nodes(n, 'insertStatement').map(insert);
  if (!has(n, 'STATEMENT')) {
    const [single] = inserts;
    if (single !== undefined) return single;
  }
  return { kind: 'StatementSet', inserts, pos: posOf(n) };
}

function drop(n: CstNode): Statement {
  const objectType = needToken(n, 'objectType').image.toUpperCase() as 'TABLE' | 'VIEW' | 'FUNCTION';
  return {
    kind: 'Drop',
    objectType,
    temporary: has(n, 'TEMPORARY'),
    ifExists: has(n, 'ifExists'),
    name: objectName(need(n, 'objectName')),
    pos: posOf(n),
  };
}

function show(n: CstNode): Statement {
  const pos = posOf(n);
  if (has(n, 'CREATE')) {
    const objectType = needToken(n, 'objectType').image.toUpperCase() === 'VIEW' ? 'VIEW' : 'TABLE';
    return { kind: 'ShowCreate', objectType, name: objectName(need(n, 'objectName')), pos };
  }
  const from = node(n, 'from');
  const pattern = token(n, 'pattern');
  return {
    kind: 'Show',
    objects: needToken(n, 'objects').image.toUpperCase() as ShowObjects,
    from: from === undefined ? undefined : objectName(from),
    like: pattern === undefined ? undefined : { not: has(n, 'NOT'), pattern: stringValue(pattern) },
    pos,
  };
}

function explain(n: CstNode): ExplainNode {
  const inner = statement(need(n, 'statement'));
  const pos = posOf(n);
  if (
    inner.kind !== 'Query' &&
    inner.kind !== 'Insert' &&
    inner.kind !== 'StatementSet' &&
    inner.kind !== 'CreateTable'
  ) {
    return failAtPos(
      inner.pos,
      'EXPLAIN works on a query, an INSERT, a statement set or CREATE TABLE … AS SELECT',
      inner.kind,
      'a query or INSERT',
    );
  }
  const details = tokens(n, 'detail').map((t) => t.image.toUpperCase() as ExplainDetail);
  return { kind: 'Explain', details, statement: inner, pos };
}

