/**
 * The connectors module's public surface: the framework API (for connector authors), the worker
 * and its Kafka Connect REST listener (for the platform), and the built-in plugins.
 *
 * @example
 * const connect = await startConnect({ topics, registry, host: '127.0.0.1', port: 8083, logger });
 * // POST http://127.0.0.1:8083/connectors {"name": "gen", "config": {"connector.class": "DatagenSource", ...}}
 * await connect.close();
 */
import type { Logger } from 'pino';
import type { TopicClient } from '../client/topic-client.ts';
import type { RegistryClient } from '../schema-registry/index.ts';
import { loadOptionalPlugins } from './builtin.ts';
import { serveConnectRest } from './worker/rest.ts';
import { Worker } from './worker/worker.ts';

export * from './api.ts';
export { ConnectError, traceOf } from './errors.ts';
export { Worker, type WorkerOptions, type ConnectorStateInfo, type ConnectorInfo } from './worker/worker.ts';
export { buildConnectApp, serveConnectRest, type ConnectRestServer } from './worker/rest.ts';
export { dlqHeaders } from './worker/error-handler.ts';
export { findConverter, findTransformation, type ConverterEnv, type ConverterPlugin } from './plugins.ts';
export { buildTransformChain } from './transforms/index.ts';

export interface ConnectService {
  readonly worker: Worker;
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface ConnectServiceOptions {
  topics: TopicClient;
  registry: RegistryClient | null;
  registryUrl?: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  logger: Logger;
  offsetFlushIntervalMs?: number;
}

/** Starts the REST listener first (the worker id is its address), then the worker. */
export async function startConnect(options: ConnectServiceOptions): Promise<ConnectService> {
  await loadOptionalPlugins(options.logger);
  const worker = new Worker({
    topics: options.topics,
    registry: options.registry,
    registryUrl: options.registryUrl,
    workerId: `${options.host}:${options.port}`,
    logger: options.logger,
    offsetFlushIntervalMs: options.offsetFlushIntervalMs,
  });
  const rest = await serveConnectRest(worker, { host: options.host, port: options.port, logger: options.logger });
  worker.workerId = rest.url.replace(/^http:\/\//, '');
  try {
    await worker.start();
  } catch (err) {
    await rest.close();
    throw err;
  }
  return {
    worker,
    url: rest.url,
    port: rest.port,
    async close() {
      await rest.close();
      await worker.stop();
    },
  };
}
