/**
 * The Postgres side of the relational sink (over `pg`): multi-row `INSERT ... ON CONFLICT (pk)
 * DO UPDATE` for upserts, plain multi-row INSERTs otherwise, `DELETE ... USING (VALUES ...)` by
 * key, DDL for auto.create (with the primary key) and auto.evolve, and the offsets table.
 * Parameters per statement stay under Postgres' 65535 limit.
 */
import pg from 'pg';
import type { ColumnSpec } from '../sql-sink/columns.ts';
import type { TargetSession } from '../sql-sink/target-session.ts';

/** Postgres accepts at most 65535 bind parameters per statement. */
const paramsPerStatementMax = 65_000;

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `schema.table` → quoted parts; a plain name stays in the search path. */
function quoteTable(name: string): string {
  return name.split('.').length === 2 ? name.split('.').map(quoteIdent).join('.') : quoteIdent(name);
}

function sqlType(c: ColumnSpec): string {
  switch (c.kind) {
    case 'int8':
    case 'int16':
      return 'SMALLINT';
    case 'int32':
      return 'INTEGER';
    case 'int64':
      return 'BIGINT';
    case 'float32':
      return 'REAL';
    case 'float64':
      return 'DOUBLE PRECISION';
    case 'boolean':
      return 'BOOLEAN';
    case 'string':
      return 'TEXT';
    case 'bytes':
      return 'BYTEA';
    case 'decimal':
      return 'NUMERIC';
    case 'date':
      return 'DATE';
    case 'time':
      return 'TIME';
    case 'timestamp':
      return 'TIMESTAMP';
    case 'timestamptz':
      return 'TIMESTAMPTZ';
    case 'json':
      return 'JSONB';
    default: {
      const never: never = c.kind;
      throw new Error(String(never));
    }
  }
}

/** A normalized value as a pg parameter and the cast that reads it back. */
function param(c: ColumnSpec, v: unknown): { value: unknown; cast: string } {
  if (v === null || v === undefined) return { value: null, cast: '' };
  switch (c.kind) {
    case 'timestamp':
      return { value: String(v), cast: `to_timestamp($::bigint / 1000000.0) AT TIME ZONE 'UTC'` };
    case 'time':
      return { value: String(v), cast: `(TIME '00:00' + ($::bigint * INTERVAL '1 microsecond'))` };
    case 'date':
      return { value: String(v), cast: `(DATE '1970-01-01' + $::integer)` };
    case 'int64':
      return { value: String(v), cast: '' };
    default:
      return { value: v, cast: '' };
  }
}

function placeholder(c: ColumnSpec, n: number): string {
  switch (c.kind) {
    case 'timestamp':
      return `(to_timestamp($${n}::bigint / 1000000.0) AT TIME ZONE 'UTC')`;
    case 'time':
      return `(TIME '00:00' + ($${n}::bigint * INTERVAL '1 microsecond'))`;
    case 'date':
      return `(DATE '1970-01-01' + $${n}::integer)`;
    default:
      return `$${n}::${sqlType(c)}`;
  }
}

/** Parses `jdbc:postgresql://host:port/db?user=u` (or a plain postgres URL) into pg settings. */
export function pgConfigFromUrl(url: string, user?: string, password?: string): pg.ClientConfig {
  const plain = url.replace(/^jdbc:/, '').replace(/^postgresql:/, 'postgres:');
  const u = new URL(plain);
  return {
    host: u.hostname,
    port: u.port === '' ? 5432 : Number(u.port),
    database: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres',
    user: user || u.searchParams.get('user') || decodeURIComponent(u.username) || undefined,
    password: password || u.searchParams.get('password') || decodeURIComponent(u.password) || undefined,
  };
}

export class PostgresSession implements TargetSession {
  private constructor(private readonly client: pg.Client) {}

  static async open(config: pg.ClientConfig): Promise<PostgresSession> {
    const client = new pg.Client(config);
    await client.connect();
    return new PostgresSession(client);
  }

  async begin(): Promise<void> {
    await this.client.query('BEGIN');
  }
  async commit(): Promise<void> {
    await this.client.query('COMMIT');
  }
  async rollback(): Promise<void> {
    await this.client.query('ROLLBACK');
  }

