/**
 * Turns SQL text into tokens, reporting lexical mistakes (unclosed strings,
 * names or comments, double quotes, stray characters) as SqlSyntaxError.
 */
import { Lexer } from 'chevrotain';
import type { IToken } from 'chevrotain';
import { SqlSyntaxError } from './errors.ts';
import {
  allTokens,
  DoubleQuoted,
  LParen,
  RParen,
  UnclosedBlockComment,
  UnclosedQuotedIdentifier,
  UnclosedString,
} from './tokens.ts';

/** Longest SQL text we accept in one call, in characters. */
export const sqlTextCharsMax = 1_000_000;
/**
 * Deepest nesting of parentheses we accept. Each level costs a dozen grammar
 * rules of stack, and real queries stay far below this.
 */
export const parenDepthMax = 64;

const sqlLexer = new Lexer([...allTokens], { positionTracking: 'full', ensureOptimizations: false });

/** Tokenizes `text`, throwing SqlSyntaxError on the first lexical mistake. */
export function tokenize(text: string): IToken[] {
  if (text.length > sqlTextCharsMax) {
    throw new SqlSyntaxError(
      { line: 1, column: 1, offset: 0 },
      {
        message: `the SQL text is ${text.length} characters long; the limit is ${sqlTextCharsMax}`,
        found: 'SQL text',
        expected: `at most ${sqlTextCharsMax} characters`,
      },
    );
  }
  const result = sqlLexer.tokenize(text);
  const lexError = result.errors[0];
  if (lexError !== undefined) {
    const ch = text.slice(lexError.offset, lexError.offset + 1);
    throw new SqlSyntaxError(
      { line: lexError.line ?? 1, column: lexError.column ?? 1, offset: lexError.offset },
      {
        message: `unexpected character '${ch}'; remove it or put it inside a string ('…') or a backquoted name (\`…\`)`,
        found: ch,
        expected: 'a token',
      },
    );
  }
  checkTokens(result.tokens);
  return result.tokens;
}

function locationOf(token: IToken): { line: number; column: number; offset: number } {
  return { line: token.startLine ?? 1, column: token.startColumn ?? 1, offset: token.startOffset };
}

function checkTokens(tokens: readonly IToken[]): void {
  let depth = 0;
  for (const token of tokens) {
    const type = token.tokenType;
    if (type === UnclosedString) {
      fail(token, 'the string starting here is never closed; add a closing quote (\')', "'");
    } else if (type === UnclosedQuotedIdentifier) {
      fail(token, 'the backquoted name starting here is never closed; add a closing backquote (`)', '`');
    } else if (type === UnclosedBlockComment) {
      fail(token, 'the comment starting here is never closed; add */', '*/');
    } else if (type === DoubleQuoted) {
      fail(
        token,
        `double quotes are not used in this SQL dialect: write strings in single quotes ('…') and quote names with backquotes (\`…\`), found ${token.image}`,
        "a string in single quotes or a name in backquotes",
      );
    } else if (type === LParen) {
      depth += 1;
      if (depth > parenDepthMax) {
        fail(token, `parentheses are nested more than ${parenDepthMax} deep; simplify the expression`, 'less nesting');
      }
    } else if (type === RParen) {
      depth -= 1;
    }
  }
}

function fail(token: IToken, message: string, expected: string): never {
  throw new SqlSyntaxError(locationOf(token), { message, found: token.image.slice(0, 20), expected });
}
