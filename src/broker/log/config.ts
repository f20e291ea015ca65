/**
 * Topic configs, by Kafka's names ("Topic-Level Configs" in Kafka's configuration docs): the
 * table users read and set through CreateTopics, AlterConfigs and DescribeConfigs, and the
 * {@link LogConfig} the partition log acts on.
 *
 * Three kinds of names are accepted:
 * - the ones the log acts on (they map onto a {@link LogConfig} field);
 * - names Kafka accepts that Runnel stores and describes but does not act on, so tools that set
 *   them (Terraform providers, Strimzi, kafka-configs.sh scripts) keep working:
 *   {@link acceptedNotActedOn};
 * - `confluent.key.schema.validation` and `confluent.value.schema.validation`, booleans read by the
 *   schema-validation module, not by the log.
 * Any other name is an INVALID_CONFIG error.
 */
import { ErrorCode, KafkaProtocolError } from '../protocol/index.ts';

export interface LogConfig {
  /** segment.bytes: roll the active segment before it grows past this. */
  segmentBytes: number;
  /** segment.ms: roll the active segment once it is this old. */
  segmentMs: number;
  /** segment.index.bytes: size limit of a segment's offset and time index files. */
  segmentIndexBytes: number;
  /** index.interval.bytes: log bytes between two sparse index entries. */
  indexIntervalBytes: number;
  /** retention.ms: delete closed segments whose newest record is older than this; -1 keeps forever. */
  retentionMs: number;
  /** retention.bytes: per-partition size limit for deletion; -1 is unlimited. */
  retentionBytes: number;
  /** cleanup.policy: "delete", "compact" or both. */
  cleanupPolicy: readonly ('delete' | 'compact')[];
  /** delete.retention.ms: how long a tombstone outlives the cleaning of its segment. */
  deleteRetentionMs: number;
  /** min.compaction.lag.ms: a record stays uncompacted at least this long. */
  minCompactionLagMs: number;
  /** min.cleanable.dirty.ratio: compact once dirty bytes / all bytes reaches this. */
  minCleanableDirtyRatio: number;
  /** max.message.bytes: the largest record batch the log accepts. */
  maxMessageBytes: number;
  /** message.timestamp.type: keep producers' timestamps or stamp the broker's clock. */
  messageTimestampType: 'CreateTime' | 'LogAppendTime';
  /** file.delete.delay.ms: deleted segment files linger this long before being unlinked. */
  fileDeleteDelayMs: number;
}

/** DescribeConfigs' config_type names (KIP-336); {@link configTypeCode} gives the wire numbers. */
export type ConfigType = 'BOOLEAN' | 'STRING' | 'INT' | 'LONG' | 'DOUBLE' | 'LIST';

export const configTypeCode: Readonly<Record<ConfigType, number>> = {
  BOOLEAN: 1,
  STRING: 2,
  INT: 3,
  LONG: 5,
  DOUBLE: 6,
  LIST: 7,
};

/** A config the user named is unknown or its value is invalid. Answers INVALID_CONFIG. */
export class InvalidConfigError extends KafkaProtocolError {
  constructor(
    readonly configName: string,
    message: string,
  ) {
    super(ErrorCode.INVALID_CONFIG, message);
    this.name = 'InvalidConfigError';
  }
}

export interface TopicConfigDef {
  readonly name: string;
  readonly type: ConfigType;
  readonly defaultValue: string;
  readonly documentation: string;
  /** Returns why the value is invalid (completing "<name> must be ..."), or null when valid. */
  readonly validate: (value: string) => string | null;
  /** The LogConfig field it sets; absent for names accepted but not acted on by the log. */
  readonly field?: keyof LogConfig;
}

const int32Max = 2 ** 31 - 1;
const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;

function longAtLeast(min: number): (v: string) => string | null {
  return (v) => {
    if (!/^-?\d+$/.test(v.trim())) return `a long >= ${min}`;
    const n = BigInt(v.trim());
    return n < BigInt(min) || n < int64Min || n > int64Max ? `a long >= ${min}` : null;
  };
}