  async tableColumns(table: string): Promise<string[] | null> {
    const parts = table.split('.');
    const [schema, name] = parts.length === 2 ? parts : [null, table];
    const r = await this.client.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = $1 AND table_schema = COALESCE($2, current_schema()) ORDER BY ordinal_position`,
      [name, schema],
    );
    return r.rows.length === 0 ? null : r.rows.map((row) => row.column_name);
  }

  async createTable(table: string, columns: readonly ColumnSpec[], pk: readonly string[]): Promise<void> {
    const cols = columns.map((c) => `${quoteIdent(c.name)} ${sqlType(c)}${c.nullable ? '' : ' NOT NULL'}`);
    if (pk.length > 0) cols.push(`PRIMARY KEY (${pk.map(quoteIdent).join(', ')})`);
    await this.client.query(`CREATE TABLE IF NOT EXISTS ${quoteTable(table)} (${cols.join(', ')})`);
  }

  async addColumns(table: string, columns: readonly ColumnSpec[]): Promise<void> {
    for (const c of columns) await this.client.query(`ALTER TABLE ${quoteTable(table)} ADD COLUMN IF NOT EXISTS ${quoteIdent(c.name)} ${sqlType(c)}`);
  }

  async write(table: string, _tableColumns: readonly string[], columns: readonly ColumnSpec[], pk: readonly string[], data: readonly (readonly unknown[])[], rowCount: number, mode: 'insert' | 'upsert'): Promise<void> {
    const names = columns.map((c) => quoteIdent(c.name)).join(', ');
    const conflict =
      mode === 'upsert' && pk.length > 0
        ? ` ON CONFLICT (${pk.map(quoteIdent).join(', ')}) DO ${
            columns.length > pk.length
              ? `UPDATE SET ${columns
                  .filter((c) => !pk.includes(c.name))
                  .map((c) => `${quoteIdent(c.name)} = EXCLUDED.${quoteIdent(c.name)}`)
                  .join(', ')}`
              : 'NOTHING'
          }`
        : '';
    const perStatement = Math.max(1, Math.floor(paramsPerStatementMax / columns.length));
    for (let base = 0; base < rowCount; base += perStatement) {
      const values: unknown[] = [];
      const tuples: string[] = [];
      for (let r = base; r < Math.min(rowCount, base + perStatement); r++) {
        const ph = columns.map((c, i) => {
          values.push(param(c, data[i][r]).value);
          return placeholder(c, values.length);
        });
        tuples.push(`(${ph.join(', ')})`);
      }
      await this.client.query(`INSERT INTO ${quoteTable(table)} (${names}) VALUES ${tuples.join(', ')}${conflict}`, values);
    }
  }

  async deleteKeys(table: string, pk: readonly ColumnSpec[], keys: readonly unknown[][]): Promise<void> {
    if (keys.length === 0) return;
    const perStatement = Math.max(1, Math.floor(paramsPerStatementMax / pk.length));
    const on = pk.map((c, i) => `t.${quoteIdent(c.name)} = k.k${i}`).join(' AND ');
    for (let base = 0; base < keys.length; base += perStatement) {
      const values: unknown[] = [];
      const tuples = keys.slice(base, base + perStatement).map((key) => `(${pk.map((c, i) => (values.push(param(c, key[i]).value), placeholder(c, values.length))).join(', ')})`);
      await this.client.query(`DELETE FROM ${quoteTable(table)} AS t USING (VALUES ${tuples.join(', ')}) AS k(${pk.map((_, i) => `k${i}`).join(', ')}) WHERE ${on}`, values);
    }
  }

  async truncate(table: string): Promise<void> {
    await this.client.query(`TRUNCATE ${quoteTable(table)}`);
  }

  async ensureOffsetsTable(table: string): Promise<void> {
    await this.client.query(`CREATE TABLE IF NOT EXISTS ${quoteTable(table)} (connector TEXT NOT NULL, topic TEXT NOT NULL, kafka_partition INTEGER NOT NULL, next_offset BIGINT NOT NULL, PRIMARY KEY (connector, topic, kafka_partition))`);
  }

  async readOffsets(table: string, connector: string): Promise<Map<string, bigint>> {
    const r = await this.client.query<{ topic: string; kafka_partition: number; next_offset: string }>(`SELECT topic, kafka_partition, next_offset FROM ${quoteTable(table)} WHERE connector = $1`, [connector]);
    return new Map(r.rows.map((row) => [`${row.topic}/${row.kafka_partition}`, BigInt(row.next_offset)]));
  }

  async writeOffsets(table: string, connector: string, offsets: ReadonlyMap<string, bigint>): Promise<void> {
    if (offsets.size === 0) return;
    const values: unknown[] = [];
    const tuples: string[] = [];
    for (const [key, offset] of offsets) {
      const slash = key.lastIndexOf('/');
      values.push(connector, key.slice(0, slash), Number(key.slice(slash + 1)), offset.toString());
      const n = values.length;
      tuples.push(`($${n - 3}, $${n - 2}, $${n - 1}::integer, $${n}::bigint)`);
    }
    await this.client.query(
      `INSERT INTO ${quoteTable(table)} (connector, topic, kafka_partition, next_offset) VALUES ${tuples.join(', ')} ON CONFLICT (connector, topic, kafka_partition) DO UPDATE SET next_offset = EXCLUDED.next_offset`,
      values,
    );
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
