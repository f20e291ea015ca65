/**
 * The connector's options, by Debezium's names and with Debezium's defaults where we follow them
 * (PostgreSQL connector documentation, "Connector properties"). One departure: truncates are
 * emitted by default (`skipped.operations` defaults to `none`, Debezium's to `t`), since our
 * sinks apply them.
 */
import { ConfigDef, atLeast, oneOf, type ConfigValues, type ConnectorConfig } from '../api.ts';
import type { PgConnectionOptions } from './replication-connection.ts';
import type { DecimalHandlingMode, MappingOptions, TimePrecisionMode } from './type-mapping.ts';

export type SnapshotMode = 'initial' | 'never' | 'initial_only' | 'when_needed' | 'no_data' | 'always';
export type PublicationAutocreateMode = 'all_tables' | 'filtered' | 'disabled';

export const postgresCdcConfigDef = new ConfigDef()
  .define({ name: 'database.hostname', type: 'string', importance: 'high', doc: 'PostgreSQL server host.' })
  .define({ name: 'database.port', type: 'int', default: 5432, importance: 'high', doc: 'PostgreSQL server port.' })
  .define({ name: 'database.user', type: 'string', importance: 'high', doc: 'User with REPLICATION (and, for publication autocreate, CREATE) privileges.' })
  .define({ name: 'database.password', type: 'password', default: null, importance: 'high', doc: 'Password.' })
  .define({ name: 'database.dbname', type: 'string', importance: 'high', doc: 'Database to capture.' })
  .define({ name: 'topic.prefix', type: 'string', importance: 'high', doc: 'Logical server name: topics are <topic.prefix>.<schema>.<table>.' })
  .define({ name: 'plugin.name', type: 'string', default: 'pgoutput', importance: 'medium', doc: 'Logical decoding plugin; only pgoutput is supported.', validator: oneOf('pgoutput') })
  .define({ name: 'slot.name', type: 'string', default: 'debezium', importance: 'medium', doc: 'Replication slot name.' })
  .define({ name: 'slot.drop.on.stop', type: 'boolean', default: false, importance: 'low', doc: 'Drop the slot when the connector stops cleanly.' })
  .define({ name: 'publication.name', type: 'string', default: 'dbz_publication', importance: 'medium', doc: 'Publication the slot streams.' })
  .define({
    name: 'publication.autocreate.mode',
    type: 'string',
    default: 'all_tables',
    importance: 'medium',
    doc: 'all_tables: CREATE PUBLICATION ... FOR ALL TABLES if missing; filtered: a publication of the included tables (kept in step with the filters); disabled: it must exist.',
    validator: oneOf('all_tables', 'filtered', 'disabled'),
  })
  .define({ name: 'schema.include.list', type: 'list', default: null, importance: 'medium', doc: 'Regular expressions for schema names to capture.' })
  .define({ name: 'schema.exclude.list', type: 'list', default: null, importance: 'medium', doc: 'Regular expressions for schema names not to capture.' })
  .define({ name: 'table.include.list', type: 'list', default: null, importance: 'medium', doc: 'Regular expressions for <schema>.<table> to capture.' })
  .define({ name: 'table.exclude.list', type: 'list', default: null, importance: 'medium', doc: 'Regular expressions for <schema>.<table> not to capture.' })
  .define({
    name: 'snapshot.mode',
    type: 'string',
    default: 'initial',
    importance: 'medium',
    doc: 'initial: snapshot when there are no offsets; never/no_data: stream only; initial_only: snapshot, then stop; when_needed: snapshot when there are no offsets or they cannot be resumed; always: snapshot at every start.',
    validator: oneOf('initial', 'never', 'initial_only', 'when_needed', 'no_data', 'always'),
  })
  .define({ name: 'snapshot.fetch.size', type: 'int', default: 10240, importance: 'low', doc: 'Rows fetched per round trip while snapshotting.', validator: atLeast(1) })
  .define({ name: 'heartbeat.interval.ms', type: 'int', default: 0, importance: 'medium', doc: 'Emit a heartbeat record this often when idle, so the slot advances (0 = off).', validator: atLeast(0) })
  .define({ name: 'topic.heartbeat.prefix', type: 'string', default: '__debezium-heartbeat', importance: 'low', doc: 'Heartbeats go to <prefix>.<topic.prefix>.' })
  .define({ name: 'heartbeat.action.query', type: 'string', default: null, importance: 'low', doc: 'SQL run on the source with every heartbeat (e.g. an update of a heartbeat table).' })
  .define({ name: 'decimal.handling.mode', type: 'string', default: 'precise', importance: 'medium', doc: 'numeric as precise (Decimal bytes), double, or string.', validator: oneOf('precise', 'double', 'string') })
  .define({
    name: 'time.precision.mode',
    type: 'string',
    default: 'adaptive',
    importance: 'medium',
    doc: 'adaptive, adaptive_time_microseconds or connect.',
    validator: oneOf('adaptive', 'adaptive_time_microseconds', 'connect'),
  })
  .define({ name: 'tombstones.on.delete', type: 'boolean', default: true, importance: 'medium', doc: 'Follow each delete event with a tombstone (key, null value).' })
  .define({ name: 'skipped.operations', type: 'list', default: ['none'], importance: 'low', doc: 'Operations not emitted: c, u, d, t, or none.' })
  .define({ name: 'max.batch.size', type: 'int', default: 2048, importance: 'low', doc: 'Records returned per poll.', validator: atLeast(1) })
  .define({ name: 'max.queue.size', type: 'int', default: 8192, importance: 'low', doc: 'Replication messages buffered before reading from the server pauses.', validator: atLeast(1) })
  .define({ name: 'poll.interval.ms', type: 'int', default: 500, importance: 'low', doc: 'How long a poll waits for changes.', validator: atLeast(1) });

