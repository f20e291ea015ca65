/**
 * Statements that finish at once: CREATE TABLE (topic + registry schemas + catalog entry),
 * CREATE VIEW, DROP, ALTER TABLE (watermark, options, computed columns), SHOW, DESCRIBE, SET and
 * RESET. Results are small tables (`columns` + `rows`) the HTTP API returns inline.
 */
import type { TopicClient } from '../client/topic-client.ts';
import { sqlColumnsToAvro, sqlColumnsToJsonSchema } from '../connectors/kafka/index.ts';
import { builtinFunctions, displayType } from '../operators/index.ts';
import type { ColumnDef as SqlColumn, SqlType } from '../operators/index.ts';
import { isSystemColumn, ROWTIME_COLUMN } from '../planner/catalog.ts';
import { sqlTypeOf } from '../planner/data-type.ts';
import type { SchemaRegistry } from '../schema-registry/index.ts';
import { formatSql } from '../sql/index.ts';
import type { AlterTableNode, CreateTableNode, CreateViewNode, DescribeNode, DropNode, SchemaComponent, ShowNode } from '../sql/index.ts';
import type { RegistryCatalog, TableEntry } from './catalog.ts';
import { checkPropertyKey, parseDurationMs, PROPERTY_DEFAULTS, stateBytesMax } from './session.ts';
import type { SessionProperties } from './session.ts';

export interface TableResult {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
}

export class DdlError extends Error {}

export interface DdlDeps {
  readonly topics: TopicClient;
  readonly registry: SchemaRegistry;
  readonly catalog: RegistryCatalog;
}

const partitionsDefault = 1;

/** CREATE TABLE without AS: topic, schemas, entry. `physical` overrides the DDL's columns (CTAS). */
export async function createTable(deps: DdlDeps, stmt: CreateTableNode, physical?: readonly SqlColumn[]): Promise<string> {
  const name = lastPart(stmt.name.parts);
  await deps.catalog.refresh();
  if (deps.catalog.getTable(name) !== undefined || (await deps.topics.partitionCount(name)) !== null) {
    if (stmt.ifNotExists) return `Table '${name}' already exists; nothing done.`;
    throw new DdlError(`table '${name}' already exists (use CREATE TABLE IF NOT EXISTS, or DROP TABLE ${name} first)`);
  }
  const columns: SqlColumn[] = physical !== undefined ? [...physical] : stmt.columns.flatMap((c) => (c.kind === 'PhysicalColumn' ? [{ name: c.name.value, type: sqlTypeOf(c.type) }] : []));
  if (columns.length === 0) throw new DdlError(`CREATE TABLE ${name} needs at least one physical column`);
  const connector = stmt.options.find((o) => o.key === 'connector')?.value;
  if (connector === 'filesystem') return createFileSystemTable(deps, stmt, name, columns);
  if (connector !== undefined && connector !== 'kafka' && connector !== 'confluent') {
    throw new DdlError(`'connector' = '${connector}' is not supported; tables are topics (leave 'connector' out) or 'filesystem'`);
  }
  const pk = stmt.primaryKey?.columns.map((c) => c.value);
  for (const k of pk ?? []) if (!columns.some((c) => c.name === k)) throw new DdlError(`primary key column '${k}' is not a column of ${name}`);
  const distribution = stmt.distribution?.columns.map((c) => c.value);
  const keyNames = pk ?? distribution ?? [];
  const keyCols = columns.filter((c) => keyNames.includes(c.name)).map((c) => ({ ...c, type: { ...c.type, nullable: pk === undefined ? c.type.nullable : false } as SqlType }));
  const valueCols = columns.filter((c) => !keyNames.includes(c.name));
  if (valueCols.length === 0) throw new DdlError(`table '${name}' needs at least one column outside its key`);
  const options: Record<string, string> = {};
  for (const o of stmt.options) options[o.key] = o.value;
  const valueFormat = options['value.format'] ?? 'avro-registry';
  const keyFormat = options['key.format'] ?? valueFormat;
  const partitions = stmt.distribution?.buckets ?? Number(options['kafka.partitions'] ?? partitionsDefault);
  if (!Number.isInteger(partitions) || partitions < 1) throw new DdlError(`'kafka.partitions' must be a positive integer, got '${options['kafka.partitions']}'`);
  const schemaFor = (cols: SqlColumn[], part: 'key' | 'value', format: string) => {
    if (format === 'avro-registry' || format === 'avro') return { schemaType: 'AVRO' as const, schema: JSON.stringify(sqlColumnsToAvro(cols, `${name}_${part}`)) };
    if (format === 'json-registry' || format === 'json') return { schemaType: 'JSON' as const, schema: JSON.stringify(sqlColumnsToJsonSchema(cols, `${name}_${part}`)) };
    throw new DdlError(`'${part}.format' = '${format}' is not supported; use 'avro-registry' or 'json-registry'`);
  };
  const valueSchema = schemaFor(valueCols, 'value', valueFormat);
  const keySchema = keyCols.length === 0 ? null : schemaFor(keyCols, 'key', keyFormat);
  await deps.topics.createTopic(name, { partitions, configs: pk === undefined ? {} : { 'cleanup.policy': options['kafka.cleanup-policy'] ?? 'delete' } });
  if (keySchema !== null) await deps.registry.register(`${name}-key`, keySchema);
  await deps.registry.register(`${name}-value`, valueSchema);
  const entry: TableEntry = {
    kind: 'table', name, options: stripFormatOptions(options),
    ...(pk === undefined ? {} : { primaryKey: pk }),
    ...(stmt.watermark === undefined ? {} : { watermark: { column: stmt.watermark.column.value, expr: formatSql(stmt.watermark.strategy) } }),
    computed: stmt.columns.flatMap((c) => (c.kind === 'ComputedColumn' ? [{ name: c.name.value, expr: formatSql(c.expr) }] : [])),
    metadata: stmt.columns.flatMap((c) => (c.kind === 'MetadataColumn' ? [{ name: c.name.value, type: sqlTypeOf(c.type), key: c.metadataKey ?? c.name.value }] : [])),
    ...(stmt.comment === undefined ? {} : { comment: stmt.comment }),
    ...(keyCols.length === 0 ? {} : { columnOrder: columns.map((c) => c.name) }),
  };
  await deps.catalog.put(entry);
  await deps.catalog.refresh();
  return `Table '${name}' created.`;
}

