/**
 * The Runnel HTTP API (fastify) on `--http-port`:
 *
 * - `POST /v1/statements` `{"statement": "...", "properties": {...}}`: DDL, SHOW, DESCRIBE,
 *   EXPLAIN and SET answer inline (`{"columns", "rows"}` or `{"message"}`, plus `properties` after
 *   SET/RESET); INSERT / CTAS / STATEMENT SET answer 201 with the stored statement; a SELECT
 *   answers `application/x-ndjson`: a first line `{"columns": [{"name", "type"}]}`, then one line
 *   per change `{"op": "+I", "row": {...}}` (`-U`, `+U`, `-D`) until the client disconnects or a
 *   LIMIT is reached. An error while streaming ends the stream with an error line.
 * - `GET /v1/statements`, `GET /v1/statements/{id}` (id or name), `DELETE /v1/statements/{id}`
 *   (stops it; `?purge=true` also deletes its record).
 * - `GET /metrics` (Prometheus), `GET /healthz`.
 *
 * Errors: `{"error_code", "message"}` (+ `line`, `column` for SQL errors), see errors.ts.
 */
import Fastify, { LogController } from 'fastify';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type pino from 'pino';
import type { Broker } from '../broker/index.ts';
import { displayType } from '../operators/index.ts';
import type { SqlRuntime } from '../runtime/index.ts';
import { StatementNotFoundError } from '../runtime/index.ts';
import type { SessionProperties } from '../runtime/index.ts';
import { BadRequestError, errorBody } from './errors.ts';
import { createMetrics } from './metrics.ts';

export interface HttpServerOptions {
  readonly host: string;
  readonly port: number;
  readonly runtime: SqlRuntime;
  readonly broker?: Broker;
  readonly logger?: pino.Logger;
}

export interface HttpServer {
  readonly app: FastifyInstance;
  readonly port: number;
  close(): Promise<void>;
}

/** Longest statement text accepted, in characters. */
export const STATEMENT_LENGTH_MAX = 1_000_000;
/** Properties one request may carry. */
const propertiesMax = 256;

