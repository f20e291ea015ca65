/**
 * The SQL catalog over the schema registry: every topic whose `<topic>-value` subject holds an
 * Avro, JSON Schema or Protobuf schema is a table. Key columns come from `<topic>-key` (a record's
 * fields, or one column `key`), value columns from `<topic>-value` (or one column `val`), then
 * `$rowtime` (the record timestamp) with the default watermark `SOURCE_WATERMARK()`.
 *
 * What the registry cannot hold -- watermarks, primary keys, options, computed and metadata
 * columns, views -- lives in the compacted topic `_runnel_catalog` as one JSON entry per object
 * (`table:<name>`, `view:<name>`), written by CREATE / ALTER / DROP. A table that is not a topic
 * (`'connector' = 'filesystem'`) lives there whole, its columns included.
 *
 * @example
 *   const catalog = await RegistryCatalog.open(topics, registry);
 *   await catalog.refresh();            // topics may have appeared since
 *   catalog.getTable('bid')?.columns;   // [auction, bidder, price, ..., $rowtime]
 */
import type { TopicClient } from '../client/topic-client.ts';
import { avroColumns, jsonSchemaColumns, parseAvroModel, protobufMessageColumns } from '../connectors/kafka/index.ts';
import type { SqlType } from '../operators/index.ts';
import { defaultWatermark, rowtimeColumn, ROWTIME_COLUMN } from '../planner/catalog.ts';
import type { Catalog, CatalogColumn, CatalogTable } from '../planner/catalog.ts';
import { ProtobufSchema } from '../schema-registry/index.ts';
import type { SchemaRegistry, SubjectVersion } from '../schema-registry/index.ts';
import { parseStatement } from '../sql/index.ts';
import type { Expression, QueryNode } from '../sql/index.ts';
import { KvLog } from './kv-log.ts';

export const CATALOG_TOPIC = '_runnel_catalog';

/** What `_runnel_catalog` keeps about a table beyond its registry schemas. */
export interface TableEntry {
  readonly kind: 'table';
  readonly name: string;
  readonly watermark?: { readonly column: string; readonly expr: string };
  readonly primaryKey?: readonly string[];
  readonly options: Readonly<Record<string, string>>;
  readonly computed: readonly { readonly name: string; readonly expr: string }[];
  readonly metadata: readonly { readonly name: string; readonly type: SqlType; readonly key: string }[];
  readonly comment?: string;
  /** Physical columns of a table that is not a topic (`'connector' = 'filesystem'`). */
  readonly columns?: readonly { readonly name: string; readonly type: SqlType }[];
  readonly partitionedBy?: readonly string[];
  /**
   * Physical columns in the order CREATE TABLE declared them (the key and value schemas split
   * them); a positional INSERT INTO t SELECT * relies on it.
   */
  readonly columnOrder?: readonly string[];
}

export interface ViewEntry {
  readonly kind: 'view';
  readonly name: string;
  readonly query: string;
  readonly comment?: string;
}

export type CatalogEntry = TableEntry | ViewEntry;

/** Where a table's physical column is stored in the record. */
export interface ColumnOrigin {
  readonly part: 'key' | 'value';
  readonly field: string;
}

export interface ResolvedTable extends CatalogTable {
  /** Physical column name -> key or value field. */
  readonly origins: ReadonlyMap<string, ColumnOrigin>;
  readonly keyFormat: string | null;
  readonly valueFormat: string;
}

export class CatalogError extends Error {}

const formatNames: Record<string, string> = { AVRO: 'avro-registry', JSON: 'json-registry', PROTOBUF: 'proto-registry' };

export class RegistryCatalog implements Catalog {
  private topicSet = new Set<string>();
  private readonly cache = new Map<string, { stamp: string; table: ResolvedTable }>();
  private readonly parsed = new Map<string, Expression | QueryNode>();

  private constructor(
    private readonly topics: TopicClient,
    private readonly registry: SchemaRegistry,
    readonly store: KvLog<CatalogEntry>,
  ) {}

  static async open(topics: TopicClient, registry: SchemaRegistry): Promise<RegistryCatalog> {
    const catalog = new RegistryCatalog(topics, registry, await KvLog.open<CatalogEntry>(topics, CATALOG_TOPIC));
    await catalog.refresh();
    return catalog;
  }