function anyLong(v: string): string | null {
  if (!/^-?\d+$/.test(v.trim())) return 'a long';
  const n = BigInt(v.trim());
  return n < int64Min || n > int64Max ? 'a long' : null;
}

function intAtLeast(min: number): (v: string) => string | null {
  return (v) => {
    if (!/^-?\d+$/.test(v.trim())) return `an int >= ${min}`;
    const n = Number(v.trim());
    return n < min || n > int32Max ? `an int >= ${min}` : null;
  };
}

function doubleBetween(min: number, max: number): (v: string) => string | null {
  return (v) => {
    const n = Number(v.trim());
    return v.trim() === '' || !Number.isFinite(n) || n < min || n > max ? `a double between ${min} and ${max}` : null;
  };
}

function oneOf(values: readonly string[]): (v: string) => string | null {
  return (v) => (values.includes(v.trim()) ? null : `one of ${values.join(', ')}`);
}

function listOf(values: readonly string[]): (v: string) => string | null {
  return (v) => {
    const items = splitList(v);
    return items.every((i) => values.includes(i)) ? null : `a comma-separated list of ${values.join(', ')}`;
  };
}

function bool(v: string): string | null {
  return /^(true|false)$/i.test(v.trim()) ? null : 'a boolean (true or false)';
}

const anyString = (): string | null => null;

