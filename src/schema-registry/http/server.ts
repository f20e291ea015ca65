/**
 * The REST listener: Confluent Schema Registry's API over fastify (paths and parameters as in
 * `core/.../rest/resources/*.java` of confluentinc/schema-registry). Request bodies are accepted
 * as `application/vnd.schemaregistry.v1+json`, `application/vnd.schemaregistry+json`,
 * `application/json` and `application/octet-stream`; answers are
 * `application/vnd.schemaregistry.v1+json`; errors are `{"error_code", "message"}` and nothing else.
 *
 * @example
 * const server = await createSchemaRegistry({ topics, host: '127.0.0.1', port: 0 });
 * await fetch(`${server.url}/subjects`); // []
 * await server.close();
 */
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type pino from 'pino';
import type { TopicClient } from '../../client/topic-client.ts';
import { RegistryError } from '../errors.ts';
import { SchemaRegistry } from '../registry.ts';
import { registerRoutes } from './routes.ts';

export interface SchemaRegistryServer {
  url: string;
  port: number;
  registry: SchemaRegistry;
  close(): Promise<void>;
}

export interface SchemaRegistryServerOptions {
  topics: TopicClient;
  host: string;
  /** 0 picks a free port. */
  port: number;
  logger?: pino.Logger;
}

export const responseContentType = 'application/vnd.schemaregistry.v1+json';
/** Largest request body accepted (a schema plus its envelope). */
export const requestBytesMax = 16 * 1024 * 1024;

/** Starts the registry: replays `_schemas`, then listens. */
export async function createSchemaRegistry(options: SchemaRegistryServerOptions): Promise<SchemaRegistryServer> {
  const registry = await SchemaRegistry.open(options.topics, { logger: options.logger });
  return serveSchemaRegistry(registry, options);
}

/** Serves an already open registry over HTTP. */
export async function serveSchemaRegistry(registry: SchemaRegistry, options: Omit<SchemaRegistryServerOptions, 'topics'>): Promise<SchemaRegistryServer> {
  const app = buildApp(registry, options.logger);
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    port,
    registry,
    close: async () => {
      await app.close();
    },
  };
}

/** The fastify app, without listening (tests may `inject` into it). */
export function buildApp(registry: SchemaRegistry, logger?: pino.Logger): FastifyInstance {
  const app = Fastify({
    bodyLimit: requestBytesMax,
    ...(logger ? { loggerInstance: logger.child({ component: 'schema-registry-http' }) } : { logger: false }),
    // The context prefix form `/contexts/.ctx/subjects/s/...` is the qualified subject `:.ctx:s`.
    rewriteUrl: (req) => rewriteContextUrl(req.url ?? '/'),
  }) as unknown as FastifyInstance; // the pino logger's generic type is not needed downstream
  const parseJson = (_req: unknown, body: string, done: (err: Error | null, value?: unknown) => void): void => {
    if (body.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(body));
    } catch (err) {
      done(new BadRequestError(`Unrecognized JSON in request body: ${err instanceof Error ? err.message : String(err)}`));
    }
  };
  app.removeContentTypeParser('application/json');
  for (const type of ['application/json', 'application/vnd.schemaregistry.v1+json', 'application/vnd.schemaregistry+json', 'application/octet-stream', 'text/plain']) {
    app.addContentTypeParser(type, { parseAs: 'string' }, parseJson);
  }
  app.setErrorHandler((error, _request, reply) => sendError(reply, error));
  app.setNotFoundHandler((_request, reply) => {
    void reply.code(404).type(responseContentType).send({ error_code: 404, message: 'HTTP 404 Not Found' });
  });
  registerRoutes(app, registry);
  return app;
}

/** A malformed request (not JSON): Confluent answers these with HTTP 400 and `error_code` 400. */
class BadRequestError extends Error {
  readonly statusCode = 400;
}

/** Every failure leaves as Confluent's two-field error body. */
export function sendError(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof RegistryError) {
    return reply.code(error.httpStatus).type(responseContentType).send({ error_code: error.errorCode, message: error.message });
  }
  const status = typeof (error as { statusCode?: unknown })?.statusCode === 'number' ? ((error as { statusCode: number }).statusCode) : 500;
  const message = error instanceof Error ? error.message : String(error);
  if (status >= 400 && status < 500) return reply.code(status).type(responseContentType).send({ error_code: status, message });
  reply.log?.error({ err: error }, 'schema registry request failed');
  return reply.code(500).type(responseContentType).send({ error_code: 50001, message: `Internal error: ${message}` });
}

function rewriteContextUrl(url: string): string {
  const match = /^\/contexts\/([^/?]+)\/(subjects|schemas|compatibility\/subjects|config|mode)(\/[^?]*)?(\?.*)?$/.exec(url);
  if (match === null) return url;
  const context = decodeURIComponent(match[1]);
  const [, , area, rest = '', query = ''] = match;
  const qualify = (subject: string): string => encodeURIComponent(`:${context.startsWith('.') ? context : `.${context}`}:${decodeURIComponent(subject)}`);
  if (area === 'schemas') return `/schemas${rest}${query}`;
  const parts = rest.split('/');
  if (parts.length > 1 && parts[1] !== '') parts[1] = qualify(parts[1]);
  else if (area === 'config' || area === 'mode') parts[1] = encodeURIComponent(`:${context.startsWith('.') ? context : `.${context}`}:`);
  return `/${area}${parts.join('/')}${query}`;
}
