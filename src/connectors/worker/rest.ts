/**
 * Kafka Connect's REST API over fastify (paths as in Kafka's `ConnectorsResource`,
 * `ConnectorPluginsResource` and `RootResource`, offsets as in KIP-875, `initial_state` as in
 * KIP-980). Errors are Kafka's body `{"error_code": <HTTP status>, "message": "..."}` and nothing else.
 *
 * @example
 * const server = await serveConnectRest(worker, { host: '127.0.0.1', port: 0 });
 * await fetch(`${server.url}/connectors`); // []
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { ConnectorConfig } from '../api.ts';
import { ConnectError } from '../errors.ts';
import { connectorPlugins, findConnectorPlugin, transformationPlugins } from '../plugins.ts';
import { validateConnectorConfig } from './connector-config.ts';
import type { OffsetEntry, Worker } from './worker.ts';

/** Largest request body accepted. */
const requestBytesMax = 4 * 1024 * 1024;
/** Kafka version this API follows (reported by `GET /`). */
const compatibleKafkaVersion = '3.7.0';

export interface ConnectRestServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function serveConnectRest(worker: Worker, options: { host: string; port: number; logger?: Logger; clusterId?: string }): Promise<ConnectRestServer> {
  const app = buildConnectApp(worker, options.clusterId ?? 'runnel', options.logger);
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return { url: `http://${host}:${port}`, port, close: () => app.close() };
}

type Req = FastifyRequest<{ Params: Record<string, string>; Querystring: Record<string, string>; Body: unknown }>;

