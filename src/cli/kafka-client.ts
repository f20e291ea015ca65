/**
 * The kafkajs setup shared by the client commands (topic, produce, consume, group): the
 * `-b/--brokers`, `-X key=value` and `-v/--verbose` flags, `RUNNEL_BROKERS`, quiet logs, the
 * extra compression codecs, and turning kafkajs's errors into messages that say what to fix.
 *
 * Precedence for the broker list, as rpk and kcat users expect: `-b`, then
 * `-X bootstrap.servers=`, then `RUNNEL_BROKERS`, then 127.0.0.1:9092.
 *
 * @example
 *   await withAdmin(flags, async (admin) => admin.listTopics());
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { Command } from 'commander';
import kafkajs from 'kafkajs';
import type { Admin, Kafka, KafkaConfig, LogEntry, SASLOptions } from 'kafkajs';
import { CliError } from './cli-error.ts';
import { applyClientProperties, defaultClientSettings, describeClientProperties, splitBrokers, type ClientSettings } from './client-properties.ts';
import { registerCompressionCodecs } from './compression-codecs.ts';

const { Kafka: KafkaClass, logLevel } = kafkajs;

/** The flags every client command accepts. */
export interface ClientFlags {
  brokers?: string;
  property: string[];
  verbose?: boolean;
}

/** What a command needs to talk to the cluster. */
export interface ClientContext {
  kafka: Kafka;
  settings: ClientSettings;
  verbose: boolean;
}

export const BROKERS_ENV = 'RUNNEL_BROKERS';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Adds `-b`, `-X` and `-v` to a client command, and makes `-X list` print the known properties. */
export function addClientOptions(cmd: Command): Command {
  return cmd
    .option('-b, --brokers <host:port,...>', `Kafka bootstrap brokers (env ${BROKERS_ENV}; default 127.0.0.1:9092)`)
    .option('-X, --property <key=value>', 'client property, librdkafka/Java name (repeatable; -X list shows them)', collect, [])
    .option('-v, --verbose', 'print kafkajs logs on stderr')
    .hook('preAction', (_program, action) => {
      const props = (action.opts() as { property?: string[] }).property ?? [];
      if (props.some((p) => p === 'list' || p === 'help')) {
        process.stdout.write(describeClientProperties());
        process.exit(0);
      }
    });
}

/** Parses `key=value` strings from `-X`. */
export function parsePropertyFlags(raw: readonly string[]): Record<string, string> {
  const props: Record<string, string> = {};
  for (const kv of raw) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new CliError(`-X ${kv}: expected key=value, e.g. -X client.id=my-app (-X list shows the known keys)`);
    props[kv.slice(0, eq).trim()] = kv.slice(eq + 1);
  }
  return props;
}