/** Options of a filesystem table this sink honours; Flink's partition-commit options are kept as they are. */
const FILESYSTEM_OPTIONS = new Set(['connector', 'path', 'format', 'sink.rolling-policy.file-size', 'sink.partition-commit.trigger', 'sink.partition-commit.delay',
  'sink.partition-commit.policy.kind', 'partition.time-extractor.timestamp-pattern', 'sink.rolling-policy.rollover-interval']);

/** A filesystem table: only a catalog entry (the sink creates the directory). */
async function createFileSystemTable(deps: DdlDeps, stmt: CreateTableNode, name: string, columns: readonly SqlColumn[]): Promise<string> {
  const options = Object.fromEntries(stmt.options.map((o) => [o.key, o.value]));
  for (const k of Object.keys(options)) if (!FILESYSTEM_OPTIONS.has(k)) throw new DdlError(`option '${k}' is not one a filesystem table takes (${[...FILESYSTEM_OPTIONS].join(', ')})`);
  if ((options.path ?? '') === '') throw new DdlError(`a filesystem table needs 'path' (its file or directory, relative to the data directory)`);
  if (options.format !== 'parquet' && options.format !== 'csv') throw new DdlError(`a filesystem table needs 'format' = 'parquet' (read and written) or 'csv' (read only) (got ${options.format === undefined ? 'none' : `'${options.format}'`})`);
  const policy = options['sink.partition-commit.policy.kind'];
  if (policy !== undefined) throw new DdlError(`'sink.partition-commit.policy.kind' = '${policy}' is not supported: files become visible when the checkpoint that wrote them commits`);
  if (stmt.primaryKey !== undefined) throw new DdlError('a filesystem table takes append-only results: no PRIMARY KEY');
  const partitionedBy = stmt.partitionedBy.map((c) => c.value);
  for (const k of partitionedBy) if (!columns.some((c) => c.name === k)) throw new DdlError(`PARTITIONED BY column '${k}' is not a column of ${name}`);
  if (partitionedBy.length === columns.length) throw new DdlError(`table '${name}' needs at least one column outside PARTITIONED BY`);
  await deps.catalog.put({
    kind: 'table', name, options, computed: [], metadata: [], columns: columns.map((c) => ({ name: c.name, type: c.type })),
    ...(partitionedBy.length === 0 ? {} : { partitionedBy }),
    ...(stmt.watermark === undefined ? {} : { watermark: { column: stmt.watermark.column.value, expr: formatSql(stmt.watermark.strategy) } }),
    ...(stmt.comment === undefined ? {} : { comment: stmt.comment }),
  });
  await deps.catalog.refresh();
  return `Table '${name}' created (files under '${options.path}').`;
}

function stripFormatOptions(o: Record<string, string>): Record<string, string> {
  const { 'kafka.partitions': _p, ...rest } = o;
  void _p;
  return rest;
}

