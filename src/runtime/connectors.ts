/**
 * Source and sink factories for the planner: a scan of a catalog table becomes a
 * `KafkaTopicSource` reading the requested columns from the record key, value and metadata (a
 * filesystem table's scan a bounded `FileSystemSource`); an INSERT target becomes a `KafkaTopicSink` (append, or upsert keyed by the primary key).
 */
import type { TopicClient } from '../client/topic-client.ts';
import { resolve } from 'node:path';
import { FileSystemSink, FileSystemSource } from '../connectors/filesystem/index.ts';
import { KafkaTopicSink, KafkaTopicSource } from '../connectors/kafka/index.ts';
import type { SourceColumn, TopicSinkOptions, TopicSourceProgress } from '../connectors/kafka/index.ts';
import type { ColumnDef, Sink, Source } from '../operators/index.ts';
import type { CatalogTable } from '../planner/catalog.ts';
import type { ScanWatermark } from '../planner/index.ts';
import type { RegistryClient } from '../schema-registry/index.ts';
import type { ResolvedTable } from './catalog.ts';
import { effective, idleTimeoutMs } from './session.ts';
import type { SessionProperties } from './session.ts';

export class ConnectorError extends Error {}

export interface SourceContext {
  readonly topics: TopicClient;
  readonly registry: RegistryClient;
  readonly properties: SessionProperties;
  /** Forces bounded reads (statement runs over what exists now). */
  readonly bounded?: boolean;
  /** Relative 'path' options of filesystem tables resolve against this (default: the working directory). */
  readonly fileRoot?: string;
}

/** Where each requested column comes from in the record. */
export function sourceColumns(table: CatalogTable, names: readonly string[]): SourceColumn[] {
  const origins = (table as Partial<ResolvedTable>).origins;
  const keyFields = new Set((table.options['key.fields'] ?? '').split(';').filter((s) => s !== ''));
  return names.map((name): SourceColumn => {
    const col = table.columns.find((c) => c.name === name);
    if (col === undefined) throw new ConnectorError(`table '${table.name}' has no column '${name}'`);
    if (col.kind === 'metadata') {
      const key = col.metadataKey ?? col.name;
      if (key === 'timestamp') return { name, type: col.type, from: 'timestamp' };
      if (key === 'partition') return { name, type: col.type, from: 'partition' };
      if (key === 'offset') return { name, type: col.type, from: 'offset' };
      throw new ConnectorError(`metadata key '${key}' of column '${name}' is not one Runnel reads (timestamp, partition, offset)`);
    }
    if (col.kind === 'computed') throw new ConnectorError(`computed column '${name}' is evaluated by the plan, not read from the topic`);
    const o = origins?.get(name);
    if (o !== undefined) return { name, type: col.type, from: o.part, field: o.field };
    return { name, type: col.type, from: keyFields.has(name) ? 'key' : 'value', field: name };
  });
}

/**
 * The source of a scan; with the plan's `watermark` strategy it generates the watermarks itself,
 * per partition (see KafkaTopicSource).
 */
export function createTopicSource(ctx: SourceContext, scan: { table: CatalogTable; columns: readonly string[]; watermark?: ScanWatermark; deletes?: boolean }, onCreate?: (s: KafkaTopicSource) => void): Source {
  const { table, watermark: wm } = scan;
  if (table.options.connector === 'filesystem') return createFileSystemSource(ctx, table, scan.columns);
  const columns = sourceColumns(table, scan.columns);
  const watermark = wm === undefined ? null : { expr: wm.expr, delayMs: wm.delayMs };
  const topic = table.options.topic ?? table.name;
  const bounded = ctx.bounded === true || effective(ctx.properties, 'sql.tables.scan.bounded') === 'true';
  const startMode = table.options['scan.startup.mode'] ?? effective(ctx.properties, 'sql.tables.scan.startup.mode');
  const src = new KafkaTopicSource({
    topics: ctx.topics, registry: ctx.registry, topic, columns, watermark, bounded,
    idleTimeoutMs: wm?.idleTimeoutMs ?? idleTimeoutMs(ctx.properties),
    startFrom: startMode === 'latest-offset' ? 'latest' : 'earliest',
    name: `KafkaTopicSource(${topic})`,
    ...(scan.deletes === true ? { deletes: { keyColumns: table.primaryKey ?? [] } } : {}),
  });
  onCreate?.(src);
  return src;
}

