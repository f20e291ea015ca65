/** Quoting of names and strings for canonical SQL output. */
import type { ObjectNameNode } from '../ast.ts';
import { KEYWORD_WORDS } from '../tokens.ts';

const PLAIN_NAME = /^[A-Za-z_$\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*$/;

/** A name as SQL: bare when it lexes back as the same name, else backquoted (`` `order` ``, `` `my col` ``). */
export function quoteName(name: string): string {
  if (PLAIN_NAME.test(name) && !KEYWORD_WORDS.has(name.toUpperCase())) return name;
  return '`' + name.replaceAll('`', '``') + '`';
}

export function formatPath(parts: readonly string[]): string {
  return parts.map(quoteName).join('.');
}

export function formatObjectName(name: ObjectNameNode): string {
  return formatPath(name.parts);
}

/** A string literal: `'it''s'`. */
export function quoteString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
