/**
 * Settings shared by the relational sinks, with the Confluent JDBC sink's names: `insert.mode`
 * (insert | upsert; `update` is read as upsert), `pk.mode` (none | kafka | record_key |
 * record_value), `pk.fields`, `auto.create`, `auto.evolve`, `delete.enabled`,
 * `table.name.format` (`${topic}` is replaced), `batch.size`, plus `flush.interval.ms` (rows are
 * buffered up to `batch.size` or this long) and `offsets.table.name` (where exactly-once offsets
 * are kept, in the same transaction as the rows).
 */
import { ConfigDef, atLeast, oneOf, type ConfigValues } from '../config-def.ts';

export function sqlSinkConfigDef(deleteDefault: boolean): ConfigDef {
  return new ConfigDef()
    .define({ name: 'insert.mode', type: 'string', default: 'insert', importance: 'high', doc: 'insert: plain INSERTs; upsert: insert or replace by primary key.', validator: oneOf('insert', 'upsert', 'update') })
    .define({ name: 'pk.mode', type: 'string', default: null, importance: 'high', doc: 'none, kafka, record_key or record_value (default: record_key for upsert and deletes, none otherwise).', validator: oneOf('none', 'kafka', 'record_key', 'record_value') })
    .define({ name: 'pk.fields', type: 'list', default: [], importance: 'medium', doc: 'Primary key field names (record_key: fields of the key struct, or the name for a primitive key; record_value: fields of the value).' })
    .define({ name: 'auto.create', type: 'boolean', default: false, importance: 'medium', doc: 'Create missing tables from the record schema.' })
    .define({ name: 'auto.evolve', type: 'boolean', default: false, importance: 'medium', doc: 'Add missing columns with ALTER TABLE.' })
    .define({ name: 'delete.enabled', type: 'boolean', default: deleteDefault, importance: 'medium', doc: 'Delete rows for tombstones (null values) and Debezium op=d events; needs pk.mode=record_key.' })
    .define({ name: 'table.name.format', type: 'string', default: '${topic}', importance: 'medium', doc: 'Table name; ${topic} is replaced by the topic name.' })
    .define({ name: 'batch.size', type: 'int', default: 10_000, importance: 'medium', doc: 'Rows buffered before they are written in one transaction (while a write is in flight, up to 4 times as many: the next transaction takes them all).', validator: atLeast(1) })
    .define({ name: 'flush.interval.ms', type: 'long', default: 1000, importance: 'low', doc: 'Longest a buffered row waits before it is written.', validator: atLeast(0) })
    .define({ name: 'offsets.table.name', type: 'string', default: '_runnel_connect_offsets', importance: 'low', doc: 'Table holding consumed offsets, written in the same transaction as the rows.' });
}

export interface SqlSinkSettings {
  insertMode: 'insert' | 'upsert';
  pkMode: 'none' | 'kafka' | 'record_key' | 'record_value';
  pkFields: string[];
  autoCreate: boolean;
  autoEvolve: boolean;
  deleteEnabled: boolean;
  tableNameFormat: string;
  batchSize: number;
  flushIntervalMs: number;
  offsetsTable: string;
}

export function sqlSinkSettings(v: ConfigValues): SqlSinkSettings {
  const mode = v.getString('insert.mode');
  const insertMode = mode === 'insert' ? 'insert' : 'upsert';
  const deleteEnabled = v.getBoolean('delete.enabled');
  const pk = v.getOptionalString('pk.mode');
  return {
    insertMode,
    pkMode: (pk ?? (insertMode === 'upsert' || deleteEnabled ? 'record_key' : 'none')) as SqlSinkSettings['pkMode'],
    pkFields: v.getList('pk.fields'),
    autoCreate: v.getBoolean('auto.create'),
    autoEvolve: v.getBoolean('auto.evolve'),
    deleteEnabled,
    tableNameFormat: v.getString('table.name.format'),
    batchSize: v.getInt('batch.size'),
    flushIntervalMs: v.getInt('flush.interval.ms'),
    offsetsTable: v.getString('offsets.table.name'),
  };
}

/** Cross-key checks, reported per key by `validate`. */
export function sqlSinkProblems(s: SqlSinkSettings): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (s.insertMode === 'upsert' && s.pkMode === 'none') out['pk.mode'] = ['Primary key mode must not be none when using upsert mode'];
  if (s.deleteEnabled && s.pkMode !== 'record_key') out['delete.enabled'] = ['Deletes are only supported for pk.mode record_key'];
  return out;
}
