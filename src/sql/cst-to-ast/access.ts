/**
 * Typed access to chevrotain's parse tree (CST): children by rule or label
 * name, token text, positions. The CST groups children by name, so rules
 * that need order keep it with labels or one sub-rule per repeated step.
 */
import assert from 'node:assert/strict';
import type { CstElement, CstNode, IToken } from 'chevrotain';
import type { IdentifierNode, ObjectNameNode, Pos } from '../ast.ts';
import { SqlSyntaxError } from '../errors.ts';
import { QuotedIdentifier } from '../tokens.ts';

function isNode(e: CstElement): e is CstNode {
  return 'children' in e;
}

function isToken(e: CstElement): e is IToken {
  return !('children' in e);
}

/** All child nodes under `key`, in source order. */
export function nodes(n: CstNode, key: string): CstNode[] {
  return (n.children[key] ?? []).filter(isNode);
}

export function node(n: CstNode, key: string): CstNode | undefined {
  return nodes(n, key)[0];
}

/** A child node the grammar guarantees is there. */
export function need(n: CstNode, key: string): CstNode {
  const child = node(n, key);
  assert(child !== undefined, `CST node ${n.name} has no ${key}`);
  return child;
}

export function tokens(n: CstNode, key: string): IToken[] {
  return (n.children[key] ?? []).filter(isToken);
}

export function token(n: CstNode, key: string): IToken | undefined {
  return tokens(n, key)[0];
}

export function needToken(n: CstNode, key: string): IToken {
  const t = token(n, key);
  assert(t !== undefined, `CST node ${n.name} has no token ${key}`);
  return t;
}

export function has(n: CstNode, key: string): boolean {
  return (n.children[key]?.length ?? 0) > 0;
}

export function posOf(n: CstNode): Pos {
  const loc = n.location;
  assert(loc !== undefined, `CST node ${n.name} has no location`);
  return { line: loc.startLine ?? 1, column: loc.startColumn ?? 1, offset: loc.startOffset };
}

export function posOfToken(t: IToken): Pos {
  return { line: t.startLine ?? 1, column: t.startColumn ?? 1, offset: t.startOffset };
}

/** The text of a string literal token, quotes removed and `''` undoubled. */
export function stringValue(t: IToken): string {
  return t.image.slice(1, -1).replaceAll("''", "'");
}

/** The name a `Name` token stands for: backquotes removed, or the identifier/keyword as typed. */
export function nameValue(t: IToken): string {
  if (t.tokenType === QuotedIdentifier) return t.image.slice(1, -1).replaceAll('``', '`');
  return t.image;
}

/** An `identifier` rule node as an IdentifierNode. */
export function identifier(n: CstNode): IdentifierNode {
  const t = needToken(n, 'Name');
  return { kind: 'Identifier', value: nameValue(t), pos: posOfToken(t) };
}

/** An `objectName` or `compoundName` rule node's parts. */
export function nameParts(n: CstNode): string[] {
  return nodes(n, 'identifier').map((i) => identifier(i).value);
}

export function objectName(n: CstNode): ObjectNameNode {
  return { kind: 'ObjectName', parts: nameParts(n), pos: posOf(n) };
}

/** A `nameList` rule node: `(a, b, c)`. */
export function nameList(n: CstNode | undefined): IdentifierNode[] {
  return n === undefined ? [] : nodes(n, 'identifier').map(identifier);
}

/** Fails with a SqlSyntaxError at a token: for mistakes the grammar alone lets through. */
export function failAt(t: IToken, message: string, expected: string): never {
  throw new SqlSyntaxError(posOfToken(t), { message, found: t.image, expected });
}

export function failAtPos(pos: Pos, message: string, found: string, expected: string): never {
  throw new SqlSyntaxError(pos, { message, found, expected });
}

/** A whole non-negative number from a NumberLiteral token (a precision, a bucket count). */
export function integerValue(t: IToken, what: string): number {
  if (!/^\d+$/.test(t.image)) {
    failAt(t, `${what} must be a whole number, found ${t.image}`, 'a whole number');
  }
  const value = Number(t.image);
  if (!Number.isSafeInteger(value)) failAt(t, `${what} ${t.image} is too large`, 'a smaller number');
  return value;
}