/** Flags, environment and `-X` combined; pure apart from reading `env`. */
export function resolveClientSettings(flags: ClientFlags, env: NodeJS.ProcessEnv = process.env): ClientSettings {
  const settings = defaultClientSettings();
  const fromEnv = env[BROKERS_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') settings.brokers = splitBrokers(fromEnv);
  applyClientProperties(settings, parsePropertyFlags(flags.property));
  if (flags.brokers !== undefined) settings.brokers = splitBrokers(flags.brokers);
  return settings;
}

function readPem(what: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${what} '${path}': ${(err as Error).message}`, { cause: err });
  }
}

function tlsOptions(s: ClientSettings): ConnectionOptions | boolean {
  if (!s.ssl) return false;
  const tls: ConnectionOptions = { rejectUnauthorized: s.sslVerifyCertificate };
  if (s.sslCaLocation !== undefined) tls.ca = readPem('ssl.ca.location', s.sslCaLocation);
  if (s.sslCertificateLocation !== undefined) tls.cert = readPem('ssl.certificate.location', s.sslCertificateLocation);
  if (s.sslKeyLocation !== undefined) tls.key = readPem('ssl.key.location', s.sslKeyLocation);
  if (s.sslKeyPassword !== undefined) tls.passphrase = s.sslKeyPassword;
  if (!s.sslVerifyHostname) tls.checkServerIdentity = () => undefined;
  return tls;
}

function saslOptions(s: ClientSettings): SASLOptions | undefined {
  if (s.saslMechanism === undefined) return undefined;
  if (s.saslUsername === undefined || s.saslPassword === undefined) {
    throw new CliError(`SASL needs credentials: add -X sasl.username=USER -X sasl.password=PASSWORD`);
  }
  return { mechanism: s.saslMechanism, username: s.saslUsername, password: s.saslPassword };
}

function stderrLogger() {
  return ({ namespace, level, label, log }: LogEntry) => {
    const { message, timestamp: _t, logger: _l, ...extra } = log as { message: string; timestamp?: string; logger?: string; [k: string]: unknown };
    const detail = Object.keys(extra).length > 0 ? ` ${JSON.stringify(extra)}` : '';
    process.stderr.write(`[kafkajs] ${label}${namespace ? ` ${namespace}` : ''}: ${message}${detail}\n`);
    void level;
  };
}

export function kafkaConfig(s: ClientSettings, verbose: boolean): KafkaConfig {
  const config: KafkaConfig = {
    brokers: s.brokers,
    clientId: s.clientId,
    ssl: tlsOptions(s),
    connectionTimeout: s.connectionTimeoutMs,
    requestTimeout: s.requestTimeoutMs,
    retry: { retries: s.retries, initialRetryTime: s.retryBackoffMs, maxRetryTime: s.retryBackoffMaxMs },
    logLevel: s.debug ? logLevel.DEBUG : verbose ? logLevel.INFO : logLevel.NOTHING,
    logCreator: () => stderrLogger(),
  };
  const sasl = saslOptions(s);
  if (sasl !== undefined) config.sasl = sasl;
  return config;
}

export function openClient(flags: ClientFlags): ClientContext {
  registerCompressionCodecs();
  const settings = resolveClientSettings(flags);
  const verbose = flags.verbose === true;
  return { kafka: new KafkaClass(kafkaConfig(settings, verbose)), settings, verbose };
}

interface KafkaJsErrorLike {
  name?: string;
  message?: string;
  type?: string;
  cause?: unknown;
  broker?: string;
}

function causes(err: unknown): KafkaJsErrorLike[] {
  const chain: KafkaJsErrorLike[] = [];
  let e: unknown = err;
  for (let depth = 0; depth < 8 && typeof e === 'object' && e !== null; depth++) {
    chain.push(e as KafkaJsErrorLike);
    e = (e as KafkaJsErrorLike).cause;
  }
  return chain;
}

/** Turns a kafkajs error into a CliError whose message says what to check or type. */
export function explainKafkaError(err: unknown, settings: ClientSettings): Error {
  if (err instanceof CliError) return err;
  const chain = causes(err);
  const brokers = settings.brokers.join(',');
  const connection = chain.find((e) => e.name === 'KafkaJSConnectionError' || e.name === 'KafkaJSConnectionClosedError' || e.name === 'KafkaJSBrokerNotFound' || e.name === 'KafkaJSNoBrokerAvailableError');
  if (connection !== undefined) {
    return new CliError(
      `cannot reach a Kafka broker at ${brokers} (${connection.message ?? 'connection failed'}); start one with 'runnel start', or point -b / ${BROKERS_ENV} at your cluster`,
      { cause: err },
    );
  }
  const sasl = chain.find((e) => e.name === 'KafkaJSSASLAuthenticationError');
  if (sasl !== undefined) return new CliError(`authentication failed: ${sasl.message ?? ''}; check -X sasl.username / sasl.password / sasl.mechanism`, { cause: err });
  const protocol = chain.find((e) => typeof e.type === 'string' && e.type !== '');
  if (protocol !== undefined) return new CliError(`${protocol.message ?? 'request failed'} (${protocol.type})`, { cause: err });
  const root = chain.length > 0 ? chain[chain.length - 1] : undefined;
  return new CliError(root?.message ?? String(err), { cause: err });
}

/** Runs `fn` with a connected admin client, then disconnects; kafkajs errors are explained. */
export async function withAdmin<T>(flags: ClientFlags, fn: (admin: Admin, ctx: ClientContext) => Promise<T>): Promise<T> {
  const ctx = openClient(flags);
  const admin = ctx.kafka.admin({ retry: { retries: ctx.settings.retries, initialRetryTime: ctx.settings.retryBackoffMs, maxRetryTime: ctx.settings.retryBackoffMaxMs } });
  try {
    await admin.connect();
    return await fn(admin, ctx);
  } catch (err) {
    throw explainKafkaError(err, ctx.settings);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Throws a CliError unless every named topic exists. */
export async function requireTopics(admin: Admin, topics: readonly string[]): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(t));
  if (missing.length === 1) throw new CliError(`topic '${missing[0]}' does not exist; create it with: runnel topic create ${missing[0]}`);
  if (missing.length > 1) throw new CliError(`topics ${missing.map((t) => `'${t}'`).join(', ')} do not exist; create them with: runnel topic create ${missing.join(' ')}`);
}