export async function createView(deps: DdlDeps, stmt: CreateViewNode): Promise<string> {
  const name = lastPart(stmt.name.parts);
  await deps.catalog.refresh();
  if (deps.catalog.getView(name) !== undefined || deps.catalog.getTable(name) !== undefined) {
    if (stmt.ifNotExists) return `View '${name}' already exists; nothing done.`;
    throw new DdlError(`'${name}' already exists as a ${deps.catalog.getView(name) !== undefined ? 'view' : 'table'}`);
  }
  if (stmt.columns.length > 0) throw new DdlError('CREATE VIEW with a column list is not supported yet; alias the columns in the query instead');
  await deps.catalog.put({ kind: 'view', name, query: formatSql(stmt.query), ...(stmt.comment === undefined ? {} : { comment: stmt.comment }) });
  return `View '${name}' created.`;
}

export async function drop(deps: DdlDeps, stmt: DropNode): Promise<string> {
  const name = lastPart(stmt.name.parts);
  await deps.catalog.refresh();
  if (stmt.objectType === 'VIEW') {
    if (deps.catalog.getView(name) === undefined) {
      if (stmt.ifExists) return `View '${name}' does not exist; nothing done.`;
      throw new DdlError(`view '${name}' does not exist`);
    }
    await deps.catalog.remove('view', name);
    return `View '${name}' dropped.`;
  }
  if (stmt.objectType === 'FUNCTION') throw new DdlError('user-defined functions are not supported yet');
  if (deps.catalog.getTable(name) === undefined) {
    if (stmt.ifExists) return `Table '${name}' does not exist; nothing done.`;
    throw new DdlError(`table '${name}' does not exist`);
  }
  if (deps.catalog.tableEntry(name)?.columns !== undefined) {
    await deps.catalog.remove('table', name);
    return `Table '${name}' dropped (its files stay where they are).`;
  }
  await deps.topics.deleteTopic(name);
  for (const subject of [`${name}-value`, `${name}-key`]) {
    try {
      await deps.registry.deleteSubject(subject);
    } catch {
      // absent key subject
    }
  }
  await deps.catalog.remove('table', name);
  await deps.catalog.refresh();
  return `Table '${name}' dropped (topic and schemas deleted).`;
}

export async function alterTable(deps: DdlDeps, stmt: AlterTableNode): Promise<string> {
  const name = lastPart(stmt.name.parts);
  await deps.catalog.refresh();
  const table = deps.catalog.getTable(name);
  if (table === undefined) {
    if (stmt.ifExists) return `Table '${name}' does not exist; nothing done.`;
    throw new DdlError(`table '${name}' does not exist`);
  }
  const entry: TableEntry = deps.catalog.tableEntry(name) ?? { kind: 'table', name, options: {}, computed: [], metadata: [] };
  const a = stmt.action;
  let next: TableEntry = entry;
  const components = (list: readonly SchemaComponent[]): TableEntry => {
    let e = entry;
    for (const c of list) {
      switch (c.kind) {
        case 'Watermark': {
          const col = c.column.value;
          if (!table.columns.some((x) => x.name === col) && !e.computed.some((x) => x.name === col)) throw new DdlError(`WATERMARK FOR ${col}: table '${name}' has no column '${col}'`);
          e = { ...e, watermark: { column: col, expr: formatSql(c.strategy) } };
          break;
        }
        case 'PrimaryKey': e = { ...e, primaryKey: c.columns.map((x) => x.value) }; break;
        case 'ComputedColumn': e = { ...e, computed: [...e.computed.filter((x) => x.name !== c.name.value), { name: c.name.value, expr: formatSql(c.expr) }] }; break;
        case 'MetadataColumn': e = { ...e, metadata: [...e.metadata.filter((x) => x.name !== c.name.value), { name: c.name.value, type: sqlTypeOf(c.type), key: c.metadataKey ?? c.name.value }] }; break;
        case 'PhysicalColumn': throw new DdlError(`physical columns of '${name}' come from its registered schema; evolve the schema under '${name}-value' instead`);
        default: {
          const never: never = c;
          throw new DdlError(`unsupported ALTER component ${JSON.stringify(never)}`);
        }
      }
    }
    return e;
  };
  switch (a.kind) {
    case 'AddComponents': case 'ModifyComponents': next = components(a.components); break;
    case 'DropWatermark': {
      const { watermark: _w, ...rest } = entry;
      void _w;
      next = rest;
      break;
    }
    case 'DropPrimaryKey': {
      const { primaryKey: _k, ...rest } = entry;
      void _k;
      next = rest;
      break;
    }
    case 'SetOptions': next = { ...entry, options: { ...entry.options, ...Object.fromEntries(a.options.map((o) => [o.key, o.value])) } }; break;
    case 'ResetOptions': next = { ...entry, options: Object.fromEntries(Object.entries(entry.options).filter(([k]) => !a.keys.includes(k))) }; break;
    case 'DropColumns': {
      const dropped = a.columns.map((c) => c.value);
      next = { ...entry, computed: entry.computed.filter((c) => !dropped.includes(c.name)), metadata: entry.metadata.filter((c) => !dropped.includes(c.name)) };
      break;
    }
    default: throw new DdlError(`ALTER TABLE ... ${a.kind} is not supported yet`);
  }
  await deps.catalog.put(next);
  return `Table '${name}' altered.`;
}

