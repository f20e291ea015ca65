/**
 * `-X key=value` client properties: the librdkafka / Java client names users already pass to
 * kcat and rpk, mapped onto the settings the CLI gives kafkajs. Unknown names are rejected
 * with the list of known ones (`-X list` prints it), so a typo never silently does nothing.
 *
 * @example
 *   const settings = defaultClientSettings();
 *   applyClientProperties(settings, { 'security.protocol': 'sasl_plaintext', 'sasl.mechanism': 'PLAIN' });
 */
import { CliError } from './cli-error.ts';

export const COMPRESSION_NAMES = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
export type CompressionName = (typeof COMPRESSION_NAMES)[number];

export type SaslMechanismName = 'plain' | 'scram-sha-256' | 'scram-sha-512';

/** Everything the client commands can be told through flags, environment and `-X`. */
export interface ClientSettings {
  brokers: string[];
  clientId: string;
  ssl: boolean;
  sslCaLocation?: string;
  sslCertificateLocation?: string;
  sslKeyLocation?: string;
  sslKeyPassword?: string;
  sslVerifyCertificate: boolean;
  sslVerifyHostname: boolean;
  saslMechanism?: SaslMechanismName;
  saslUsername?: string;
  saslPassword?: string;
  connectionTimeoutMs: number;
  requestTimeoutMs: number;
  retries: number;
  retryBackoffMs: number;
  retryBackoffMaxMs: number;
  metadataMaxAgeMs?: number;
  debug: boolean;
  producer: {
    acks?: number;
    compression?: CompressionName;
    idempotent?: boolean;
    maxInFlightRequests?: number;
    ackTimeoutMs?: number;
    allowAutoTopicCreation?: boolean;
  };
  consumer: {
    groupId?: string;
    sessionTimeoutMs?: number;
    heartbeatIntervalMs?: number;
    rebalanceTimeoutMs?: number;
    minBytes?: number;
    maxBytes?: number;
    maxBytesPerPartition?: number;
    maxWaitTimeMs?: number;
    readUncommitted?: boolean;
    autoOffsetReset?: 'earliest' | 'latest';
    enableAutoCommit?: boolean;
  };
}

/** Defaults tuned for a command line: fail within seconds when no broker answers. */
export function defaultClientSettings(): ClientSettings {
  return {
    brokers: ['127.0.0.1:9092'],
    clientId: 'runnel-cli',
    ssl: false,
    sslVerifyCertificate: true,
    sslVerifyHostname: true,
    connectionTimeoutMs: 3000,
    requestTimeoutMs: 30_000,
    retries: 3,
    retryBackoffMs: 100,
    retryBackoffMaxMs: 1000,
    debug: false,
    producer: {},
    consumer: {},
  };
}

interface PropertyDef {
  readonly names: readonly string[];
  readonly scope: 'common' | 'producer' | 'consumer';
  readonly help: string;
  readonly apply: (s: ClientSettings, value: string, key: string) => void;
}

function int(key: string, value: string, min = 0): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min) {
    throw new CliError(`-X ${key}=${value}: expected a whole number${min > 0 ? ` of at least ${min}` : ''}`);
  }
  return n;
}

function bool(key: string, value: string): boolean {
  const v = value.toLowerCase();
  if (v === 'true' || v === '1' || v === 'yes') return true;
  if (v === 'false' || v === '0' || v === 'no') return false;
  throw new CliError(`-X ${key}=${value}: expected true or false`);
}

function oneOf<T extends string>(key: string, value: string, allowed: Record<string, T>): T {
  const hit = allowed[value.toLowerCase()];
  if (hit === undefined) throw new CliError(`-X ${key}=${value}: expected one of ${Object.keys(allowed).join(', ')}`);
  return hit;
}

/** Parses an acks value as Kafka spells it: all, -1, 0 or 1. */
export function parseAcks(value: string, key = 'acks'): number {
  const v = value.toLowerCase();
  if (v === 'all' || v === '-1') return -1;
  if (v === '0' || v === '1') return Number(v);
  throw new CliError(`${key === '--acks' ? '--acks' : `-X ${key}`}=${value}: expected one of all, -1, 0, 1`);
}

export function parseCompression(value: string, key = 'compression.type'): CompressionName {
  const names: Record<string, CompressionName> = {};
  for (const n of COMPRESSION_NAMES) names[n] = n;
  return oneOf(key, value, names);
}

