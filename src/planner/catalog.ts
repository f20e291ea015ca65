/**
 * The catalog as the planner sees it: tables with their columns, watermark, primary key,
 * changelog mode and connector options, and views as parsed queries.
 *
 * The runtime implements `Catalog` over the schema registry (every `<topic>-value` subject is a
 * table, with `$rowtime` and a default watermark); tests use `MemoryCatalog`, which also turns
 * `CREATE TABLE` / `CREATE VIEW` statements into entries with `tableFromCreate`.
 *
 * Conventions:
 * - Columns whose name starts with `$` (`$rowtime`) are system columns: addressable by name, but
 *   not part of `SELECT *`, as in Confluent Cloud.
 * - `$rowtime` is `TIMESTAMP_LTZ(3) NOT NULL`, metadata key `timestamp` (the Kafka record
 *   timestamp), with the watermark `SOURCE_WATERMARK()` unless the table declares another one.
 * - A `watermark` makes its column a rowtime attribute (`TIMESTAMP(3) *ROWTIME*`).
 *
 * @example
 *   const catalog = new MemoryCatalog();
 *   catalog.addTable(tableFromCreate(parseStatement(`CREATE TABLE bid (auction BIGINT, price BIGINT)`) as CreateTableNode));
 */
import { T } from '../operators/index.ts';
import type { SqlType } from '../operators/index.ts';
import { parseStatement } from '../sql/index.ts';
import type { CreateTableNode, Expression, QueryNode } from '../sql/index.ts';
import { sqlTypeOf } from './data-type.ts';
import { PlanError } from './errors.ts';

export interface CatalogColumn {
  readonly name: string;
  readonly type: SqlType;
  readonly kind: 'physical' | 'metadata' | 'computed';
  /** Metadata key, e.g. 'timestamp' for `$rowtime`; defaults to the column name. */
  readonly metadataKey?: string;
  /** AST of a computed column's expression, over the table's other columns. */
  readonly expr?: Expression;
}

export interface CatalogTable {
  readonly name: string;
  readonly columns: readonly CatalogColumn[];
  /** AST expression: `ts - INTERVAL '5' SECOND`, `ts`, or `SOURCE_WATERMARK()`. */
  readonly watermark?: { readonly column: string; readonly expr: Expression };
  readonly primaryKey?: readonly string[];
  readonly changelogMode: 'append' | 'upsert';
  /** WITH options / connector info, e.g. { connector: 'kafka', topic, 'value.format': 'avro-registry' }. */
  readonly options: Readonly<Record<string, string>>;
  /** `PARTITIONED BY (…)` of a filesystem table. */
  readonly partitionKeys?: readonly string[];
}

export interface Catalog {
  getTable(name: string): CatalogTable | undefined;
  listTables(): string[];
  getView?(name: string): QueryNode | undefined;
  /** View names, for "did you mean" suggestions. */
  listViews?(): string[];
}

export const ROWTIME_COLUMN = '$rowtime';

/** The `$rowtime` system column every topic-backed table has. */
export function rowtimeColumn(): CatalogColumn {
  return { name: ROWTIME_COLUMN, type: T.timestampLtz(3, false), kind: 'metadata', metadataKey: 'timestamp' };
}

/** The default watermark on `$rowtime`: `SOURCE_WATERMARK()`. */
export function defaultWatermark(): { column: string; expr: Expression } {
  const stmt = parseStatement('SELECT SOURCE_WATERMARK()') as QueryNode;
  const body = stmt.body;
  if (body.kind !== 'Select' || body.items[0]?.kind !== 'SelectExpr') throw new Error('unreachable');
  return { column: ROWTIME_COLUMN, expr: body.items[0].expr };
}

/** Whether a column is a system column (hidden from `SELECT *`). */
export function isSystemColumn(name: string): boolean {
  return name.startsWith('$');
}

/**
 * The catalog entry a `CREATE TABLE` describes. Adds `$rowtime` (and its default watermark when
 * none is declared) unless `systemColumns` is false. A primary key makes the table upsert.
 */
export function tableFromCreate(stmt: CreateTableNode, opts: { systemColumns?: boolean } = {}): CatalogTable {
  const name = stmt.name.parts[stmt.name.parts.length - 1];
  const columns: CatalogColumn[] = stmt.columns.map((c): CatalogColumn => {
    switch (c.kind) {
      case 'PhysicalColumn': return { name: c.name.value, type: sqlTypeOf(c.type), kind: 'physical' };
      case 'MetadataColumn':
        return { name: c.name.value, type: sqlTypeOf(c.type), kind: 'metadata', metadataKey: c.metadataKey ?? c.name.value };
      case 'ComputedColumn': return { name: c.name.value, type: T.null(), kind: 'computed', expr: c.expr };
      default: {
        const never: never = c;
        throw new PlanError(`unknown column definition ${JSON.stringify(never)}`);
      }
    }
  });
  const primaryKey = stmt.primaryKey?.columns.map((c) => c.value);
  for (const k of primaryKey ?? []) {
    const col = columns.find((c) => c.name === k);
    if (col === undefined) throw new PlanError(`primary key column '${k}' is not a column of ${name}`, stmt.primaryKey?.pos);
  }
  const withKeys = columns.map((c) => (primaryKey?.includes(c.name) === true && c.type.kind !== 'NULL' ? { ...c, type: { ...c.type, nullable: false } as SqlType } : c));
  const system = opts.systemColumns !== false && !columns.some((c) => c.name === ROWTIME_COLUMN);
  const options: Record<string, string> = {};
  for (const o of stmt.options) options[o.key] = o.value;
  let watermark = stmt.watermark === undefined ? undefined : { column: stmt.watermark.column.value, expr: stmt.watermark.strategy };
  if (watermark !== undefined && !columns.some((c) => c.name === watermark?.column) && !(system && watermark.column === ROWTIME_COLUMN)) {
    throw new PlanError(`WATERMARK FOR '${watermark.column}': no such column in ${name}`, stmt.watermark?.pos);
  }
  if (system && watermark === undefined) watermark = defaultWatermark();
  return {
    name,
    columns: system ? [...withKeys, rowtimeColumn()] : withKeys,
    ...(watermark === undefined ? {} : { watermark }),
    ...(primaryKey === undefined ? {} : { primaryKey }),
    changelogMode: primaryKey === undefined ? 'append' : 'upsert',
    options,
  };
}

/** An in-memory catalog for tests and embedded use. */
export class MemoryCatalog implements Catalog {
  private readonly tables = new Map<string, CatalogTable>();
  private readonly views = new Map<string, QueryNode>();

  addTable(table: CatalogTable): this {
    this.tables.set(table.name, table);
    return this;
  }

  addView(name: string, query: QueryNode): this {
    this.views.set(name, query);
    return this;
  }

  getTable(name: string): CatalogTable | undefined {
    return this.tables.get(name);
  }

  listTables(): string[] {
    return [...this.tables.keys()].sort();
  }

  getView(name: string): QueryNode | undefined {
    return this.views.get(name);
  }

  listViews(): string[] {
    return [...this.views.keys()].sort();
  }
}
