/**
 * Errors raised by the execution layer, grouped by who is at fault (DataFusion's split):
 *
 * - `InvalidPlanError`: the plan handed to an operator is ill-formed (wrong column index, a type
 *   that does not match, an unknown function). The planner should have rejected it; the message
 *   says what the operator expected.
 * - `ExecutionError`: the data made an operation fail (division by zero, a failed CAST, a BIGINT
 *   outside the exact range).
 * - `ResourcesExhaustedError`: an operator reached one of its named limits (`stateBytesMax`, ...).
 * - `InternalError`: an invariant of this module broke. This is a bug.
 *
 * The SQL front end has its own errors (src/sql/errors.ts); this module does not depend on them.
 * Codes come from a closed list so callers can switch on them.
 */

export type OperatorErrorCode =
  | 'INVALID_PLAN'
  | 'TYPE_MISMATCH'
  | 'UNKNOWN_FUNCTION'
  | 'DIVISION_BY_ZERO'
  | 'CAST_FAILED'
  | 'NUMERIC_OVERFLOW'
  | 'INVALID_ARGUMENT'
  | 'STATE_LIMIT_EXCEEDED'
  | 'BUFFER_LIMIT_EXCEEDED'
  | 'STATE_CORRUPT'
  | 'INTERNAL';

export abstract class OperatorError extends Error {
  abstract readonly fault: 'plan' | 'execution' | 'resources' | 'internal';
  readonly code: OperatorErrorCode;
  constructor(code: OperatorErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

export class InvalidPlanError extends OperatorError {
  readonly fault = 'plan' as const;
}

export class ExecutionError extends OperatorError {
  readonly fault = 'execution' as const;
}

/** An operator hit a named limit. `operator` and `limit` say which, so the message can teach. */
export class ResourcesExhaustedError extends OperatorError {
  readonly fault = 'resources' as const;
  readonly operator: string;
  readonly limit: string;
  constructor(operator: string, limit: string, message: string) {
    // A statement's stateBytesMax is its session's 'sql.state.max-size': name the setting to change.
    const hint = limit === 'stateBytesMax' ? " (the limit is SET 'sql.state.max-size')" : '';
    super(limit === 'stateBytesMax' ? 'STATE_LIMIT_EXCEEDED' : 'BUFFER_LIMIT_EXCEEDED', `${operator}: ${message}${hint}`);
    this.operator = operator;
    this.limit = limit;
  }
}

export class InternalError extends OperatorError {
  readonly fault = 'internal' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super('INTERNAL', `internal error (this is a bug): ${message}`, options);
  }
}