export function buildConnectApp(worker: Worker, clusterId: string, _logger?: Logger): FastifyInstance {
  const app = Fastify({ bodyLimit: requestBytesMax, logger: false });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(['application/json', 'text/plain', 'application/octet-stream'], { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      done(new ConnectError('bad-request', `Unrecognized JSON in request body: ${err instanceof Error ? err.message : String(err)}`));
    }
  });
  app.setErrorHandler((err: unknown, _req, reply) => {
    if (err instanceof ConnectError) return sendError(reply, err.httpStatus, err.message);
    const e = err as { statusCode?: number; message?: string };
    const status = typeof e.statusCode === 'number' && e.statusCode >= 400 ? e.statusCode : 500;
    return sendError(reply, status, e.message ?? String(err));
  });
  app.setNotFoundHandler((_req, reply) => sendError(reply, 404, 'HTTP 404 Not Found'));

  app.get('/', async () => ({ version: compatibleKafkaVersion, commit: 'runnel', kafka_cluster_id: clusterId }));

  app.get('/connectors', async (req: Req) => {
    const expand = ([] as string[]).concat((req.query as Record<string, string | string[]>).expand ?? []);
    const names = worker.list();
    if (expand.length === 0) return names;
    const out: Record<string, Record<string, unknown>> = {};
    for (const name of names) {
      const item: Record<string, unknown> = {};
      if (expand.includes('status')) item.status = worker.status(name);
      if (expand.includes('info')) item.info = worker.info(name);
      out[name] = item;
    }
    return out;
  });

  app.post('/connectors', async (req: Req, reply) => {
    const body = req.body as { name?: unknown; config?: unknown; initial_state?: unknown } | undefined;
    if (body === undefined || body === null || typeof body !== 'object') throw new ConnectError('bad-request', 'Request body must be a JSON object with "name" and "config"');
    const config = stringMap(body.config ?? {});
    const name = typeof body.name === 'string' ? body.name.trim() : (config.name ?? '').trim();
    if (name === '') throw new ConnectError('bad-request', 'Connector name must not be empty');
    checkName(name);
    if (config.name !== undefined && config.name !== name) throw new ConnectError('bad-request', `Connector name configuration (${config.name}) doesn't match connector name in the URL (${name})`);
    let initial: 'RUNNING' | 'PAUSED' | 'STOPPED' = 'RUNNING';
    if (body.initial_state !== undefined && body.initial_state !== null) {
      const s = String(body.initial_state).toUpperCase();
      if (s !== 'RUNNING' && s !== 'PAUSED' && s !== 'STOPPED') throw new ConnectError('bad-request', `Invalid initial state: ${String(body.initial_state)}. Valid values are: RUNNING, PAUSED, STOPPED`);
      initial = s;
    }
    const info = await worker.createConnector(name, config, initial);
    return reply.code(201).header('location', `/connectors/${encodeURIComponent(name)}`).send(info);
  });

  app.get('/connectors/:name', async (req: Req) => worker.info(req.params.name));
  app.get('/connectors/:name/config', async (req: Req) => worker.config(req.params.name));
  app.put('/connectors/:name/config', async (req: Req, reply) => {
    const name = req.params.name;
    checkName(name);
    const config = stringMap(req.body ?? {});
    if (config.name !== undefined && config.name !== name) throw new ConnectError('bad-request', `Connector name configuration (${config.name}) doesn't match connector name in the URL (${name})`);
    const { created, info } = await worker.putConfig(name, config);
    if (created) return reply.code(201).header('location', `/connectors/${encodeURIComponent(name)}`).send(info);
    return info;
  });
  app.patch('/connectors/:name/config', async (req: Req) => {
    const name = req.params.name;
    const patch = req.body as Record<string, unknown> | undefined;
    if (patch === undefined || patch === null || typeof patch !== 'object') throw new ConnectError('bad-request', 'Request body must be a JSON object');
    const merged: Record<string, string> = { ...worker.config(name) };
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete merged[k];
      else merged[k] = String(v);
    }
    return (await worker.putConfig(name, merged)).info;
  });
  app.get('/connectors/:name/status', async (req: Req) => worker.status(req.params.name));
  app.get('/connectors/:name/tasks', async (req: Req) => worker.tasks(req.params.name));
  app.get('/connectors/:name/tasks-config', async (req: Req) => Object.fromEntries(worker.tasks(req.params.name).map((t) => [`${req.params.name}-${t.id.task}`, t.config])));
  app.get('/connectors/:name/tasks/:task/status', async (req: Req) => worker.taskStatus(req.params.name, taskId(req.params.task)));
  app.post('/connectors/:name/tasks/:task/restart', async (req: Req, reply) => {
    await worker.restartTask(req.params.name, taskId(req.params.task));
    return reply.code(204).send();
  });
  app.put('/connectors/:name/pause', async (req: Req, reply) => {
    await worker.pause(req.params.name);
    return reply.code(202).send();
  });
  app.put('/connectors/:name/resume', async (req: Req, reply) => {
    await worker.resume(req.params.name);
    return reply.code(202).send();
  });
  app.put('/connectors/:name/stop', async (req: Req, reply) => {
    await worker.stopConnector(req.params.name);
    return reply.code(202).send();
  });
  app.post('/connectors/:name/restart', async (req: Req, reply) => {
    const includeTasks = bool(req.query.includeTasks);
    const onlyFailed = bool(req.query.onlyFailed);
    const status = await worker.restartConnector(req.params.name, { includeTasks, onlyFailed });
    if (!includeTasks && !onlyFailed) return reply.code(204).send();
    return reply.code(202).send(status);
  });
  app.delete('/connectors/:name', async (req: Req, reply) => {
    await worker.deleteConnector(req.params.name);
    return reply.code(204).send();
  });

  app.get('/connectors/:name/offsets', async (req: Req) => ({ offsets: worker.offsetsOf(req.params.name) }));
  app.patch('/connectors/:name/offsets', async (req: Req) => {
    const body = req.body as { offsets?: unknown } | undefined;
    if (body === undefined || body === null || !Array.isArray(body.offsets)) throw new ConnectError('bad-request', 'The offsets to be altered may not be null or empty');
    const entries = (body.offsets as unknown[]).map((o) => {
      const e = o as { partition?: unknown; offset?: unknown };
      return { partition: e.partition as Record<string, unknown>, offset: (e.offset ?? null) as Record<string, unknown> | null } satisfies OffsetEntry;
    });
    return { message: await worker.alterOffsets(req.params.name, entries) };
  });
  app.delete('/connectors/:name/offsets', async (req: Req) => ({ message: await worker.resetOffsets(req.params.name) }));

  app.get('/connector-plugins', async (req: Req) => {
    const connectorsOnly = req.query.connectorsOnly !== 'false';
    const out: { class: string; type: string; version: string }[] = connectorPlugins().map((p) => ({ class: p.className, type: p.type, version: p.version }));
    if (!connectorsOnly) for (const t of transformationPlugins()) out.push({ class: t.className, type: 'transformation', version: compatibleKafkaVersion });
    return out.sort((a, b) => a.class.localeCompare(b.class));
  });
  app.get('/connector-plugins/:type/config', async (req: Req) => {
    const plugin = findConnectorPlugin(req.params.type);
    if (plugin === undefined) throw new ConnectError('not-found', `Failed to find any class that implements Connector and which name matches ${req.params.type}`);
    return plugin.configDef.keys().map((k) => ({
      name: k.name,
      type: k.type.toUpperCase(),
      required: !('default' in k),
      default_value: 'default' in k && k.default !== null ? String(k.default) : null,
      importance: k.importance.toUpperCase(),
      documentation: k.doc,
      group: k.group ?? null,
      width: 'NONE',
      display_name: k.displayName ?? k.name,
      dependents: [],
      order: -1,
    }));
  });
  app.put('/connector-plugins/:type/config/validate', async (req: Req) => {
    const config = stringMap(req.body ?? {});
    const type = req.params.type;
    const plugin = findConnectorPlugin(type, config);
    if (plugin === undefined) throw new ConnectError('bad-request', `Failed to find any class that implements Connector and which name matches ${type}`);
    const included = config['connector.class'];
    if (included !== undefined && included !== '' && findConnectorPlugin(included, config) !== plugin) {
      throw new ConnectError('bad-request', `Included connector type ${included} does not match request type ${type}`);
    }
    return validateConnectorConfig({ ...config, 'connector.class': included ?? plugin.className }, plugin);
  });

  return app as unknown as FastifyInstance;
}

function sendError(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).type('application/json').send({ error_code: status, message });
}

function stringMap(v: unknown): ConnectorConfig {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new ConnectError('bad-request', 'Connector config must be a JSON object of string values');
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (x === null || x === undefined) continue;
    out[k] = typeof x === 'string' ? x : typeof x === 'object' ? JSON.stringify(x) : String(x);
  }
  return out;
}

function checkName(name: string): void {
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new ConnectError('bad-request', 'Connector name must not contain ISO control characters');
  if (name.length > 249) throw new ConnectError('bad-request', 'Connector name is too long');
}

function taskId(text: string): number {
  if (!/^\d+$/.test(text)) throw new ConnectError('not-found', `HTTP 404 Not Found`);
  return Number(text);
}

function bool(v: unknown): boolean {
  return typeof v === 'string' && v.toLowerCase() === 'true';
}
