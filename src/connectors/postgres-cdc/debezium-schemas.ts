/**
 * Debezium's schemas for PostgreSQL change events: the `source` block
 * (`io.debezium.connector.postgresql.Source`), the transaction block, the per-table Key, Value
 * and Envelope structs (`<topic.prefix>.<schema>.<table>.Key|Value|Envelope`), and the
 * heartbeat key and value. Field order and optionality follow Debezium's `SchemaFactory`,
 * `PostgresSourceInfoStructMaker` and `Envelope` (envelope schema version 2).
 */
import { Schemas, type ConnectField, type ConnectSchema } from '../api.ts';

export const CONNECTOR_NAME = 'postgresql';
/** `source.version`: this connector's version, in Debezium's spelling. */
export const CONNECTOR_VERSION = '0.1.0.Runnel';

const SNAPSHOT_VALUES = ['true', 'first', 'first_in_data_collection', 'last_in_data_collection', 'last', 'false', 'incremental'];

export const SOURCE_SCHEMA: ConnectSchema = Schemas.struct(
  'io.debezium.connector.postgresql.Source',
  [
    Schemas.field('version', Schemas.string()),
    Schemas.field('connector', Schemas.string()),
    Schemas.field('name', Schemas.string()),
    Schemas.field('ts_ms', Schemas.int64()),
    Schemas.field('snapshot', Schemas.enumOf(SNAPSHOT_VALUES, { optional: true, default: 'false' })),
    Schemas.field('db', Schemas.string()),
    Schemas.field('sequence', Schemas.string({ optional: true })),
    Schemas.field('ts_us', Schemas.int64({ optional: true })),
    Schemas.field('ts_ns', Schemas.int64({ optional: true })),
    Schemas.field('schema', Schemas.string()),
    Schemas.field('table', Schemas.string()),
    Schemas.field('txId', Schemas.int64({ optional: true })),
    Schemas.field('lsn', Schemas.int64({ optional: true })),
    Schemas.field('xmin', Schemas.int64({ optional: true })),
  ],
  { version: 1 },
);

export const TRANSACTION_BLOCK_SCHEMA: ConnectSchema = Schemas.struct(
  'event.block',
  [Schemas.field('id', Schemas.string()), Schemas.field('total_order', Schemas.int64()), Schemas.field('data_collection_order', Schemas.int64())],
  { optional: true, version: 1 },
);

/** Envelope fields after `before`, `after`: always the same. */
const ENVELOPE_TAIL: readonly ConnectField[] = [
  Schemas.field('source', SOURCE_SCHEMA),
  Schemas.field('transaction', TRANSACTION_BLOCK_SCHEMA),
  Schemas.field('op', Schemas.string()),
  Schemas.field('ts_ms', Schemas.int64({ optional: true })),
  Schemas.field('ts_us', Schemas.int64({ optional: true })),
  Schemas.field('ts_ns', Schemas.int64({ optional: true })),
];

export interface TableSchemas {
  /** null for a table without a primary key (its messages have null keys). */
  readonly key: ConnectSchema | null;
  /** The row struct, optional (it is `before`/`after`). */
  readonly value: ConnectSchema;
  readonly envelope: ConnectSchema;
}

/** Column fields (already optional where the column is nullable) → the table's three schemas. */
export function tableSchemas(topic: string, columns: readonly ConnectField[], keyColumns: readonly string[]): TableSchemas {
  const value = Schemas.struct(`${topic}.Value`, columns, { optional: true });
  const keyFields = keyColumns.map((name) => {
    const f = columns.find((c) => c.name === name);
    if (!f) throw new Error(`primary key column '${name}' is not among the columns of ${topic}`);
    return f;
  });
  const key = keyFields.length > 0 ? Schemas.struct(`${topic}.Key`, keyFields) : null;
  const envelope = Schemas.struct(`${topic}.Envelope`, [Schemas.field('before', value), Schemas.field('after', value), ...ENVELOPE_TAIL], { version: 2 });
  return { key, value, envelope };
}

export const HEARTBEAT_KEY_SCHEMA: ConnectSchema = Schemas.struct('io.debezium.connector.common.ServerNameKey', [Schemas.field('serverName', Schemas.string())], { version: 1 });
export const HEARTBEAT_VALUE_SCHEMA: ConnectSchema = Schemas.struct('io.debezium.connector.common.Heartbeat', [Schemas.field('ts_ms', Schemas.int64())], { version: 1 });