  /** Re-reads the topic list (tables appear when their topic and value subject both exist). */
  async refresh(): Promise<void> {
    this.topicSet = new Set(await this.topics.listTopics());
  }

  listTables(): string[] {
    const names = new Set<string>();
    for (const s of this.registry.listSubjects()) {
      if (s.endsWith('-value')) {
        const t = s.slice(0, -'-value'.length);
        if (this.topicSet.has(t) && !t.startsWith('_')) names.add(t);
      }
    }
    for (const [, e] of this.store.entries('table:')) if (e.kind === 'table' && e.columns !== undefined) names.add(e.name);
    return [...names].sort();
  }

  listViews(): string[] {
    return this.store.entries('view:').map(([, e]) => e.name).sort();
  }

  getView(name: string): QueryNode | undefined {
    const e = this.store.get(`view:${name}`);
    if (e === undefined || e.kind !== 'view') return undefined;
    return this.parseQuery(e.query);
  }

  viewEntry(name: string): ViewEntry | undefined {
    const e = this.store.get(`view:${name}`);
    return e?.kind === 'view' ? e : undefined;
  }

  tableEntry(name: string): TableEntry | undefined {
    const e = this.store.get(`table:${name}`);
    return e?.kind === 'table' ? e : undefined;
  }

  getTable(name: string): ResolvedTable | undefined {
    const stored = this.tableEntry(name);
    if (stored?.columns !== undefined) return this.resolveStored(stored, stored.columns);
    if (!this.topicSet.has(name)) return undefined;
    let value: SubjectVersion;
    try {
      value = this.registry.getLatest(`${name}-value`);
    } catch {
      return undefined;
    }
    let key: SubjectVersion | null = null;
    try {
      key = this.registry.getLatest(`${name}-key`);
    } catch {
      key = null;
    }
    const entry = this.tableEntry(name);
    const stamp = `${value.id}/${key?.id ?? '-'}/${JSON.stringify(entry ?? null)}`;
    const cached = this.cache.get(name);
    if (cached !== undefined && cached.stamp === stamp) return cached.table;
    const table = this.resolve(name, value, key, entry);
    this.cache.set(name, { stamp, table });
    return table;
  }

  async put(entry: CatalogEntry): Promise<void> {
    await this.store.put(`${entry.kind}:${entry.name}`, entry);
  }

  async remove(kind: 'table' | 'view', name: string): Promise<void> {
    if (this.store.get(`${kind}:${name}`) !== undefined) await this.store.delete(`${kind}:${name}`);
    this.cache.delete(name);
  }

  /** The SQL columns of one registered schema version. */
  columnsOf(version: SubjectVersion, fallbackName: string): { name: string; type: SqlType }[] {
    switch (version.schemaType) {
      case 'AVRO': {
        const refs = version.references.map((r) => JSON.parse(this.registry.getVersion(r.subject, r.version, { deleted: true }).schema) as unknown);
        return avroColumns(parseAvroModel(JSON.parse(version.schema), refs), fallbackName);
      }
      case 'JSON': return jsonSchemaColumns(JSON.parse(version.schema), fallbackName);
      case 'PROTOBUF': {
        const parsed = this.registry.getParsedById(version.id);
        if (!(parsed instanceof ProtobufSchema)) throw new CatalogError(`schema ${version.id} is not Protobuf`);
        return protobufMessageColumns(parsed.messageAt([0]));
      }
      default: {
        const never: never = version.schemaType;
        throw new CatalogError(`unknown schema type ${String(never)}`);
      }
    }
  }

