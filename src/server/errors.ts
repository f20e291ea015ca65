/**
 * Errors at the HTTP edge: every failure becomes `{ "error_code", "message" }` (Confluent's REST
 * shape), with `line` and `column` for SQL errors. Codes are the HTTP status times 100 plus a
 * detail, as Confluent's registry numbers them:
 *
 * | code  | status | meaning                                                  |
 * |-------|--------|----------------------------------------------------------|
 * | 40001 | 400    | SQL syntax error (line, column, expected)                |
 * | 40002 | 400    | plan error: unknown table/column, type mismatch, ...     |
 * | 40003 | 400    | bad request body or property                              |
 * | 40004 | 400    | DDL or statement rejected (exists, not supported as asked) |
 * | 40401 | 404    | no such statement                                        |
 * | 40402 | 404    | no such table or view                                    |
 * | 50001 | 500    | internal error (a bug)                                   |
 * | 50101 | 501    | not supported yet                                        |
 */
import { RunnelError, SqlSyntaxError } from '../sql/index.ts';
import { CatalogError, DdlError, SessionError, StatementError, StatementNotFoundError, UnknownObjectError, UnsupportedStatementError } from '../runtime/index.ts';
import { OperatorError } from '../operators/index.ts';
import { PlanError } from '../planner/index.ts';

export interface ErrorBody {
  error_code: number;
  message: string;
  line?: number;
  column?: number;
}

export function errorBody(err: unknown): { status: number; body: ErrorBody } {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof SqlSyntaxError) return { status: 400, body: { error_code: 40001, message, line: err.line, column: err.column } };
  if (err instanceof PlanError) {
    return { status: 400, body: { error_code: 40002, message, ...(err.line === undefined ? {} : { line: err.line }), ...(err.column === undefined ? {} : { column: err.column }) } };
  }
  if (err instanceof RunnelError && err.code === 'PLAN_ERROR') return { status: 400, body: { error_code: 40002, message } };
  if (err instanceof StatementNotFoundError) return { status: 404, body: { error_code: 40401, message } };
  if (err instanceof UnknownObjectError) return { status: 404, body: { error_code: 40402, message } };
  if (err instanceof SessionError || err instanceof BadRequestError) return { status: 400, body: { error_code: 40003, message } };
  if (err instanceof DdlError || err instanceof StatementError || err instanceof CatalogError) return { status: 400, body: { error_code: 40004, message } };
  if (err instanceof OperatorError && err.fault !== 'internal') return { status: 400, body: { error_code: 40002, message } };
  if (err instanceof UnsupportedStatementError) return { status: 501, body: { error_code: 50101, message } };
  return { status: 500, body: { error_code: 50001, message: `internal error: ${message}` } };
}

export class BadRequestError extends Error {}
