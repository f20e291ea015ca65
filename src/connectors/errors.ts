/**
 * Errors of the connector framework, grouped by who is at fault. The REST edge turns each into
 * Kafka Connect's body `{"error_code": <HTTP status>, "message": "..."}`.
 */

export type ConnectErrorCode =
  /** A connector, converter or transform config is invalid (400). */
  | 'config'
  /** A record cannot be converted or transformed (the error-tolerance path). */
  | 'data'
  /** The connector, task or plugin does not exist (404). */
  | 'not-found'
  /** The request conflicts with the current state (409), e.g. the connector already exists. */
  | 'conflict'
  /** The request is malformed (400). */
  | 'bad-request'
  /** The target or source system failed (a database error). */
  | 'external'
  /** A bug. */
  | 'internal';

const httpStatusByCode: Record<ConnectErrorCode, number> = {
  config: 400,
  data: 400,
  'not-found': 404,
  conflict: 409,
  'bad-request': 400,
  external: 500,
  internal: 500,
};

export class ConnectError extends Error {
  readonly code: ConnectErrorCode;
  readonly httpStatus: number;
  constructor(code: ConnectErrorCode, message: string, options?: { cause?: unknown; httpStatus?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConnectError';
    this.code = code;
    this.httpStatus = options?.httpStatus ?? httpStatusByCode[code];
  }
}

/** The Java-style trace Connect puts in a FAILED status: `Class: message\n\tat ...`, with causes. */
export function traceOf(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e !== undefined && e !== null && depth < 8; depth++) {
    if (e instanceof Error) {
      parts.push(`${depth === 0 ? '' : 'Caused by: '}${e.stack ?? `${e.name}: ${e.message}`}`);
      e = e.cause;
    } else {
      parts.push(`${depth === 0 ? '' : 'Caused by: '}${String(e)}`);
      break;
    }
  }
  return parts.join('\n');
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
