/** The Runnel HTTP API: SQL statements, streamed query results, metrics and health. */
export { buildHttpApp, startHttpServer, STATEMENT_LENGTH_MAX } from './http-server.ts';
export type { HttpServer, HttpServerOptions } from './http-server.ts';
export { errorBody, BadRequestError } from './errors.ts';
export type { ErrorBody } from './errors.ts';
