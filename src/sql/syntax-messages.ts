/**
 * Turns chevrotain's parse errors into SqlSyntaxError messages a user can act
 * on: where, what was expected (in words, not token names), what was found,
 * and for common mistakes what to change (a missing comma, a misspelled
 * keyword, a reserved word used as a name, an unclosed parenthesis, two
 * statements without `;`).
 */
import { EOF, tokenMatcher } from 'chevrotain';
import type { IParserErrorMessageProvider, IRecognitionException, IToken, TokenType } from 'chevrotain';
import { SqlSyntaxError } from './errors.ts';
import {
  Comma,
  Identifier,
  Keyword,
  KW,
  LParen,
  Name,
  NumberLiteral,
  QuotedIdentifier,
  RESERVED_WORDS,
  RParen,
  Semicolon,
  StringLiteral,
} from './tokens.ts';

/** The first tokens the parser would have accepted at the last error; set by the provider below. */
let lastExpectedTokens: readonly TokenType[] = [];
/** The grammar rule the last error happened in. */
let lastRuleName = '';

function firstTokens(paths: TokenType[][][] | TokenType[][]): TokenType[] {
  const out: TokenType[] = [];
  for (const p of paths.flat(1)) {
    const first = Array.isArray(p) ? p[0] : p;
    if (first !== undefined && !out.includes(first)) out.push(first);
  }
  return out;
}

/** Words for what a set of acceptable first tokens stands for. */
function describeExpected(tokens: readonly TokenType[]): string {
  const has = (t: TokenType): boolean => tokens.includes(t);
  if (has(KW.SELECT) && has(KW.INSERT)) return 'a statement such as SELECT, INSERT, CREATE TABLE, SHOW or SET';
  if (has(KW.SELECT) && has(KW.VALUES)) return 'a query (SELECT, VALUES or WITH)';
  if (has(NumberLiteral)) return 'an expression';
  if (has(KW.INT) && has(KW.STRING)) return 'a data type such as INT, STRING or TIMESTAMP(3)';
  if (has(KW.SECOND) && has(KW.DAY)) return 'a time unit such as SECOND, MINUTE, HOUR or DAY';
  if (has(KW.WATERMARK) && has(KW.PRIMARY)) return 'a column definition, WATERMARK FOR … or PRIMARY KEY (…)';
  if (has(KW.TABLE) && has(KW.LATERAL)) return 'a table name, a subquery or TABLE(…)';
  if (has(KW.UNBOUNDED)) return 'UNBOUNDED PRECEDING, CURRENT ROW or an offset followed by PRECEDING or FOLLOWING';
  if (tokens.length === 1 && tokens[0] === Name) return 'a name';
  const words = tokens.map(describeTokenType);
  if (words.length === 0) return 'the end of the statement';
  if (words.length === 1) return words[0] ?? '';
  const shown = words.slice(0, 8);
  const last = shown.pop();
  return `${shown.join(', ')}${words.length > 8 ? ', …' : ''} or ${last}`;
}

export function describeTokenType(type: TokenType): string {
  if (type === EOF) return 'end of input';
  return type.LABEL ?? type.name;
}

function isKeywordToken(token: IToken): boolean {
  return tokenMatcher(token, Keyword);
}

/** How a token is named in a message: FROM, ',', 'price', 'abc', 42, end of input. */
export function describeToken(token: IToken): string {
  if (token.tokenType === EOF) return 'end of input';
  if (isKeywordToken(token)) return token.image.toUpperCase();
  if (token.tokenType === StringLiteral || token.tokenType === NumberLiteral) return token.image;
  if (token.tokenType === QuotedIdentifier) return token.image;
  return `'${token.image}'`;
}

/** Records what was expected and returns it in words; chevrotain stores it as the exception's message. */
export const errorMessageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, ruleName }) {
    lastRuleName = ruleName;
    lastExpectedTokens = [expected];
    return describeExpected(lastExpectedTokens);
  },
  buildNotAllInputParsedMessage({ ruleName }) {
    lastRuleName = ruleName;
    lastExpectedTokens = [Semicolon, EOF];
    return "';' or end of input";
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, ruleName }) {
    lastRuleName = ruleName;
    lastExpectedTokens = firstTokens(expectedPathsPerAlt);
    return describeExpected(lastExpectedTokens);
  },
  buildEarlyExitMessage({ expectedIterationPaths, ruleName }) {
    lastRuleName = ruleName;
    lastExpectedTokens = firstTokens(expectedIterationPaths);
    return describeExpected(lastExpectedTokens);
  },
};