function splitList(v: string): string[] {
  return v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Every topic config name Runnel accepts, with Kafka's defaults. */
export const topicConfigDefs: readonly TopicConfigDef[] = [
  { name: 'cleanup.policy', type: 'LIST', defaultValue: 'delete', field: 'cleanupPolicy', validate: listOf(['delete', 'compact']), documentation: 'Retention policy for old segments: "delete" discards them by time or size, "compact" keeps the latest record per key; both may be given.' },
  { name: 'delete.retention.ms', type: 'LONG', defaultValue: '86400000', field: 'deleteRetentionMs', validate: longAtLeast(0), documentation: 'How long tombstones of a compacted topic are kept after their segment was cleaned, so consumers can see them.' },
  { name: 'file.delete.delay.ms', type: 'LONG', defaultValue: '60000', field: 'fileDeleteDelayMs', validate: longAtLeast(0), documentation: 'How long a deleted segment file lingers before it is removed from the file system.' },
  { name: 'index.interval.bytes', type: 'INT', defaultValue: '4096', field: 'indexIntervalBytes', validate: intAtLeast(0), documentation: 'Log bytes between two entries of the sparse offset index.' },
  { name: 'max.message.bytes', type: 'INT', defaultValue: '1048588', field: 'maxMessageBytes', validate: intAtLeast(0), documentation: 'The largest record batch size the log accepts.' },
  { name: 'message.timestamp.type', type: 'STRING', defaultValue: 'CreateTime', field: 'messageTimestampType', validate: oneOf(['CreateTime', 'LogAppendTime']), documentation: 'Whether record timestamps are the producer\'s (CreateTime) or the broker\'s append time (LogAppendTime).' },
  { name: 'min.cleanable.dirty.ratio', type: 'DOUBLE', defaultValue: '0.5', field: 'minCleanableDirtyRatio', validate: doubleBetween(0, 1), documentation: 'Compaction starts once uncompacted bytes make up at least this fraction of the log.' },
  { name: 'min.compaction.lag.ms', type: 'LONG', defaultValue: '0', field: 'minCompactionLagMs', validate: longAtLeast(0), documentation: 'The minimum time a record stays uncompacted.' },
  { name: 'retention.bytes', type: 'LONG', defaultValue: '-1', field: 'retentionBytes', validate: anyLong, documentation: 'Maximum size of a partition before old segments are deleted ("delete" policy); -1 is unlimited.' },
  { name: 'retention.ms', type: 'LONG', defaultValue: '604800000', field: 'retentionMs', validate: longAtLeast(-1), documentation: 'How long a segment is kept after its newest record before it is deleted ("delete" policy); -1 keeps it forever.' },
  { name: 'segment.bytes', type: 'INT', defaultValue: '1073741824', field: 'segmentBytes', validate: intAtLeast(14), documentation: 'Size of a log segment file; a new segment starts when it is full.' },
  { name: 'segment.index.bytes', type: 'INT', defaultValue: '10485760', field: 'segmentIndexBytes', validate: intAtLeast(4), documentation: 'Size limit of the offset and time index files of a segment; a new segment starts when one is full.' },
  { name: 'segment.ms', type: 'LONG', defaultValue: '604800000', field: 'segmentMs', validate: longAtLeast(1), documentation: 'Time after which the active segment is rolled even if not full, so retention and compaction can act on it.' },
  // Accepted and described, not acted on by the log (see the module comment).
  { name: 'compression.type', type: 'STRING', defaultValue: 'producer', validate: oneOf(['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer']), documentation: 'Final compression of the topic\'s batches; Runnel keeps the producer\'s ("producer").' },
  { name: 'flush.messages', type: 'LONG', defaultValue: '9223372036854775807', validate: longAtLeast(1), documentation: 'Accepted for compatibility; Runnel fsyncs on acknowledgement (group commit).' },
  { name: 'flush.ms', type: 'LONG', defaultValue: '9223372036854775807', validate: longAtLeast(0), documentation: 'Accepted for compatibility; Runnel fsyncs on acknowledgement (group commit).' },
  { name: 'follower.replication.throttled.replicas', type: 'LIST', defaultValue: '', validate: anyString, documentation: 'Accepted for compatibility; Runnel runs a single node.' },
  { name: 'leader.replication.throttled.replicas', type: 'LIST', defaultValue: '', validate: anyString, documentation: 'Accepted for compatibility; Runnel runs a single node.' },
  { name: 'local.retention.bytes', type: 'LONG', defaultValue: '-2', validate: longAtLeast(-2), documentation: 'Accepted for compatibility (tiered storage).' },
  { name: 'local.retention.ms', type: 'LONG', defaultValue: '-2', validate: longAtLeast(-2), documentation: 'Accepted for compatibility (tiered storage).' },
  { name: 'max.compaction.lag.ms', type: 'LONG', defaultValue: '9223372036854775807', validate: longAtLeast(1), documentation: 'Accepted for compatibility; not enforced.' },
  { name: 'message.downconversion.enable', type: 'BOOLEAN', defaultValue: 'true', validate: bool, documentation: 'Accepted for compatibility; Runnel stores and serves RecordBatch v2 only.' },
  { name: 'message.format.version', type: 'STRING', defaultValue: '3.0-IV1', validate: anyString, documentation: 'Accepted for compatibility; Runnel stores RecordBatch v2 only.' },
  { name: 'message.timestamp.after.max.ms', type: 'LONG', defaultValue: '9223372036854775807', validate: longAtLeast(0), documentation: 'Accepted for compatibility; not enforced.' },
  { name: 'message.timestamp.before.max.ms', type: 'LONG', defaultValue: '9223372036854775807', validate: longAtLeast(0), documentation: 'Accepted for compatibility; not enforced.' },
  { name: 'message.timestamp.difference.max.ms', type: 'LONG', defaultValue: '9223372036854775807', validate: longAtLeast(0), documentation: 'Accepted for compatibility; not enforced.' },
  { name: 'min.insync.replicas', type: 'INT', defaultValue: '1', validate: intAtLeast(1), documentation: 'Accepted for compatibility; Runnel runs a single node.' },
  { name: 'preallocate', type: 'BOOLEAN', defaultValue: 'false', validate: bool, documentation: 'Accepted for compatibility; segments are not preallocated.' },
  { name: 'remote.storage.enable', type: 'BOOLEAN', defaultValue: 'false', validate: bool, documentation: 'Accepted for compatibility (tiered storage).' },
  { name: 'segment.jitter.ms', type: 'LONG', defaultValue: '0', validate: longAtLeast(0), documentation: 'Accepted for compatibility; not applied.' },
  { name: 'unclean.leader.election.enable', type: 'BOOLEAN', defaultValue: 'false', validate: bool, documentation: 'Accepted for compatibility; Runnel runs a single node.' },
  // Read by the schema-validation module (Confluent Server's broker-side schema validation).
  { name: 'confluent.key.schema.validation', type: 'BOOLEAN', defaultValue: 'false', validate: bool, documentation: 'Reject records whose key is not framed with a schema id registered for the topic\'s key subject.' },
  { name: 'confluent.value.schema.validation', type: 'BOOLEAN', defaultValue: 'false', validate: bool, documentation: 'Reject records whose value is not framed with a schema id registered for the topic\'s value subject.' },
];

const defsByName = new Map(topicConfigDefs.map((d) => [d.name, d]));

/** Names Kafka accepts that the log stores but does not act on. */
export const acceptedNotActedOn: readonly string[] = topicConfigDefs.filter((d) => d.field === undefined).map((d) => d.name);

/** Checks one name and value; throws {@link InvalidConfigError} naming the key and why. */
export function validateTopicConfig(name: string, value: string): void {
  const def = defsByName.get(name);
  if (def === undefined) throw new InvalidConfigError(name, `unknown topic config '${name}'`);
  const problem = def.validate(value);
  if (problem !== null) throw new InvalidConfigError(name, `${name} must be ${problem}, got '${value}'`);
}

function toNumber(type: ConfigType, value: string): number {
  return type === 'DOUBLE' ? Number(value.trim()) : Number(BigInt(value.trim()));
}

/**
 * Parses topic configs (Kafka's names and string values) over `base` (e.g. the broker's
 * defaults) into a LogConfig. Throws {@link InvalidConfigError} on the first bad entry.
 *
 * @example parseTopicConfigs({ 'cleanup.policy': 'compact', 'segment.bytes': '1048576' })
 */
export function parseTopicConfigs(entries: Readonly<Record<string, string>>, base: Readonly<Record<string, string>> = {}): LogConfig {
  const merged: Record<string, string> = { ...base, ...entries };
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(merged)) validateTopicConfig(name, value);
  for (const def of topicConfigDefs) {
    if (def.field === undefined) continue;
    const value = merged[def.name] ?? def.defaultValue;
    if (def.type === 'LIST') out[def.field] = Object.freeze([...new Set(splitList(value))]);
    else if (def.type === 'STRING') out[def.field] = value.trim();
    else out[def.field] = toNumber(def.type, value);
  }
  return Object.freeze(out) as unknown as LogConfig;
}

/** Kafka's defaults as a LogConfig. */
export const defaultLogConfig: LogConfig = parseTopicConfigs({});

export interface DescribedConfig {
  name: string;
  value: string;
  isDefault: boolean;
  isSensitive: false;
  readOnly: boolean;
  type: ConfigType;
  documentation: string;
}

/**
 * Every topic config with its effective value, for DescribeConfigs. Clients read-modify-write
 * the whole set (kafka-configs.sh, AdminClient.incrementalAlterConfigs), so all names are listed,
 * defaults included.
 */
export function describeTopicConfigs(overrides: Readonly<Record<string, string>>): DescribedConfig[] {
  return topicConfigDefs.map((def) => {
    const override = Object.hasOwn(overrides, def.name) ? overrides[def.name] : undefined;
    return {
      name: def.name,
      value: override ?? def.defaultValue,
      isDefault: override === undefined,
      isSensitive: false,
      readOnly: false,
      type: def.type,
      documentation: def.documentation,
    };
  });
}