  private resolve(name: string, value: SubjectVersion, key: SubjectVersion | null, entry: TableEntry | undefined): ResolvedTable {
    let valueCols: { name: string; type: SqlType }[];
    let keyCols: { name: string; type: SqlType }[];
    try {
      valueCols = this.columnsOf(value, 'val');
      keyCols = key === null ? [] : this.columnsOf(key, 'key');
    } catch (err) {
      throw new CatalogError(`table '${name}': its schema has no SQL equivalent: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    const origins = new Map<string, ColumnOrigin>();
    const columns: CatalogColumn[] = [];
    const valueNames = new Set(valueCols.map((c) => c.name));
    const pk = entry?.primaryKey;
    for (const c of keyCols) {
      // A key field that the value repeats is read from the value; Confluent prefixes key_ only when they differ.
      if (valueNames.has(c.name)) continue;
      origins.set(c.name, { part: 'key', field: c.name });
      columns.push({ name: c.name, type: c.type, kind: 'physical' });
    }
    for (const c of valueCols) {
      origins.set(c.name, { part: 'value', field: c.name });
      const type = pk?.includes(c.name) === true && c.type.kind !== 'NULL' ? ({ ...c.type, nullable: false } as SqlType) : c.type;
      columns.push({ name: c.name, type, kind: 'physical' });
    }
    const order = entry?.columnOrder;
    if (order !== undefined) columns.sort((a, b) => rank(order, a.name) - rank(order, b.name));
    for (const m of entry?.metadata ?? []) columns.push({ name: m.name, type: m.type, kind: 'metadata', metadataKey: m.key });
    for (const c of entry?.computed ?? []) columns.push({ name: c.name, type: { kind: 'NULL', nullable: true }, kind: 'computed', expr: this.parseExpr(c.expr) });
    if (!columns.some((c) => c.name === ROWTIME_COLUMN)) columns.push(rowtimeColumn());
    const watermark = entry?.watermark === undefined ? defaultWatermark() : { column: entry.watermark.column, expr: this.parseExpr(entry.watermark.expr) };
    const keyFormat = key === null ? null : formatNames[key.schemaType];
    const valueFormat = formatNames[value.schemaType];
    const keyFields = [...origins].filter(([, o]) => o.part === 'key').map(([n]) => n);
    const options: Record<string, string> = {
      connector: 'kafka',
      topic: name,
      'value.format': valueFormat,
      ...(keyFormat === null ? {} : { 'key.format': keyFormat }),
      ...(keyFields.length === 0 ? {} : { 'key.fields': keyFields.join(';') }),
      ...(entry?.options ?? {}),
    };
    const upsert = pk !== undefined && pk.length > 0;
    return {
      name,
      columns,
      watermark,
      ...(upsert ? { primaryKey: [...pk] } : {}),
      changelogMode: upsert ? 'upsert' : 'append',
      options,
      origins,
      keyFormat,
      valueFormat,
    };
  }

  /** A table kept whole in `_runnel_catalog` (a filesystem table): no key, no `$rowtime`. */
  private resolveStored(entry: TableEntry, physical: readonly { name: string; type: SqlType }[]): ResolvedTable {
    const stamp = JSON.stringify(entry);
    const cached = this.cache.get(entry.name);
    if (cached !== undefined && cached.stamp === stamp) return cached.table;
    const columns: CatalogColumn[] = physical.map((c) => ({ name: c.name, type: c.type, kind: 'physical' }));
    for (const c of entry.computed) columns.push({ name: c.name, type: { kind: 'NULL', nullable: true }, kind: 'computed', expr: this.parseExpr(c.expr) });
    const table: ResolvedTable = {
      name: entry.name,
      columns,
      ...(entry.watermark === undefined ? {} : { watermark: { column: entry.watermark.column, expr: this.parseExpr(entry.watermark.expr) } }),
      changelogMode: 'append',
      options: entry.options,
      ...(entry.partitionedBy === undefined ? {} : { partitionKeys: entry.partitionedBy }),
      origins: new Map(),
      keyFormat: null,
      valueFormat: entry.options.format ?? '',
    };
    this.cache.set(entry.name, { stamp, table });
    return table;
  }

  private parseExpr(text: string): Expression {
    const hit = this.parsed.get(`e:${text}`);
    if (hit !== undefined) return hit as Expression;
    const stmt = parseStatement(`SELECT ${text}`) as QueryNode;
    const body = stmt.body;
    if (body.kind !== 'Select' || body.items[0]?.kind !== 'SelectExpr') throw new CatalogError(`stored expression '${text}' does not parse`);
    this.parsed.set(`e:${text}`, body.items[0].expr);
    return body.items[0].expr;
  }

  private parseQuery(text: string): QueryNode {
    const hit = this.parsed.get(`q:${text}`);
    if (hit !== undefined) return hit as QueryNode;
    const q = parseStatement(text);
    if (q.kind !== 'Query') throw new CatalogError(`stored view query is a ${q.kind}`);
    this.parsed.set(`q:${text}`, q);
    return q;
  }
}

/** Position of a column in a declared order; undeclared columns keep their place after it. */
function rank(order: readonly string[], name: string): number {
  const at = order.indexOf(name);
  return at < 0 ? order.length : at;
}
