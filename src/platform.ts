/**
 * The wiring module: starts every Runnel service in one process on embedded defaults and
 * stops them in order. The only module that knows all the others (STYLE.md rule 1).
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { Broker, brokerOptionsFromConfig } from './broker/index.ts';
import { InProcessTopicClient } from './client/in-process.ts';
import { createRecordValidator, createSchemaRegistry, InProcessRegistryClient, type SchemaRegistryServer } from './schema-registry/index.ts';
import { startConnect, type ConnectService } from './connectors/index.ts';
import { SqlRuntime } from './runtime/index.ts';
import { startHttpServer } from './server/index.ts';

export interface PlatformOptions {
  dataDir: string;
  host: string;
  kafkaPort: number;
  registryPort: number;
  connectPort: number;
  httpPort: number;
  logLevel?: string;
  /** Broker settings by Kafka's server.properties names (`auto.create.topics.enable`, `log.retention.ms`, ...). */
  brokerConfig?: Readonly<Record<string, string>>;
}

export interface Platform {
  readonly broker: Broker;
  readonly registry: SchemaRegistryServer;
  readonly connect: ConnectService;
  /** The listeners that are running, as the ready line names them. */
  readonly endpoints: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

export async function startPlatform(opts: PlatformOptions): Promise<Platform> {
  const logger: Logger = pino({ level: opts.logLevel ?? process.env.RUNNEL_LOG_LEVEL ?? 'info' }, logDestination());
  const broker = await Broker.start({
    ...brokerOptionsFromConfig(opts.brokerConfig ?? {}),
    dataDir: opts.dataDir,
    host: opts.host,
    port: opts.kafkaPort,
    logger: logger.child({ svc: 'broker' }),
  });
  const stops: (() => Promise<void>)[] = [() => broker.stop()];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop();
  };
  try {
    const topics = new InProcessTopicClient(broker);
    const registry = await createSchemaRegistry({ topics, host: opts.host, port: opts.registryPort, logger: logger.child({ svc: 'registry' }) });
    stops.push(() => registry.close());
    // Topics with confluent.value.schema.validation=true check produced records against it.
    broker.recordValidator = createRecordValidator(registry.registry);
    // SQL: the catalog over the registry, statements resumed from _runnel_statements, the HTTP API.
    const sql = await SqlRuntime.open({ topics, registry: registry.registry, logger: logger.child({ svc: 'sql' }) });
    stops.push(() => sql.close());
    const http = await startHttpServer({ host: opts.host, port: opts.httpPort, runtime: sql, broker, logger: logger.child({ svc: 'http' }) });
    stops.push(() => http.close());
    const endpoints: Record<string, string> = {
      kafka: `${opts.host}:${broker.port}`,
      registry: `http://${opts.host}:${registry.port}`,
      http: `http://${opts.host}:${http.port}`,
    };
    const connect = await startConnect({ topics, registry: new InProcessRegistryClient(registry.registry), registryUrl: endpoints.registry, host: opts.host, port: opts.connectPort, logger: logger.child({ svc: 'connect' }) });
    stops.push(() => connect.close());
    endpoints.connect = connect.url;
    return { broker, registry, connect, endpoints, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/**
 * Logs go to stderr: one JSON object per line for log collectors, or, when stderr is a terminal,
 * pino-pretty's readable lines (synchronous, so nothing is lost at exit).
 */
function logDestination(): DestinationStream {
  if (process.stderr.isTTY) return pretty({ destination: 2, sync: true, colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname', singleLine: true });
  return pino.destination(2);
}

/** The line scripts wait for: `runnel ready kafka=H:P registry=http://H:P ...`. */
export function readyLine(endpoints: Readonly<Record<string, string>>): string {
  const order = ['kafka', 'registry', 'connect', 'http'];
  const parts = order.filter((k) => endpoints[k] !== undefined).map((k) => `${k}=${endpoints[k]}`);
  return `runnel ready ${parts.join(' ')}`;
}
