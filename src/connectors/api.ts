/**
 * The connector framework's contract, Kafka Connect's API in TypeScript: what a source or sink
 * connector implements, what the worker gives it, and how it registers itself as a plugin.
 *
 * A connector plugin is a `ConnectorPlugin`: a class name (as Kafka, Debezium or Confluent spell
 * it), aliases (our short names), a `ConfigDef`, and a factory for its `SourceConnector` or
 * `SinkConnector`. The connector splits its config into task configs; the worker runs one
 * `SourceTask` or `SinkTask` per task config.
 *
 * Sources: the worker calls `poll()` in a loop; each `SourceRecord` carries Connect-style key and
 * value (schema + value, see `data.ts`), a topic, and a source partition/offset pair. The worker
 * converts and produces the records (acks=all), then writes their offsets to `_connect-offsets`,
 * and only then calls `commitRecord`/`commit` — the place to acknowledge upstream (e.g. advance a
 * replication slot's confirmed LSN). At restart, `context.offsets.offset(partition)` returns the
 * last committed offset for a source partition.
 *
 * Sinks: the worker consumes `topics`/`topics.regex` through a TopicClient, converts and
 * transforms, and calls `put(records)`. Before it commits consumed offsets it calls
 * `preCommit(offsets)`; the task answers which offsets are safe to commit. Exactly-once sinks
 * store offsets in the target inside the same transaction as the rows, call
 * `context.seek(tp, offset)` from `open()` to resume from them, and return an empty map from
 * `preCommit` (or the offsets they committed themselves).
 *
 * Example (a minimal source plugin):
 *   registerConnectorPlugin({
 *     className: 'com.example.CounterSource', aliases: ['CounterSource'], type: 'source', version: '1.0',
 *     configDef: new ConfigDef().define({ name: 'topic', type: 'string', importance: 'high', doc: 'Target topic.' }),
 *     create: () => new CounterConnector(),
 *   });
 */
import type { Logger } from 'pino';
import type { ConfigDef } from './config-def.ts';
import type { ConnectSchema } from './data.ts';

export type { ConnectSchema, ConnectField, Struct, SchemaAndValue, SchemaType } from './data.ts';
export { Schemas, SemanticTypes, fieldOf, toBigInt, toNumber, inferSchema } from './data.ts';
export { ConfigDef, ConfigValues, atLeast, between, oneOf, nonEmpty } from './config-def.ts';
export type { ConfigKey, ConfigType, Importance, Validator } from './config-def.ts';

/** A connector's or task's configuration as users write it: string keys and string values. */
export type ConnectorConfig = Readonly<Record<string, string>>;

/** Source partition and offset maps, as JSON-serializable plain objects (Connect's `Map<String, ?>`). */
export type SourcePartition = Readonly<Record<string, unknown>>;
export type SourceOffset = Readonly<Record<string, unknown>>;

export interface ConnectHeader {
  readonly key: string;
  /** Raw bytes as they travel in the Kafka record; strings are written as UTF-8. */
  readonly value: Buffer | string | null;
}

/** Fields shared by source and sink records (Connect's `ConnectRecord`). */
export interface ConnectRecord {
  readonly topic: string;
  /** The Kafka partition; for sources, undefined lets the producer choose by key. */
  readonly kafkaPartition?: number;
  readonly keySchema: ConnectSchema | null;
  readonly key: unknown;
  readonly valueSchema: ConnectSchema | null;
  /** null with a key is a tombstone. */
  readonly value: unknown;
  /** Milliseconds since the epoch; the broker's clock when absent. */
  readonly timestamp?: number;
  readonly headers?: readonly ConnectHeader[];
}

export interface SourceRecord extends ConnectRecord {
  readonly sourcePartition: SourcePartition;
  readonly sourceOffset: SourceOffset;
}

export interface SinkRecord extends ConnectRecord {
  readonly kafkaPartition: number;
  readonly kafkaOffset: bigint;
  readonly timestampType: 'CreateTime' | 'LogAppendTime' | 'NoTimestampType';
  /** The record as consumed, for the dead letter queue and error context. */
  readonly original?: { readonly key: Buffer | null; readonly value: Buffer | null; readonly headers: readonly { key: string; value: Buffer | null }[] };
}

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** `topic/partition`, the key of offset maps. */
export function tpKey(tp: TopicPartition): string {
  return `${tp.topic}/${tp.partition}`;
}

/** Where a source record landed. */
export interface RecordMetadata {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
}

/** Reads the committed offsets of a source connector (its `_connect-offsets` entries). */
export interface OffsetStorageReader {
  offset(partition: SourcePartition): SourceOffset | null;
  offsets(partitions: readonly SourcePartition[]): Map<SourcePartition, SourceOffset | null>;
}

export interface ConnectorContext {
  readonly connectorName: string;
  readonly logger: Logger;
  /** Ask the worker to call `taskConfigs` again and restart the tasks (e.g. new tables appeared). */
  requestTaskReconfiguration(): void;
  /** Fail the connector with this error (reported in its status trace). */
  raiseError(err: Error): void;
}

export interface TaskContext {
  readonly connectorName: string;
  readonly taskId: number;
  readonly logger: Logger;
  /** The task's config as the connector produced it, merged over the connector config. */
  readonly config: ConnectorConfig;
}

export interface SourceTaskContext extends TaskContext {
  readonly offsets: OffsetStorageReader;
  /** Ask the worker to commit offsets soon (it also commits every `offset.flush.interval.ms`). */
  requestCommit(): void;
}