function securityProtocol(s: ClientSettings, value: string, key: string): void {
  const p = oneOf(key, value, { plaintext: 'plaintext', ssl: 'ssl', sasl_plaintext: 'sasl_plaintext', sasl_ssl: 'sasl_ssl' });
  s.ssl = p === 'ssl' || p === 'sasl_ssl';
  if (p.startsWith('sasl') && s.saslMechanism === undefined) s.saslMechanism = 'plain';
  if (!p.startsWith('sasl')) s.saslMechanism = undefined;
}

const PROPERTIES: readonly PropertyDef[] = [
  { names: ['bootstrap.servers', 'metadata.broker.list', 'brokers'], scope: 'common', help: 'comma-separated host:port list (same as -b)', apply: (s, v) => (s.brokers = splitBrokers(v)) },
  { names: ['client.id'], scope: 'common', help: 'client id sent to the broker', apply: (s, v) => (s.clientId = v) },
  { names: ['security.protocol'], scope: 'common', help: 'plaintext, ssl, sasl_plaintext or sasl_ssl', apply: securityProtocol },
  { names: ['sasl.mechanism', 'sasl.mechanisms'], scope: 'common', help: 'PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512', apply: (s, v, k) => (s.saslMechanism = oneOf<SaslMechanismName>(k, v, { plain: 'plain', 'scram-sha-256': 'scram-sha-256', 'scram-sha-512': 'scram-sha-512' })) },
  { names: ['sasl.username'], scope: 'common', help: 'SASL user name', apply: (s, v) => (s.saslUsername = v) },
  { names: ['sasl.password'], scope: 'common', help: 'SASL password', apply: (s, v) => (s.saslPassword = v) },
  { names: ['ssl.ca.location'], scope: 'common', help: 'PEM file of CA certificates to trust', apply: (s, v) => (s.sslCaLocation = v) },
  { names: ['ssl.certificate.location'], scope: 'common', help: 'PEM file of the client certificate', apply: (s, v) => (s.sslCertificateLocation = v) },
  { names: ['ssl.key.location'], scope: 'common', help: 'PEM file of the client private key', apply: (s, v) => (s.sslKeyLocation = v) },
  { names: ['ssl.key.password'], scope: 'common', help: 'passphrase of the client private key', apply: (s, v) => (s.sslKeyPassword = v) },
  { names: ['enable.ssl.certificate.verification'], scope: 'common', help: 'false accepts any server certificate', apply: (s, v, k) => (s.sslVerifyCertificate = bool(k, v)) },
  { names: ['ssl.endpoint.identification.algorithm'], scope: 'common', help: 'https checks the host name, none does not', apply: (s, v, k) => (s.sslVerifyHostname = oneOf(k, v, { https: 'https', none: 'none', '': 'none' }) === 'https') },
  { names: ['socket.connection.setup.timeout.ms'], scope: 'common', help: 'connect timeout', apply: (s, v, k) => (s.connectionTimeoutMs = int(k, v, 1)) },
  { names: ['request.timeout.ms', 'socket.timeout.ms'], scope: 'common', help: 'request timeout', apply: (s, v, k) => (s.requestTimeoutMs = int(k, v, 1)) },
  { names: ['retries', 'message.send.max.retries'], scope: 'common', help: 'retries of a failed request', apply: (s, v, k) => (s.retries = int(k, v)) },
  { names: ['retry.backoff.ms'], scope: 'common', help: 'first retry delay', apply: (s, v, k) => (s.retryBackoffMs = int(k, v, 1)) },
  { names: ['retry.backoff.max.ms'], scope: 'common', help: 'longest retry delay', apply: (s, v, k) => (s.retryBackoffMaxMs = int(k, v, 1)) },
  { names: ['metadata.max.age.ms', 'topic.metadata.refresh.interval.ms'], scope: 'common', help: 'metadata refresh interval', apply: (s, v, k) => (s.metadataMaxAgeMs = int(k, v, 1)) },
  { names: ['debug'], scope: 'common', help: 'any value turns on kafkajs debug logs on stderr', apply: (s) => (s.debug = true) },
  { names: ['acks', 'request.required.acks'], scope: 'producer', help: 'all (-1), 1 or 0 (same as --acks)', apply: (s, v, k) => (s.producer.acks = parseAcks(v, k)) },
  { names: ['compression.type', 'compression.codec'], scope: 'producer', help: 'none, gzip, snappy, lz4 or zstd (same as -z)', apply: (s, v, k) => (s.producer.compression = parseCompression(v, k)) },
  { names: ['enable.idempotence'], scope: 'producer', help: 'idempotent producer (true/false)', apply: (s, v, k) => (s.producer.idempotent = bool(k, v)) },
  { names: ['max.in.flight.requests.per.connection', 'max.in.flight'], scope: 'producer', help: 'requests in flight per broker', apply: (s, v, k) => (s.producer.maxInFlightRequests = int(k, v, 1)) },
  { names: ['message.timeout.ms', 'delivery.timeout.ms'], scope: 'producer', help: 'how long the broker may take to acknowledge', apply: (s, v, k) => (s.producer.ackTimeoutMs = int(k, v, 1)) },
  { names: ['allow.auto.create.topics'], scope: 'common', help: 'let the broker create a missing topic on produce (true/false)', apply: (s, v, k) => (s.producer.allowAutoTopicCreation = bool(k, v)) },
  { names: ['group.id'], scope: 'consumer', help: 'consumer group (same as -g)', apply: (s, v) => (s.consumer.groupId = v) },
  { names: ['session.timeout.ms'], scope: 'consumer', help: 'group session timeout', apply: (s, v, k) => (s.consumer.sessionTimeoutMs = int(k, v, 1)) },
  { names: ['heartbeat.interval.ms'], scope: 'consumer', help: 'group heartbeat interval', apply: (s, v, k) => (s.consumer.heartbeatIntervalMs = int(k, v, 1)) },
  { names: ['max.poll.interval.ms'], scope: 'consumer', help: 'group rebalance timeout', apply: (s, v, k) => (s.consumer.rebalanceTimeoutMs = int(k, v, 1)) },
  { names: ['fetch.min.bytes'], scope: 'consumer', help: 'bytes a fetch waits for', apply: (s, v, k) => (s.consumer.minBytes = int(k, v, 1)) },
  { names: ['fetch.max.bytes'], scope: 'consumer', help: 'largest fetch response', apply: (s, v, k) => (s.consumer.maxBytes = int(k, v, 1)) },
  { names: ['max.partition.fetch.bytes'], scope: 'consumer', help: 'largest fetch per partition', apply: (s, v, k) => (s.consumer.maxBytesPerPartition = int(k, v, 1)) },
  { names: ['fetch.wait.max.ms', 'fetch.max.wait.ms'], scope: 'consumer', help: 'longest wait of a fetch for fetch.min.bytes', apply: (s, v, k) => (s.consumer.maxWaitTimeMs = int(k, v)) },
  { names: ['isolation.level'], scope: 'consumer', help: 'read_committed or read_uncommitted', apply: (s, v, k) => (s.consumer.readUncommitted = oneOf(k, v, { read_committed: 'c', read_uncommitted: 'u' }) === 'u') },
  { names: ['auto.offset.reset'], scope: 'consumer', help: 'earliest or latest: where a partition without a committed offset starts', apply: (s, v, k) => (s.consumer.autoOffsetReset = oneOf<'earliest' | 'latest'>(k, v, { earliest: 'earliest', smallest: 'earliest', beginning: 'earliest', latest: 'latest', largest: 'latest', end: 'latest' })) },
  { names: ['enable.auto.commit'], scope: 'consumer', help: 'with -g, commit what was printed (default true)', apply: (s, v, k) => (s.consumer.enableAutoCommit = bool(k, v)) },
];