export function buildHttpApp(options: Omit<HttpServerOptions, 'host' | 'port'>): FastifyInstance {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger.child({ component: 'http' }) } : { logger: false }),
    logController: new LogController({ disableRequestLogging: true }),
    // Shutdown ends streamed queries and keep-alive connections instead of waiting for clients.
    forceCloseConnections: true,
    bodyLimit: 2 * STATEMENT_LENGTH_MAX,
  }) as unknown as FastifyInstance; // the pino logger's generic type is not needed downstream
  const runtime = options.runtime;
  const metrics = createMetrics(runtime, options.broker);
  const streams = new Set<AbortController>();
  const responses = new Set<import('node:http').ServerResponse>();

  app.addHook('onClose', async () => metrics.close());
  // preClose: before the server waits for open connections, end the streams that hold them.
  app.addHook('preClose', async () => {
    for (const s of streams) s.abort();
    for (const r of responses) r.destroy();
  });

  app.setErrorHandler((err: unknown, _req, reply) => {
    const fastifyStatus = (err as { statusCode?: number }).statusCode;
    if (fastifyStatus !== undefined && fastifyStatus < 500) {
      return reply.status(fastifyStatus).send({ error_code: fastifyStatus * 100 + 3, message: (err as Error).message });
    }
    const { status, body } = errorBody(err);
    return reply.status(status).send(body);
  });

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/metrics', async (_req, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  app.post('/v1/statements', async (req, reply) => {
    const { statement, properties } = parseBody(req.body);
    const result = await runtime.execute(statement, properties);
    switch (result.kind) {
      case 'table':
        return { columns: result.columns, rows: result.rows, ...(result.properties === undefined ? {} : { properties: result.properties }) };
      case 'message':
        return { message: result.message, ...(result.properties === undefined ? {} : { properties: result.properties }) };
      case 'statement':
        // 201 for a statement submitted; STOP / RESUME act on an existing one and say which.
        return reply.status(result.action === undefined ? 201 : 200).send({
          ...result.statement,
          ...(result.message === undefined ? {} : { message: result.message }),
          ...(result.action === undefined ? {} : { action: result.action }),
        });
      case 'query':
        return streamQuery(reply, result.query, properties);
      default: {
        const never: never = result;
        throw new Error(`unexpected result ${JSON.stringify(never)}`);
      }
    }
  });

  async function streamQuery(reply: FastifyReply, query: Parameters<SqlRuntime['runQuery']>[0], properties: SessionProperties): Promise<FastifyReply> {
    const abort = new AbortController();
    streams.add(abort);
    const raw = reply.raw;
    const onClose = () => abort.abort();
    raw.on('close', onClose);
    let run;
    try {
      run = await runtime.runQuery(query, properties, async (rows) => {
        if (raw.destroyed) return abort.abort();
        const text = rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
        if (!raw.write(text)) await new Promise<void>((resolve) => {
          // A client that stops reading holds the query here; closing or aborting releases it.
          const done = () => { raw.off('drain', done); raw.off('close', done); abort.signal.removeEventListener('abort', done); resolve(); };
          raw.once('drain', done);
          raw.once('close', done);
          abort.signal.addEventListener('abort', done, { once: true });
        });
      }, abort.signal);
    } catch (err) {
      streams.delete(abort);
      raw.off('close', onClose);
      throw err;
    }
    reply.hijack();
    responses.add(raw);
    raw.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-cache' });
    raw.write(JSON.stringify({ columns: run.columns.map((c) => ({ name: c.name, type: displayType(c.type) })) }) + '\n');
    run.done.then(
      () => undefined,
      (err: unknown) => {
        if (!raw.destroyed) raw.write(JSON.stringify(errorBody(err).body) + '\n');
      },
    ).finally(() => {
      streams.delete(abort);
      responses.delete(raw);
      raw.off('close', onClose);
      if (!raw.destroyed) raw.end();
    });
    return reply;
  }

  app.get('/v1/statements', async () => ({ statements: runtime.statements.list() }));

  app.get<{ Params: { id: string } }>('/v1/statements/:id', async (req) => {
    const s = runtime.statements.get(req.params.id);
    if (s === undefined) throw new StatementNotFoundError(req.params.id);
    return s;
  });

  app.delete<{ Params: { id: string }; Querystring: { purge?: string; savepoint?: string } }>('/v1/statements/:id', async (req) => {
    const s = await runtime.statements.stop(req.params.id, { savepoint: req.query.savepoint === 'true' });
    if (s === undefined) throw new StatementNotFoundError(req.params.id);
    if (req.query.purge === 'true') await runtime.statements.delete(s.id);
    return s;
  });

  /** RESUME STATEMENT over HTTP: a stopped statement continues from its savepoint or last checkpoint. */
  app.post<{ Params: { id: string } }>('/v1/statements/:id/resume', async (req) => {
    const s = await runtime.statements.resume(req.params.id);
    if (s === undefined) throw new StatementNotFoundError(req.params.id);
    return s;
  });

  return app;
}

function parseBody(body: unknown): { statement: string; properties: SessionProperties } {
  if (body === null || typeof body !== 'object') throw new BadRequestError('the body must be a JSON object {"statement": "...", "properties": {...}}');
  const { statement, properties } = body as { statement?: unknown; properties?: unknown };
  if (typeof statement !== 'string' || statement.trim() === '') throw new BadRequestError('"statement" must be a non-empty string of SQL');
  if (statement.length > STATEMENT_LENGTH_MAX) throw new BadRequestError(`"statement" is longer than ${STATEMENT_LENGTH_MAX} characters`);
  if (properties === undefined || properties === null) return { statement, properties: {} };
  if (typeof properties !== 'object' || Array.isArray(properties)) throw new BadRequestError('"properties" must be an object of strings');
  const entries = Object.entries(properties as Record<string, unknown>);
  if (entries.length > propertiesMax) throw new BadRequestError(`at most ${propertiesMax} properties`);
  for (const [k, v] of entries) if (typeof v !== 'string') throw new BadRequestError(`property '${k}' must be a string`);
  return { statement, properties: properties as Record<string, string> };
}

/** Starts the HTTP API; `port` 0 picks a free one. */
export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const app = buildHttpApp(options);
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  return { app, port, close: () => app.close() };
}