export interface SinkTaskContext extends TaskContext {
  /** The partitions currently assigned to the task. */
  assignment(): readonly TopicPartition[];
  /** Reposition consumption: the next record delivered for `tp` is at `offset` (call from `open` or `put`). */
  seek(tp: TopicPartition, offset: bigint): void;
  pause(...tps: TopicPartition[]): void;
  resume(...tps: TopicPartition[]): void;
  requestCommit(): void;
  /**
   * Reports a record the task cannot write (Connect's `ErrantRecordReporter`): with
   * `errors.tolerance=all` it goes to the dead letter queue and the task continues; with `none`
   * this throws the error back and the task fails.
   */
  reportError(record: SinkRecord, error: Error): Promise<void>;
}

export interface SourceTask {
  start(context: SourceTaskContext): Promise<void>;
  /**
   * Returns the next records, or an empty array / null when none are ready. It may wait, but
   * should return within about a second so pause and stop requests are honoured.
   */
  poll(): Promise<SourceRecord[] | null>;
  /** Called after the offsets of every record returned so far are durable in `_connect-offsets`. */
  commit?(): Promise<void>;
  /** Called once per record after it is durable in its topic and its offset is committed. */
  commitRecord?(record: SourceRecord, metadata: RecordMetadata): Promise<void>;
  stop(): Promise<void>;
}

export interface SinkTask {
  start(context: SinkTaskContext): Promise<void>;
  /** Called when partitions are assigned, before any `put` for them. */
  open?(partitions: readonly TopicPartition[]): Promise<void>;
  put(records: readonly SinkRecord[]): Promise<void>;
  /**
   * Optional fast path: buffers a record straight from its wire bytes, as `put` would buffer its
   * converted SinkRecord; false leaves it to the general path. The worker offers records only
   * when no transform is configured and errors are not tolerated (nothing needs the SinkRecord),
   * and calls `put` (maybe with no records) after each round, so batching decisions stay there.
   */
  putWire?(topic: string, partition: number, offset: bigint, value: Buffer, schemas: WireSchemas): boolean;
  /** Make everything `put` so far durable in the target. */
  flush?(offsets: ReadonlyMap<string, bigint>): Promise<void>;
  /**
   * Offsets (next offset to consume, by `tpKey`) the worker may commit to the group. Default:
   * `flush(offsets)` then all of `offsets`. Exactly-once sinks that keep offsets in the target
   * return what they stored (or an empty map).
   */
  preCommit?(offsets: ReadonlyMap<string, bigint>): Promise<ReadonlyMap<string, bigint>>;
  close?(partitions: readonly TopicPartition[]): Promise<void>;
  stop(): Promise<void>;
}

export interface SourceConnector {
  readonly type: 'source';
  start(config: ConnectorConfig, context: ConnectorContext): Promise<void>;
  /** At most `maxTasks` task configs. */
  taskConfigs(maxTasks: number): Promise<ConnectorConfig[]>;
  createTask(): SourceTask;
  stop(): Promise<void>;
  /** Extra validation beyond the ConfigDef (e.g. try to connect); per-key messages. */
  validate?(config: ConnectorConfig): Promise<Record<string, string[]>>;
}

export interface SinkConnector {
  readonly type: 'sink';
  start(config: ConnectorConfig, context: ConnectorContext): Promise<void>;
  taskConfigs(maxTasks: number): Promise<ConnectorConfig[]>;
  createTask(): SinkTask;
  stop(): Promise<void>;
  validate?(config: ConnectorConfig): Promise<Record<string, string[]>>;
}

export type Connector = SourceConnector | SinkConnector;

export interface ConnectorPlugin {
  /** The canonical class name shown by `GET /connector-plugins`, e.g. `io.debezium.connector.postgresql.PostgresConnector`. */
  readonly className: string;
  /** Other accepted names, e.g. our short `PostgresCdcSource`. Matched case-sensitively, like Java class names. */
  readonly aliases: readonly string[];
  readonly type: 'source' | 'sink';
  readonly version: string;
  /** Connector-specific keys; the worker adds the common ones (`name`, `tasks.max`, converters, transforms, errors.*). */
  readonly configDef: ConfigDef;
  create(): Connector;
  /**
   * For a class name shared by several targets (Confluent's `JdbcSinkConnector`): whether this
   * plugin serves the given config. Plugins without `accepts` take every config for their names.
   */
  accepts?(config: ConnectorConfig): boolean;
}

/** A Connect converter: Connect data ⇄ bytes, for keys or values. */
/** Writer schemas a value converter has already fetched, by schema id (sync). */
export interface WireSchemas {
  avroById(id: number): { schema: ConnectSchema; avro: unknown } | undefined;
}

export interface Converter {
  configure(config: ConnectorConfig, isKey: boolean): void;
  fromConnectData(topic: string, schema: ConnectSchema | null, value: unknown): Promise<Buffer | null>;
  toConnectData(topic: string, bytes: Buffer | null): Promise<{ schema: ConnectSchema | null; value: unknown }>;
  /**
   * Optional synchronous fast path for the sink hot loop: the same result as `toConnectData`, or
   * undefined when it needs I/O first (e.g. a schema id not seen yet).
   */
  toConnectDataSync?(topic: string, bytes: Buffer | null): { schema: ConnectSchema | null; value: unknown } | undefined;
  /** The Avro writer schemas seen so far, for sinks that decode wire bytes themselves (`SinkTask.putWire`). */
  readonly wireSchemas?: WireSchemas;
}

/** A single message transform (SMT). Returning null drops the record. */
export interface Transformation {
  configure(config: ConnectorConfig): void;
  apply<R extends ConnectRecord>(record: R): R | null;
  close?(): void;
}

export interface TransformationPlugin {
  readonly className: string;
  readonly aliases: readonly string[];
  readonly configDef: ConfigDef;
  create(): Transformation;
}

export { registerConnectorPlugin, registerTransformation, registerConverter, findConnectorPlugin, connectorPlugins } from './plugins.ts';