export interface CdcConfig {
  readonly connection: PgConnectionOptions;
  readonly topicPrefix: string;
  readonly slotName: string;
  readonly slotDropOnStop: boolean;
  readonly publicationName: string;
  readonly publicationAutocreateMode: PublicationAutocreateMode;
  readonly filters: TableFilters;
  readonly snapshotMode: SnapshotMode;
  readonly snapshotFetchSize: number;
  readonly heartbeatIntervalMs: number;
  readonly heartbeatTopic: string;
  readonly heartbeatActionQuery: string | null;
  readonly mapping: MappingOptions;
  readonly tombstonesOnDelete: boolean;
  readonly skippedOperations: ReadonlySet<string>;
  readonly maxBatchSize: number;
  readonly maxQueueSize: number;
  readonly pollIntervalMs: number;
}

export interface TableFilters {
  readonly schemaInclude: readonly RegExp[];
  readonly schemaExclude: readonly RegExp[];
  readonly tableInclude: readonly RegExp[];
  readonly tableExclude: readonly RegExp[];
}

/** Debezium's filters match the whole name, case-insensitively. */
function patterns(list: readonly string[]): RegExp[] {
  return list.map((p) => new RegExp(`^(?:${p})$`, 'i'));
}

/** Whether `<schema>.<table>` is captured under the include/exclude lists. */
export function tableIncluded(filters: TableFilters, schema: string, table: string): boolean {
  const full = `${schema}.${table}`;
  if (filters.schemaInclude.length > 0 && !filters.schemaInclude.some((r) => r.test(schema))) return false;
  if (filters.schemaExclude.some((r) => r.test(schema))) return false;
  if (filters.tableInclude.length > 0 && !filters.tableInclude.some((r) => r.test(full))) return false;
  if (filters.tableExclude.some((r) => r.test(full))) return false;
  return true;
}

/** Parses and validates; throws with every problem listed. */
export function parseCdcConfig(raw: ConnectorConfig): CdcConfig {
  const { values, errors } = postgresCdcConfigDef.parse(raw);
  const problems = Object.entries(errors).flatMap(([, msgs]) => msgs);
  if (problems.length > 0) throw new Error(`invalid PostgresCdcSource config: ${problems.join('; ')}`);
  return fromValues(values);
}

function fromValues(c: ConfigValues): CdcConfig {
  const prefix = c.getString('topic.prefix');
  return {
    connection: {
      host: c.getString('database.hostname'),
      port: c.getInt('database.port'),
      user: c.getString('database.user'),
      ...(c.getOptionalString('database.password') !== null ? { password: c.getString('database.password') } : {}),
      database: c.getString('database.dbname'),
    },
    topicPrefix: prefix,
    slotName: c.getString('slot.name'),
    slotDropOnStop: c.getBoolean('slot.drop.on.stop'),
    publicationName: c.getString('publication.name'),
    publicationAutocreateMode: c.getString('publication.autocreate.mode').toLowerCase() as PublicationAutocreateMode,
    filters: {
      schemaInclude: patterns(c.getList('schema.include.list')),
      schemaExclude: patterns(c.getList('schema.exclude.list')),
      tableInclude: patterns(c.getList('table.include.list')),
      tableExclude: patterns(c.getList('table.exclude.list')),
    },
    snapshotMode: c.getString('snapshot.mode').toLowerCase() as SnapshotMode,
    snapshotFetchSize: c.getInt('snapshot.fetch.size'),
    heartbeatIntervalMs: c.getInt('heartbeat.interval.ms'),
    heartbeatTopic: `${c.getString('topic.heartbeat.prefix')}.${prefix}`,
    heartbeatActionQuery: c.getOptionalString('heartbeat.action.query'),
    mapping: {
      decimalHandlingMode: c.getString('decimal.handling.mode').toLowerCase() as DecimalHandlingMode,
      timePrecisionMode: c.getString('time.precision.mode').toLowerCase() as TimePrecisionMode,
    },
    tombstonesOnDelete: c.getBoolean('tombstones.on.delete'),
    skippedOperations: new Set(c.getList('skipped.operations').map((s) => s.toLowerCase()).filter((s) => s !== 'none')),
    maxBatchSize: c.getInt('max.batch.size'),
    maxQueueSize: c.getInt('max.queue.size'),
    pollIntervalMs: c.getInt('poll.interval.ms'),
  };
}
