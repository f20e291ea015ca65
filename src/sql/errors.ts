/**
 * Runnel's error base class and the SQL front end's syntax error.
 *
 * Errors are grouped by who is at fault (STYLE.md rule 16). Each carries a
 * `code` from a closed list so callers (HTTP API, CLI) can branch without
 * parsing messages. Other modules add their subclasses (PlanError, …) next to
 * this one; the base stays small on purpose.
 */

/** The closed list of error codes, one per kind of fault. */
export const ERROR_CODES = [
  'SYNTAX_ERROR',
  'PLAN_ERROR',
  'EXECUTION_ERROR',
  'RESOURCES_EXHAUSTED',
  'INTERNAL_ERROR',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Base class of every error Runnel raises on purpose. */
export class RunnelError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Where a syntax error was found, 1-based line and column, 0-based offset. */
export interface SqlErrorLocation {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

/**
 * The SQL text could not be parsed. The message starts with the location and
 * says what was expected and what was found, e.g.
 * `line 1, column 8: expected an expression after SELECT but found FROM`.
 */
export class SqlSyntaxError extends RunnelError {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  /** The offending token's text, or `end of input`. */
  readonly found: string;
  /** What the parser would have accepted, in words (`an expression`, `')'`). */
  readonly expected: string;

  constructor(
    location: SqlErrorLocation,
    detail: { message: string; found: string; expected: string },
  ) {
    super('SYNTAX_ERROR', `line ${location.line}, column ${location.column}: ${detail.message}`);
    this.line = location.line;
    this.column = location.column;
    this.offset = location.offset;
    this.found = detail.found;
    this.expected = detail.expected;
  }
}
