/**
 * Tokens of Runnel's SQL dialect (Flink SQL as Confluent Cloud users write it).
 *
 * Keywords are case-insensitive and listed before `Identifier`, longest first,
 * each with `longer_alt: Identifier` so `selection` stays a name. Reserved
 * keywords can be used as names only when backquoted; non-reserved ("soft")
 * keywords also belong to the `Name` category, so the parser accepts them
 * wherever a name is expected (`key`, `comment`, `tables`, …), as Flink does.
 */
import { createToken, Lexer } from 'chevrotain';
import type { TokenType } from 'chevrotain';

/** Category of everything that can be a name: identifiers and soft keywords. */
export const Name = createToken({ name: 'Name', pattern: Lexer.NA, label: 'a name' });
/** Category of all keywords, reserved or not. */
export const Keyword = createToken({ name: 'Keyword', pattern: Lexer.NA });

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /\s+/, group: Lexer.SKIPPED });
export const LineComment = createToken({ name: 'LineComment', pattern: /--[^\n\r]*/, group: Lexer.SKIPPED });
export const BlockComment = createToken({ name: 'BlockComment', pattern: /\/\*[\s\S]*?\*\//, group: Lexer.SKIPPED });
/** A block comment that never ends; the lexer reports it as an error. */
export const UnclosedBlockComment = createToken({ name: 'UnclosedBlockComment', pattern: /\/\*[\s\S]*/ });

/** `'it''s'`: a doubled quote stands for one quote. */
export const StringLiteral = createToken({ name: 'StringLiteral', pattern: /'(?:[^']|'')*'/, label: 'a string' });
export const UnclosedString = createToken({ name: 'UnclosedString', pattern: /'(?:[^']|'')*/ });
/** `` `my col` ``: a doubled backquote stands for one backquote. */
export const QuotedIdentifier = createToken({
  name: 'QuotedIdentifier',
  pattern: /`(?:[^`]|``)*`/,
  categories: [Name],
  label: 'a name',
});
export const UnclosedQuotedIdentifier = createToken({ name: 'UnclosedQuotedIdentifier', pattern: /`(?:[^`]|``)*/ });
/** Flink reads double quotes as neither strings nor names; we say so. */
export const DoubleQuoted = createToken({ name: 'DoubleQuoted', pattern: /"(?:[^"]|"")*"?/ });

export const NumberLiteral = createToken({
  name: 'NumberLiteral',
  pattern: /(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?/,
  label: 'a number',
});

/** Plain names, including `$rowtime`-style system columns. */
export const Identifier = createToken({
  name: 'Identifier',
  pattern: /[A-Za-z_$\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/,
  categories: [Name],
  label: 'a name',
});

/** Keywords that can only be names when backquoted. */
const RESERVED = [
  'ADD', 'ALL', 'ALTER', 'AND', 'ARRAY', 'AS', 'ASC', 'ASYMMETRIC', 'BEGIN', 'BETWEEN', 'BIGINT', 'BINARY',
  'BOOLEAN', 'BOTH', 'BY', 'CASE', 'CAST', 'CHAR', 'CHARACTER', 'CONSTRAINT', 'CREATE', 'CROSS', 'CUBE',
  'CURRENT', 'CURRENT_DATE', 'CURRENT_TIME', 'CURRENT_TIMESTAMP', 'DATE', 'DAY', 'DEC', 'DECIMAL', 'DESC',
  'DESCRIBE', 'DESCRIPTOR', 'DISTINCT', 'DOUBLE', 'DROP', 'ELSE', 'END', 'ESCAPE', 'EXCEPT', 'EXECUTE',
  'EXISTS', 'EXPLAIN', 'EXTRACT', 'FALSE', 'FETCH', 'FILTER', 'FLOAT', 'FOLLOWING', 'FOR', 'FROM', 'FULL',
  'FUNCTION', 'GROUP', 'GROUPING', 'HAVING', 'HOUR', 'IN', 'INNER', 'INSERT', 'INT', 'INTEGER', 'INTERSECT',
  'INTERVAL', 'INTO', 'IS', 'JOIN', 'LATERAL', 'LEADING', 'LEFT', 'LIKE', 'LIMIT', 'LOCAL', 'LOCALTIME',
  'LOCALTIMESTAMP', 'MAP', 'MINUTE', 'MODIFY', 'MONTH', 'MULTISET', 'NATURAL', 'NOT', 'NULL', 'NUMERIC', 'OF',
  'OFFSET', 'ON', 'OR', 'ORDER', 'OUTER', 'OVER', 'OVERLAY', 'OVERWRITE', 'PARTITION', 'PLACING', 'POSITION',
  'PRECEDING', 'PRIMARY', 'RANGE', 'REAL', 'RESET', 'RIGHT', 'ROLLUP', 'ROW', 'ROWS', 'SECOND', 'SELECT', 'SET',
  'SETS', 'SHOW', 'SIMILAR', 'SMALLINT', 'SUBSTRING', 'SYMMETRIC', 'SYSTEM_TIME', 'TABLE', 'THEN', 'TIME',
  'TIMESTAMP', 'TIMESTAMPADD', 'TIMESTAMPDIFF', 'TIMESTAMP_LTZ', 'TINYINT', 'TO', 'TRAILING', 'TRIM', 'TRUE',
  'TRY_CAST', 'UNBOUNDED', 'UNION', 'UNKNOWN', 'UNNEST', 'USE', 'USING', 'VALUES', 'VARBINARY', 'VARCHAR',
  'WHEN', 'WHERE', 'WINDOW', 'WITH', 'WITHOUT', 'YEAR',
] as const;

/** Keywords that are also valid unquoted names. */
const SOFT = [
  'BUCKETS', 'BYTES', 'CATALOG', 'CATALOGS', 'CENTURY', 'CHANGELOG_MODE', 'COMMENT', 'CONSTRAINTS',
  'DATABASE', 'DATABASES', 'DAYS', 'DECADE', 'DISTRIBUTED', 'DOW', 'DOY', 'ENFORCED', 'EPOCH',
  'ESTIMATED_COST', 'EXCLUDING', 'EXTENDED', 'FIRST', 'FUNCTIONS', 'GENERATED', 'HOURS', 'IF', 'INCLUDING',
  'ISODOW', 'ISOYEAR', 'JAR', 'JOBS', 'JSON_EXECUTION_PLAN', 'KEY', 'LANGUAGE', 'LAST', 'METADATA',
  'MICROSECOND', 'MILLENNIUM', 'MILLISECOND', 'MINUTES', 'MONTHS', 'NANOSECOND', 'NEXT', 'NULLS', 'ONLY',
  'OPTIONS', 'ORDINALITY', 'OVERWRITING', 'PARTITIONED', 'PARTITIONS', 'PLAN', 'PLAN_ADVICE', 'PRECISION',
  'QUARTER', 'RENAME', 'RESUME', 'SAVEPOINT', 'SECONDS', 'STATEMENT', 'STATEMENTS', 'STOP', 'STRING', 'SYSTEM',
  'TABLES', 'TEMPORARY', 'VARYING', 'VIEW', 'VIEWS', 'VIRTUAL', 'WATERMARK', 'WATERMARKS', 'WEEK', 'WEEKS',
  'YEARS', 'ZONE',
] as const;

export type ReservedWord = (typeof RESERVED)[number];
export type SoftWord = (typeof SOFT)[number];
export type KeywordWord = ReservedWord | SoftWord;

function keyword(word: string, soft: boolean): TokenType {
  return createToken({
    name: word,
    pattern: new RegExp(word, 'i'),
    longer_alt: Identifier,
    categories: soft ? [Keyword, Name] : [Keyword],
    label: word,
  });
}

/** Every keyword token by its upper-case word. */
export const KW = Object.fromEntries([
  ...RESERVED.map((w) => [w, keyword(w, false)] as const),
  ...SOFT.map((w) => [w, keyword(w, true)] as const),
]) as Readonly<Record<KeywordWord, TokenType>>;

/** Upper-case words that must be backquoted to be used as names. */
export const RESERVED_WORDS: ReadonlySet<string> = new Set(RESERVED);
/** Upper-case words of all keywords. */
export const KEYWORD_WORDS: ReadonlySet<string> = new Set([...RESERVED, ...SOFT]);

function punct(name: string, pattern: RegExp, label: string): TokenType {
  return createToken({ name, pattern, label });
}

export const Arrow = punct('Arrow', /=>/, "'=>'");
export const NotEquals = punct('NotEquals', /<>|!=/, "'<>'");
export const LessEquals = punct('LessEquals', /<=/, "'<='");
export const GreaterEquals = punct('GreaterEquals', />=/, "'>='");
export const Concat = punct('Concat', /\|\|/, "'||'");
export const Equals = punct('Equals', /=/, "'='");
export const Less = punct('Less', /</, "'<'");
export const Greater = punct('Greater', />/, "'>'");
export const Plus = punct('Plus', /\+/, "'+'");
export const Minus = punct('Minus', /-/, "'-'");
export const Star = punct('Star', /\*/, "'*'");
export const Slash = punct('Slash', /\//, "'/'");
export const Percent = punct('Percent', /%/, "'%'");
export const LParen = punct('LParen', /\(/, "'('");
export const RParen = punct('RParen', /\)/, "')'");
export const LBracket = punct('LBracket', /\[/, "'['");
export const RBracket = punct('RBracket', /\]/, "']'");
export const Comma = punct('Comma', /,/, "','");
export const Dot = punct('Dot', /\./, "'.'");
export const Semicolon = punct('Semicolon', /;/, "';'");

const keywordTokens = Object.values(KW).sort(
  (a, b) => (b.LABEL ?? b.name).length - (a.LABEL ?? a.name).length,
);

/** All tokens in lexing order: longer and more specific patterns first. */
export const allTokens: readonly TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  UnclosedBlockComment,
  StringLiteral,
  UnclosedString,
  QuotedIdentifier,
  UnclosedQuotedIdentifier,
  DoubleQuoted,
  NumberLiteral,
  ...keywordTokens,
  Identifier,
  Arrow,
  NotEquals,
  LessEquals,
  GreaterEquals,
  Concat,
  Equals,
  Less,
  Greater,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Dot,
  Semicolon,
  Name,
  Keyword,
];
