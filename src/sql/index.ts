/**
 * Runnel's SQL front end: text → AST, and AST → canonical SQL text.
 *
 * @example
 * const [stmt] = parseSql(`SELECT auction, price FROM bid WHERE MOD(auction, 123) = 0`);
 * formatSql(stmt); // "SELECT auction, price FROM bid WHERE MOD(auction, 123) = 0"
 *
 * Errors are SqlSyntaxError with line, column, the token found and what was
 * expected.
 */
import { SqlSyntaxError } from './errors.ts';
import { tokenize } from './lexer.ts';
import { sqlParser } from './parser.ts';
import { scriptToAst } from './cst-to-ast.ts';
import { toSyntaxError } from './syntax-messages.ts';
import type { Statement } from './ast.ts';

export type * from './ast.ts';
export { RunnelError, SqlSyntaxError, ERROR_CODES } from './errors.ts';
export type { ErrorCode, SqlErrorLocation } from './errors.ts';
export { formatSql } from './display/format.ts';
export type { Formattable } from './display/format.ts';

/**
 * Parses one or more statements separated by `;` (a trailing `;` is fine).
 * Throws SqlSyntaxError at the first mistake.
 */
export function parseSql(text: string): Statement[] {
  const cached = parsed.get(text);
  if (cached !== undefined) return [...cached];
  const statements = parseUncached(text);
  if (text.length <= PARSE_CACHE_TEXT_CHARS_MAX) {
    if (parsed.size >= PARSE_CACHE_ENTRIES_MAX) parsed.clear();
    parsed.set(text, statements);
  }
  return [...statements];
}

/**
 * Statements parsed recently, by their text. A statement's text is parsed several times on its
 * way (the runtime's dispatch, validation, the statement's start; ~1.5 ms each for a Nexmark
 * join); trees are frozen, so one parse serves them all. Full, the cache starts over.
 */
const PARSE_CACHE_ENTRIES_MAX = 256;
const PARSE_CACHE_TEXT_CHARS_MAX = 64 * 1024;
const parsed = new Map<string, readonly Statement[]>();

function parseUncached(text: string): Statement[] {
  const tokens = tokenize(text);
  try {
    sqlParser.input = tokens;
    const cst = sqlParser.script();
    const [error] = sqlParser.errors;
    if (error !== undefined) throw toSyntaxError(error, tokens);
    return scriptToAst(cst).map((s) => finalize(s));
  } catch (e) {
    // Nesting without parentheses (thousands of NOTs, very long operator chains) can still exhaust the stack.
    if (e instanceof RangeError) {
      throw new SqlSyntaxError(
        { line: 1, column: 1, offset: 0 },
        { message: 'the statement is nested too deeply to parse; simplify it', found: 'deep nesting', expected: 'less nesting' },
      );
    }
    throw e;
  }
}

/** Parses exactly one statement (an optional trailing `;` is allowed). */
export function parseStatement(text: string): Statement {
  const statements = parseSql(text);
  const [first, second] = statements;
  if (first === undefined) {
    throw new SqlSyntaxError(
      { line: 1, column: 1, offset: 0 },
      { message: 'expected a statement but found end of input', found: 'end of input', expected: 'a statement' },
    );
  }
  if (second !== undefined) {
    const { line, column, offset } = second.pos;
    throw new SqlSyntaxError(
      { line, column, offset },
      {
        message: `expected one statement but found ${statements.length}; send them one at a time`,
        found: 'another statement',
        expected: 'end of input',
      },
    );
  }
  return first;
}

/** Drops properties set to undefined and freezes the tree, so nodes are plain, comparable and read-only. */
function finalize<T>(value: T): T {
  if (Array.isArray(value)) {
    for (const item of value) finalize(item);
    return Object.freeze(value);
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (record[key] === undefined) delete record[key];
      else finalize(record[key]);
    }
    return Object.freeze(value);
  }
  return value;
}