/** A scan of a filesystem table: the whole file, read once (bounded); a relative 'path' resolves against `fileRoot`. */
export function createFileSystemSource(ctx: { fileRoot?: string }, table: CatalogTable, names: readonly string[]): FileSystemSource {
  const format = table.options.format;
  if (format !== 'csv' && format !== 'parquet') throw new ConnectorError(`table '${table.name}': 'format' = '${format}' cannot be read (csv or parquet)`);
  const columns = names.map((name) => {
    const col = table.columns.find((c) => c.name === name && c.kind === 'physical');
    if (col === undefined) throw new ConnectorError(`filesystem table '${table.name}' has no column '${name}'`);
    return { name, type: col.type };
  });
  return new FileSystemSource({ path: resolve(ctx.fileRoot ?? process.cwd(), table.options.path ?? ''), format, columns, name: `FileSystemSource(${table.name})` });
}

/**
 * The sink of an INSERT into a filesystem table: the query's columns take the table's names
 * (positionally, as for topics); a relative 'path' is resolved against `fileRoot`.
 */
export function createFileSystemSink(ctx: { fileRoot?: string; writerId: string }, table: CatalogTable, schema: readonly ColumnDef[]): FileSystemSink {
  if (table.options.format !== 'parquet') throw new ConnectorError(`INSERT INTO ${table.name}: the filesystem sink writes 'format' = 'parquet' only (the table is '${table.options.format}')`);
  const physical = table.columns.filter((c) => c.kind === 'physical');
  const data = schema.filter((c) => c.name !== '$row_kind');
  if (data.length !== physical.length) {
    throw new ConnectorError(`INSERT INTO ${table.name}: the query has ${data.length} columns but the table has ${physical.length} (${physical.map((c) => c.name).join(', ')})`);
  }
  return new FileSystemSink({
    path: resolve(ctx.fileRoot ?? process.cwd(), table.options.path ?? ''),
    columns: physical.map((c, i) => ({ name: c.name, type: data[i].type })),
    partitionKeys: table.partitionKeys ?? [],
    id: ctx.writerId,
    name: `FileSystemSink(${table.name})`,
  });
}

/** The sink of an INSERT: positional when the query's column names differ from the table's. */
export function createTopicSink(ctx: { topics: TopicClient; registry: RegistryClient }, table: CatalogTable, schema: readonly ColumnDef[],
  delivery: Pick<TopicSinkOptions, 'transactionalIdPrefix' | 'onWarning'> = {}): KafkaTopicSink {
  const physical = table.columns.filter((c) => c.kind === 'physical').map((c) => c.name);
  const origins = (table as Partial<ResolvedTable>).origins;
  const keyFields = new Set((table.options['key.fields'] ?? '').split(';').filter((s) => s !== ''));
  const isKey = (n: string): boolean => (origins?.get(n)?.part ?? (keyFields.has(n) ? 'key' : 'value')) === 'key';
  const data = schema.filter((c) => c.name !== '$row_kind');
  if (data.length < physical.length) {
    throw new ConnectorError(`INSERT INTO ${table.name}: the query has ${data.length} columns but the table has ${physical.length} (${physical.join(', ')})`);
  }
  const byName = physical.every((n) => data.some((c) => c.name === n));
  const rename = byName ? null : physical;
  const keyColumns = physical.filter(isKey);
  const upsert = table.changelogMode === 'upsert';
  const sink = new KafkaTopicSink({
    topics: ctx.topics, registry: ctx.registry, topic: table.options.topic ?? table.name,
    changelogMode: upsert ? 'upsert' : 'append',
    keyColumns: upsert && keyColumns.length === 0 ? [...(table.primaryKey ?? [])] : keyColumns,
    valueColumns: physical.filter((n) => !isKey(n)),
    name: `KafkaTopicSink(${table.name})`,
    ...(rename === null ? {} : { renameColumns: rename }),
    ...delivery,
  });
  return sink;
}

export type { TopicSourceProgress };