/** Keywords that start a clause; used to spot misspellings like FORM or WHRE. */
const CLAUSE_KEYWORDS = [
  'SELECT', 'FROM', 'WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'UNION', 'JOIN', 'INNER', 'LEFT', 'RIGHT',
  'FULL', 'CROSS', 'ON', 'AS', 'BY', 'WINDOW', 'INSERT', 'INTO', 'CREATE', 'TABLE', 'VIEW', 'WITH', 'VALUES',
  'DISTINCT', 'BETWEEN', 'AND', 'LIKE', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'OVER', 'PARTITION',
  'WATERMARK', 'PRIMARY', 'EXPLAIN', 'DESCRIBE', 'SHOW', 'TABLES',
];

const STATEMENT_STARTS: readonly TokenType[] = [
  KW.SELECT, KW.INSERT, KW.CREATE, KW.ALTER, KW.DROP, KW.SHOW, KW.DESCRIBE, KW.EXPLAIN, KW.SET, KW.RESET,
  KW.USE, KW.WITH, KW.VALUES, KW.EXECUTE, KW.STOP, KW.RESUME,
];

/** Edit distance counting a swap of neighbours as one edit (FORM → FROM is 1). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => d[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      const row = d[i];
      if (row !== undefined) row[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** The keyword `word` is probably a misspelling of, if any. */