const BY_NAME = new Map<string, PropertyDef>();
for (const p of PROPERTIES) for (const n of p.names) BY_NAME.set(n, p);

export function splitBrokers(value: string): string[] {
  const brokers = value
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '');
  if (brokers.length === 0) throw new CliError(`'${value}' names no broker: use host:port[,host:port...]`);
  for (const b of brokers) {
    const m = /^(.+):(\d{1,5})$/.exec(b);
    if (!m || Number(m[2]) > 65535) throw new CliError(`'${b}' is not host:port (e.g. 127.0.0.1:9092)`);
  }
  return brokers;
}

/** Applies `-X` properties in order; throws a CliError naming the first unknown or bad one. */
export function applyClientProperties(settings: ClientSettings, props: Readonly<Record<string, string>>): void {
  for (const [key, value] of Object.entries(props)) {
    const def = BY_NAME.get(key);
    if (def === undefined) {
      throw new CliError(`unknown client property '${key}' in -X ${key}=${value}; known properties: ${[...BY_NAME.keys()].join(', ')} (run with -X list for descriptions)`);
    }
    def.apply(settings, value, key);
  }
}

/** The text `-X list` prints: one property a line with its aliases and what it does. */
export function describeClientProperties(): string {
  const lines = PROPERTIES.map((p) => {
    const aliases = p.names.length > 1 ? ` (alias ${p.names.slice(1).join(', ')})` : '';
    return `${p.names[0].padEnd(38)} ${p.scope.padEnd(9)} ${p.help}${aliases}`;
  });
  return [`${'PROPERTY'.padEnd(38)} ${'SCOPE'.padEnd(9)} MEANING`, ...lines].join('\n') + '\n';
}
