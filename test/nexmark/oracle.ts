/**
 * The DuckDB oracle for Nexmark: loads the same events the generator writes to the topics into
 * DuckDB tables `person`, `auction` and `bid` (same column names, `dateTime` and `expires` as
 * TIMESTAMP in UTC, plus a hidden `_seq` generation index), and computes each query's final
 * result as a batch query (oracle-queries.ts says how each streaming result maps to it).
 *
 * @example
 *   const oracle = await NexmarkOracle.create();
 *   await oracle.loadGenerated(nexmarkConfig({ numEvents: 100_000, seed: 1 }));
 *   const rows = await oracle.run('q11');
 */
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import {
  NexmarkGenerator,
  type AuctionRow,
  type BidRow,
  type NexmarkConfig,
  type NexmarkDictionaries,
  type PersonRow,
} from '../../src/connectors/nexmark/index.ts';
import { ORACLE_QUERIES, type OracleWatermarks } from './oracle-queries.ts';

export type OracleValue = number | string | null;
export type OracleRow = Record<string, OracleValue>;

/** The bounded out-of-orderness of queries/nexmark/setup.sql. */
export const WATERMARK_DELAY_MS = 4000;

export interface OracleTimed {
  rows: OracleRow[];
  elapsedMs: number;
}

export class NexmarkOracle {
  private constructor(
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  static async create(): Promise<NexmarkOracle> {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run(`SET TimeZone = 'UTC'`);
    return new NexmarkOracle(instance, connection);
  }

  /** Generates the events of `config` (as `runnel nexmark` would) and loads them. */
  async loadGenerated(config: NexmarkConfig): Promise<{ persons: number; auctions: number; bids: number }> {
    const gen = new NexmarkGenerator(config);
    await this.createRawTables(gen.dictionaries);
    const raw = await this.rawAppenders();
    const counts = { persons: 0, auctions: 0, bids: 0 };
    const pool = gen.dictionaries.extraPool;
    const extra = (start: number, length: number) => Buffer.from(pool.buffer, pool.byteOffset + start, length).toString('latin1');
    for (let batch = gen.nextBatch(); batch; batch = gen.nextBatch()) {
      const arena = batch.arena.bytes;
      const text = (start: number, length: number) => Buffer.from(arena.buffer, arena.byteOffset + start, length).toString('latin1');
      const p = batch.persons;
      for (let i = 0; i < p.length; i++) {
        const a = raw.person;
        a.appendDouble(counts.persons++);
        a.appendDouble(p.id[i]);
        a.appendInteger(p.name[i]);
        a.appendVarchar(text(p.emailStart[i], p.emailLength[i]));
        const cc = p.creditCard;
        a.appendVarchar(`${pad4(cc[i * 4])} ${pad4(cc[i * 4 + 1])} ${pad4(cc[i * 4 + 2])} ${pad4(cc[i * 4 + 3])}`);
        a.appendInteger(p.city[i]);
        a.appendInteger(p.state[i]);
        a.appendDouble(p.dateTime[i]);
        a.appendVarchar(extra(p.extraStart[i], p.extraLength[i]));
        a.endRow();
      }
      const au = batch.auctions;
      for (let i = 0; i < au.length; i++) {
        const a = raw.auction;
        a.appendDouble(counts.auctions++);
        a.appendDouble(au.id[i]);
        a.appendVarchar(text(au.itemNameStart[i], au.itemNameLength[i]));
        a.appendVarchar(text(au.descriptionStart[i], au.descriptionLength[i]));
        a.appendDouble(au.initialBid[i]);
        a.appendDouble(au.reserve[i]);
        a.appendDouble(au.dateTime[i]);
        a.appendDouble(au.expires[i]);
        a.appendDouble(au.seller[i]);
        a.appendInteger(au.category[i]);
        a.appendVarchar(extra(au.extraStart[i], au.extraLength[i]));
        a.endRow();
      }
      const b = batch.bids;
      const a = raw.bid;
      for (let i = 0; i < b.length; i++) {
        a.appendDouble(counts.bids++);
        a.appendDouble(b.auction[i]);
        a.appendDouble(b.bidder[i]);
        a.appendDouble(b.price[i]);
        a.appendInteger(b.channel[i]);
        a.appendDouble(b.dateTime[i]);
        a.appendVarchar(extra(b.extraStart[i], b.extraLength[i]));
        a.endRow();
      }
    }
    for (const a of Object.values(raw)) a.closeSync();
    await this.typedTablesFromRaw();
    return counts;
  }

  /** Loads hand-made rows (tests of the oracle itself). Times are ms since the epoch. */
  async loadRows(rows: { persons?: readonly PersonRow[]; auctions?: readonly AuctionRow[]; bids?: readonly BidRow[] }): Promise<void> {
    await this.createTypedTables();
    const c = this.connection;
    const insert = async (table: string, columns: string[], values: readonly Record<string, unknown>[], times: string[]) => {
      const appender = await c.createAppender(`${table}_in`);
      values.forEach((row, seq) => {
        appender.appendDouble(seq);
        for (const col of columns) {
          const v = row[col];
          if (typeof v === 'number') appender.appendDouble(v);
          else appender.appendVarchar(String(v));
        }
        appender.endRow();
      });
      appender.closeSync();
      const select = columns.map((col) => (times.includes(col) ? `epoch_ms(CAST("${col}" AS BIGINT)) AS "${col}"` : `"${col}"`));
      await c.run(`INSERT INTO ${table} SELECT CAST(_seq AS BIGINT), ${select.join(', ')} FROM ${table}_in`);
    };
    const personCols = ['id', 'name', 'emailAddress', 'creditCard', 'city', 'state', 'dateTime', 'extra'];
    const auctionCols = ['id', 'itemName', 'description', 'initialBid', 'reserve', 'dateTime', 'expires', 'seller', 'category', 'extra'];
    const bidCols = ['auction', 'bidder', 'price', 'channel', 'url', 'dateTime', 'extra'];
    await c.run(`CREATE TEMP TABLE person_in (_seq DOUBLE, ${personCols.map((n) => `"${n}" ${['id', 'dateTime'].includes(n) ? 'DOUBLE' : 'VARCHAR'}`).join(', ')})`);
    await c.run(`CREATE TEMP TABLE auction_in (_seq DOUBLE, ${auctionCols.map((n) => `"${n}" ${['itemName', 'description', 'extra'].includes(n) ? 'VARCHAR' : 'DOUBLE'}`).join(', ')})`);
    await c.run(`CREATE TEMP TABLE bid_in (_seq DOUBLE, ${bidCols.map((n) => `"${n}" ${['channel', 'url', 'extra'].includes(n) ? 'VARCHAR' : 'DOUBLE'}`).join(', ')})`);
    await insert('person', personCols, (rows.persons ?? []) as unknown as Record<string, unknown>[], ['dateTime']);
    await insert('auction', auctionCols, (rows.auctions ?? []) as unknown as Record<string, unknown>[], ['dateTime', 'expires']);
    await insert('bid', bidCols, (rows.bids ?? []) as unknown as Record<string, unknown>[], ['dateTime']);
  }

  /** Each table's final watermark: its last event time minus the 4 s bound. */
  async finalWatermarks(delayMs = WATERMARK_DELAY_MS): Promise<OracleWatermarks> {
    const rows = await this.sql(`
      SELECT (SELECT epoch_ms(max("dateTime")) FROM person) AS person,
             (SELECT epoch_ms(max("dateTime")) FROM auction) AS auction,
             (SELECT epoch_ms(max("dateTime")) FROM bid) AS bid`);
    const wm = (v: OracleValue) => (typeof v === 'number' ? v - delayMs : Number.MIN_SAFE_INTEGER);
    return { person: wm(rows[0].person), auction: wm(rows[0].auction), bid: wm(rows[0].bid) };
  }

  /** The final result of a Nexmark query (`q0`, ...). */
  async run(query: string, watermarks?: OracleWatermarks): Promise<OracleRow[]> {
    return (await this.timed(query, watermarks)).rows;
  }

  /** The result and DuckDB's time for it (the benchmark's batch comparison). */
  async timed(query: string, watermarks?: OracleWatermarks): Promise<OracleTimed> {
    const q = ORACLE_QUERIES[query];
    if (q === undefined) throw new Error(`the oracle has no query '${query}' (it has ${Object.keys(ORACLE_QUERIES).join(', ')})`);
    const sql = q.sql(watermarks ?? (await this.finalWatermarks()));
    const started = performance.now();
    const rows = await this.sql(sql);
    return { rows, elapsedMs: performance.now() - started };
  }

  /**
   * DuckDB's time to compute a query's whole result as a batch, materialized into a temporary
   * table (no conversion to JavaScript), and its row count: the benchmark's comparison.
   */
  async timedBatch(query: string, watermarks?: OracleWatermarks): Promise<{ rowCount: number; elapsedMs: number }> {
    const q = ORACLE_QUERIES[query];
    if (q === undefined) throw new Error(`the oracle has no query '${query}'`);
    const sql = q.sql(watermarks ?? (await this.finalWatermarks()));
    const started = performance.now();
    await this.connection.run(`CREATE OR REPLACE TEMP TABLE batch_result AS ${sql}`);
    const elapsedMs = performance.now() - started;
    const [{ n }] = await this.sql('SELECT count(*) AS n FROM batch_result');
    await this.connection.run('DROP TABLE batch_result');
    return { rowCount: n as number, elapsedMs };
  }

  /** Runs any SQL and returns rows with BIGINT as numbers and TIMESTAMP as epoch ms. */
  /**
   * Rows of the Parquet files under `dir` (Hive-style partition directories become columns, as
   * strings), timestamps as ms: how the result of a filesystem sink (q10) is read back.
   */
  async readParquet(dir: string, timestampColumns: readonly string[]): Promise<OracleRow[]> {
    const glob = join(dir, '**', '*.parquet').replace(/'/g, "''");
    const ms = timestampColumns.map((c) => `epoch_ms("${c}") AS "${c}"`);
    const exclude = timestampColumns.length === 0 ? '' : ` EXCLUDE (${timestampColumns.map((c) => `"${c}"`).join(', ')})`;
    return this.sql(`SELECT *${exclude}${ms.map((m) => `, ${m}`).join('')} FROM read_parquet('${glob}', hive_partitioning = true, hive_types_autocast = false)`);
  }

  async sql(text: string): Promise<OracleRow[]> {
    const reader = await this.connection.runAndReadAll(text);
    return reader.getRowObjectsJS().map((row) => {
      const out: OracleRow = {};
      for (const [k, v] of Object.entries(row)) out[k] = normalize(v);
      return out;
    });
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }

  private async createRawTables(d: NexmarkDictionaries): Promise<void> {
    const c = this.connection;
    const dictionary = async (name: string, strings: readonly string[]) => {
      await c.run(`CREATE TEMP TABLE ${name} (i INTEGER, s VARCHAR)`);
      const a = await c.createAppender(name);
      strings.forEach((s, i) => {
        a.appendInteger(i);
        a.appendVarchar(s);
        a.endRow();
      });
      a.closeSync();
    };
    await dictionary('d_names', d.names.strings);
    await dictionary('d_cities', d.cities.strings);
    await dictionary('d_states', d.states.strings);
    await dictionary('d_channels', d.channels.strings);
    await dictionary('d_urls', d.urls.strings);
    await c.run(`CREATE TEMP TABLE person_raw (_seq DOUBLE, id DOUBLE, name INTEGER, email VARCHAR, card VARCHAR, city INTEGER, state INTEGER, t DOUBLE, extra VARCHAR)`);
    await c.run(`CREATE TEMP TABLE auction_raw (_seq DOUBLE, id DOUBLE, item VARCHAR, descr VARCHAR, initial DOUBLE, reserve DOUBLE, t DOUBLE, expires DOUBLE, seller DOUBLE, category INTEGER, extra VARCHAR)`);
    await c.run(`CREATE TEMP TABLE bid_raw (_seq DOUBLE, auction DOUBLE, bidder DOUBLE, price DOUBLE, channel INTEGER, t DOUBLE, extra VARCHAR)`);
  }

  private async rawAppenders(): Promise<Record<'person' | 'auction' | 'bid', DuckDBAppender>> {
    const c = this.connection;
    return { person: await c.createAppender('person_raw'), auction: await c.createAppender('auction_raw'), bid: await c.createAppender('bid_raw') };
  }

  private async createTypedTables(): Promise<void> {
    const c = this.connection;
    await c.run(`CREATE TABLE person (_seq BIGINT, id BIGINT, name VARCHAR, emailAddress VARCHAR, creditCard VARCHAR, city VARCHAR, state VARCHAR, "dateTime" TIMESTAMP, extra VARCHAR)`);
    await c.run(
      `CREATE TABLE auction (_seq BIGINT, id BIGINT, itemName VARCHAR, description VARCHAR, initialBid BIGINT, reserve BIGINT, "dateTime" TIMESTAMP, expires TIMESTAMP, seller BIGINT, category BIGINT, extra VARCHAR)`,
    );
    await c.run(`CREATE TABLE bid (_seq BIGINT, auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR, "dateTime" TIMESTAMP, extra VARCHAR)`);
  }

  /** Resolves dictionary indexes and padding windows into the typed tables, then drops the raw ones. */
  private async typedTablesFromRaw(): Promise<void> {
    const c = this.connection;
    await this.createTypedTables();
    const ts = (col: string) => `epoch_ms(CAST(${col} AS BIGINT))`;
    await c.run(`
      INSERT INTO person SELECT CAST(_seq AS BIGINT), CAST(r.id AS BIGINT), n.s, email, card, ci.s, st.s, ${ts('r.t')}, extra
      FROM person_raw r JOIN d_names n ON n.i = r.name JOIN d_cities ci ON ci.i = r.city JOIN d_states st ON st.i = r.state
      ORDER BY _seq`);
    await c.run(`
      INSERT INTO auction SELECT CAST(_seq AS BIGINT), CAST(id AS BIGINT), item, descr, CAST(initial AS BIGINT), CAST(reserve AS BIGINT),
        ${ts('t')}, ${ts('expires')}, CAST(seller AS BIGINT), category, extra
      FROM auction_raw ORDER BY _seq`);
    await c.run(`
      INSERT INTO bid SELECT CAST(_seq AS BIGINT), CAST(auction AS BIGINT), CAST(bidder AS BIGINT), CAST(price AS BIGINT), ch.s, u.s, ${ts('r.t')}, extra
      FROM bid_raw r JOIN d_channels ch ON ch.i = r.channel JOIN d_urls u ON u.i = r.channel
      ORDER BY _seq`);
    for (const t of ['person_raw', 'auction_raw', 'bid_raw', 'd_names', 'd_cities', 'd_states', 'd_channels', 'd_urls']) await c.run(`DROP TABLE ${t}`);
  }
}

function pad4(n: number): string {
  return String(n).padStart(4, '0');
}

function normalize(v: unknown): OracleValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return String(v);
}