function closeKeyword(word: string, candidates: readonly string[]): string | undefined {
  const upper = word.toUpperCase();
  if (upper.length < 3) return undefined;
  let best: string | undefined;
  let bestDistance = upper.length >= 6 ? 3 : 2;
  for (const c of candidates) {
    const d = editDistance(upper, c);
    if (d > 0 && d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function isPlainName(token: IToken | undefined): boolean {
  return token !== undefined && (token.tokenType === Identifier || token.tokenType === QuotedIdentifier);
}

function isValueEnd(token: IToken | undefined): boolean {
  if (token === undefined) return false;
  return (
    tokenMatcher(token, Name) ||
    tokenMatcher(token, Keyword) ||
    token.tokenType === NumberLiteral ||
    token.tokenType === StringLiteral ||
    token.tokenType === RParen
  );
}

function isValueStart(token: IToken | undefined): boolean {
  if (token === undefined) return false;
  return (
    token.tokenType === Identifier ||
    token.tokenType === QuotedIdentifier ||
    token.tokenType === NumberLiteral ||
    token.tokenType === StringLiteral
  );
}

/** The last `(` before `offset` that is not closed before it. */
function unclosedParen(tokens: readonly IToken[], offset: number): IToken | undefined {
  const open: IToken[] = [];
  for (const t of tokens) {
    if (t.startOffset >= offset) break;
    if (t.tokenType === LParen) open.push(t);
    else if (t.tokenType === RParen) open.pop();
  }
  return open[open.length - 1];
}

interface ErrorContext {
  readonly found: IToken;
  readonly previous: IToken | undefined;
  readonly expectedTokens: readonly TokenType[];
  readonly trailing: boolean;
  readonly ruleName: string;
  readonly tokens: readonly IToken[];
  /** The token after the one found, to tell a keyword used as a name (`SELECT order FROM`) from a clause. */
  readonly next: IToken | undefined;
}

/** Hints for mistakes specific to one construct, found by the rule the parser was in. */
function constructHint(ctx: ErrorContext): string | undefined {
  const { found, previous, expectedTokens, ruleName } = ctx;
  const expects = (t: TokenType): boolean => expectedTokens.includes(t);
  if ((ruleName === 'primaryKeyConstraint' || ruleName === 'columnPrimaryKey') && (expects(KW.NOT) || expects(KW.ENFORCED))) {
    return 'primary keys are not checked by Flink SQL, so write PRIMARY KEY (…) NOT ENFORCED';
  }
  if (ruleName === 'timestampType' && expects(KW.LOCAL)) {
    return 'TIMESTAMP WITH TIME ZONE is not supported; use TIMESTAMP_LTZ(p), which is TIMESTAMP(p) WITH LOCAL TIME ZONE';
  }
  if (found.tokenType === KW.WATERMARK && expectedTokens.includes(KW.WATERMARK)) {
    return 'write WATERMARK FOR column AS expression';
  }
  if ((ruleName === 'optionList' || ruleName === 'tableOption') && isPlainName(found)) {
    return `option keys and values are strings: write '${found.image}'`;
  }
  if (ctx.trailing && previous !== undefined && (previous.tokenType === KW.SET || previous.tokenType === KW.RESET) && !isKeywordToken(found)) {
    return `quote the key and the value: ${previous.image.toUpperCase()} 'key' = 'value'`;
  }
  if (ctx.trailing && found.tokenType === RParen) return "there is no '(' for this ')' to close; remove it";
  if (expectedTokens.length === 1 && expectedTokens[0] === StringLiteral && (isPlainName(found) || found.tokenType === NumberLiteral)) {
    return `write it as a string: '${found.image.replaceAll("'", "''")}'`;
  }
  return undefined;
}

/** A sentence telling the user what to change, when the mistake is a common one. */
function hintFor(ctx: ErrorContext): string | undefined {
  const specific = constructHint(ctx);
  if (specific !== undefined) return specific;
  const { found, previous, expectedTokens } = ctx;
  const expectsName = expectedTokens.includes(Name) || expectedTokens.includes(NumberLiteral);
  if (
    isValueStart(found) &&
    isValueEnd(previous) &&
    (expectedTokens.includes(Comma) || expectedTokens.includes(RParen)) &&
    !ctx.trailing
  ) {
    return `is a comma missing before ${describeToken(found)}?`;
  }
  if (expectedTokens.includes(RParen) && (found.tokenType === EOF || found.tokenType === Semicolon || isKeywordToken(found))) {
    const paren = unclosedParen(ctx.tokens, found.tokenType === EOF ? Infinity : found.startOffset);
    if (paren !== undefined) {
      return `the '(' at line ${paren.startLine}, column ${paren.startColumn} is never closed; add ')'`;
    }
  }
  if (found.tokenType === EOF || found.tokenType === Semicolon) return undefined;
  if (isKeywordToken(found) && RESERVED_WORDS.has(found.image.toUpperCase()) && expectsName && !ctx.trailing && !isValueStart(ctx.next)) {
    const word = found.image;
    return `${word.toUpperCase()} is a reserved keyword; write \`${word}\` to use it as a name`;
  }
  if (isPlainName(found)) {
    const expectedWords = expectedTokens.filter((t) => t.CATEGORIES?.includes(Keyword) === true).map((t) => t.name);
    const guess = closeKeyword(found.image, ctx.trailing || expectedWords.length === 0 ? CLAUSE_KEYWORDS : expectedWords);
    if (guess !== undefined) return `did you mean ${guess}?`;
  }
  if (isPlainName(previous) && previous !== undefined) {
    const guess = closeKeyword(previous.image, CLAUSE_KEYWORDS);
    if (guess !== undefined) return `did you mean ${guess} instead of '${previous.image}'?`;
  }
  if (ctx.trailing && STATEMENT_STARTS.includes(found.tokenType)) {
    return "end the previous statement with ';'";
  }
  if (isValueStart(found) && isValueEnd(previous) && (ctx.trailing || expectedTokens.includes(Comma))) {
    return `is a comma missing before ${describeToken(found)}?`;
  }
  if (ctx.trailing) return "remove it, or separate statements with ';'";
  return undefined;
}

/** Converts the parser's first error into a SqlSyntaxError. */
export function toSyntaxError(error: IRecognitionException, tokens: readonly IToken[]): SqlSyntaxError {
  const found = error.token;
  const atEnd = found.tokenType === EOF;
  const index = atEnd ? tokens.length : tokens.findIndex((t) => t.startOffset === found.startOffset);
  const previous = index > 0 ? tokens[index - 1] : undefined;
  const next = atEnd ? undefined : tokens[index + 1];
  // Input left over where a statement should start is a statement that did not parse.
  const atStatementStart = previous === undefined || previous.tokenType === Semicolon;
  const notAllParsed = error.name === 'NotAllInputParsedException';
  const trailing = notAllParsed && !atStatementStart;
  const expectedTokens = notAllParsed && atStatementStart ? STATEMENT_STARTS : lastExpectedTokens;
  const expected = notAllParsed && atStatementStart ? describeExpected(STATEMENT_STARTS) : error.message;
  const ctx: ErrorContext = { found, previous, expectedTokens, trailing, ruleName: lastRuleName, tokens, next };
  const after = previous === undefined ? '' : ` after ${describeToken(previous)}`;
  const head = trailing
    ? `unexpected ${describeToken(found)}${after}`
    : `expected ${expected}${after} but found ${describeToken(found)}`;
  const hint = hintFor(ctx);
  const location = atEnd ? endLocation(tokens) : locationOf(found);
  return new SqlSyntaxError(location, {
    message: hint === undefined ? head : `${head}; ${hint}`,
    found: atEnd ? 'end of input' : found.image,
    expected,
  });
}

function locationOf(token: IToken): { line: number; column: number; offset: number } {
  return { line: token.startLine ?? 1, column: token.startColumn ?? 1, offset: token.startOffset };
}

/** The position just after the last token, where "end of input" was found. */
function endLocation(tokens: readonly IToken[]): { line: number; column: number; offset: number } {
  const last = tokens[tokens.length - 1];
  if (last === undefined) return { line: 1, column: 1, offset: 0 };
  return {
    line: last.endLine ?? 1,
    column: (last.endColumn ?? 0) + 1,
    offset: (last.endOffset ?? last.startOffset) + 1,
  };
}