/** SHOW TABLES | VIEWS | FUNCTIONS (STATEMENTS is answered by the statement manager). */
export function show(deps: DdlDeps, stmt: ShowNode): TableResult {
  let names: string[];
  let column: string;
  switch (stmt.objects) {
    case 'TABLES': names = deps.catalog.listTables(); column = 'Table Name'; break;
    case 'VIEWS': names = deps.catalog.listViews(); column = 'View Name'; break;
    case 'FUNCTIONS': names = builtinFunctions().names(); column = 'Function Name'; break;
    case 'CATALOGS': names = ['default_catalog']; column = 'Catalog Name'; break;
    case 'DATABASES': names = ['default_database']; column = 'Database Name'; break;
    default: throw new DdlError(`SHOW ${stmt.objects} is not supported`);
  }
  if (stmt.like !== undefined) {
    const re = likeRegex(stmt.like.pattern);
    names = names.filter((n) => re.test(n) !== stmt.like?.not);
  }
  return { columns: [column], rows: names.map((n) => [n]) };
}

/** Confluent's DESCRIBE: Column Name, Data Type, Nullable, Extras; EXTENDED adds system columns and the watermark. */
export function describe(deps: DdlDeps, stmt: DescribeNode): TableResult {
  const name = lastPart(stmt.name.parts);
  const table = deps.catalog.getTable(name);
  if (table === undefined) {
    const view = deps.catalog.viewEntry(name);
    if (view !== undefined) return { columns: ['View Name', 'Query'], rows: [[name, view.query]] };
    throw new DdlError(`table '${name}' does not exist`);
  }
  const rows: unknown[][] = [];
  for (const c of table.columns) {
    if (!stmt.extended && isSystemColumn(c.name)) continue;
    const extras: string[] = [];
    if (table.primaryKey?.includes(c.name) === true) extras.push('PRIMARY KEY');
    if (table.origins.get(c.name)?.part === 'key' && table.primaryKey === undefined) extras.push('BUCKET KEY');
    if (c.kind === 'metadata') extras.push(`METADATA${c.metadataKey !== undefined && c.metadataKey !== c.name ? ` FROM '${c.metadataKey}'` : ''}${c.name === ROWTIME_COLUMN ? ' VIRTUAL, SYSTEM' : ''}`);
    if (c.kind === 'computed' && c.expr !== undefined) extras.push(`AS ${formatSql(c.expr)}`);
    if (table.watermark?.column === c.name) extras.push(`WATERMARK AS ${formatSql(table.watermark.expr)}`);
    // The watermark's column is the rowtime attribute: `TIMESTAMP_LTZ(3) *ROWTIME*`, as Flink and Confluent print it.
    const rowtime = table.watermark?.column === c.name ? ' *ROWTIME*' : '';
    const type = c.kind === 'computed' ? '(computed)' : `${displayType(c.type).replace(/ NOT NULL$/, '')}${rowtime}`;
    rows.push([c.name, type, c.kind === 'computed' ? 'NULL' : c.type.nullable ? 'NULL' : 'NOT NULL', extras.join(', ')]);
  }
  if (stmt.extended) {
    for (const [k, v] of Object.entries(table.options).sort()) rows.push([`option ${k}`, v, '', '']);
  }
  return { columns: ['Column Name', 'Data Type', 'Nullable', 'Extras'], rows };
}

/** `SET`: lists properties; `SET 'k' = 'v'`: returns the new property set. */
export function set(props: SessionProperties, key?: string, value?: string): { result: TableResult; properties: SessionProperties } {
  if (key === undefined) {
    const keys = [...new Set([...Object.keys(PROPERTY_DEFAULTS), ...Object.keys(props)])].sort();
    return { result: { columns: ['Key', 'Value'], rows: keys.map((k) => [k, props[k] ?? PROPERTY_DEFAULTS[k]?.value ?? '']) }, properties: props };
  }
  checkPropertyKey(key);
  if (key === 'sql.state-ttl' || key === 'table.exec.state.ttl') parseDurationMs(value ?? '');
  if (key === 'sql.state.max-size') stateBytesMax({ [key]: value ?? '' });
  const next = { ...props, [key]: value ?? '' };
  return { result: { columns: ['Key', 'Value'], rows: [[key, value ?? '']] }, properties: next };
}

export function reset(props: SessionProperties, key?: string): SessionProperties {
  if (key === undefined) return {};
  const { [key]: _dropped, ...rest } = props;
  void _dropped;
  return rest;
}

function likeRegex(pattern: string): RegExp {
  const body = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

function lastPart(parts: readonly string[]): string {
  return parts[parts.length - 1];
}
