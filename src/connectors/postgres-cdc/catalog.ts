/**
 * What the connector reads from PostgreSQL's catalogs: tables to capture, their columns (with
 * NOT NULL, which pgoutput's Relation message does not carry), primary keys (Debezium keys
 * messages by the primary key, not the replica identity), and user-defined types (enum labels,
 * domain base types, array elements).
 */
import type pg from 'pg';
import type { PgTypeInfo } from './type-mapping.ts';

export interface CatalogColumn {
  readonly name: string;
  readonly typeOid: number;
  readonly typeMod: number;
  readonly notNull: boolean;
}

export interface CatalogTable {
  readonly oid: number;
  readonly schema: string;
  readonly table: string;
  readonly columns: readonly CatalogColumn[];
  /** Primary key column names in key order; empty without a primary key. */
  readonly primaryKey: readonly string[];
  readonly replicaIdentity: string;
}

/** Ordinary and partitioned tables outside the system schemas. */
export async function listTables(client: pg.Client): Promise<{ oid: number; schema: string; table: string }[]> {
  const r = await client.query<{ oid: number; nspname: string; relname: string }>(
    `SELECT c.oid::int8 AS oid, n.nspname, c.relname
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
      ORDER BY n.nspname, c.relname`,
  );
  return r.rows.map((row) => ({ oid: Number(row.oid), schema: row.nspname, table: row.relname }));
}

/** Columns, primary key and replica identity of one table, or null if it no longer exists. */
export async function describeTable(client: pg.Client, oid: number): Promise<CatalogTable | null> {
  const rel = await client.query<{ nspname: string; relname: string; relreplident: string }>(
    `SELECT n.nspname, c.relname, c.relreplident FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = $1`,
    [oid],
  );
  if (rel.rows.length === 0) return null;
  const cols = await client.query<{ attname: string; atttypid: number; atttypmod: number; attnotnull: boolean }>(
    `SELECT attname, atttypid::int8 AS atttypid, atttypmod, attnotnull FROM pg_attribute
      WHERE attrelid = $1 AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum`,
    [oid],
  );
  const pk = await client.query<{ attname: string }>(
    `SELECT a.attname FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
      WHERE i.indrelid = $1 AND i.indisprimary ORDER BY k.ord`,
    [oid],
  );
  const row = rel.rows[0];
  return {
    oid,
    schema: row.nspname,
    table: row.relname,
    columns: cols.rows.map((c) => ({ name: c.attname, typeOid: Number(c.atttypid), typeMod: c.atttypmod, notNull: c.attnotnull })),
    primaryKey: pk.rows.map((p) => p.attname),
    replicaIdentity: row.relreplident,
  };
}

/** User-defined types (OIDs from FirstNormalObjectId on), with enum labels in sort order. */
export async function loadUserTypes(client: pg.Client): Promise<Map<number, PgTypeInfo>> {
  const r = await client.query<{ oid: string; typname: string; typtype: string; typelem: string; typbasetype: string; typtypmod: number; labels: string[] | null }>(
    `SELECT t.oid::int8 AS oid, t.typname, t.typtype, t.typelem::int8 AS typelem, t.typbasetype::int8 AS typbasetype, t.typtypmod,
            (SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid) AS labels
       FROM pg_type t WHERE t.oid >= 16384`,
  );
  const out = new Map<number, PgTypeInfo>();
  for (const row of r.rows) {
    const oid = Number(row.oid);
    out.set(oid, {
      oid,
      name: row.typname,
      kind: row.typtype,
      elemOid: Number(row.typelem),
      baseOid: Number(row.typbasetype),
      baseTypeMod: row.typtypmod,
      enumLabels: row.labels ?? [],
    });
  }
  return out;
}
