/**
 * The Nexmark correctness harness, shared by test/nexmark/queries.test.ts and bench/nexmark.ts:
 * an embedded broker and registry, the three topics filled by the generator, each query of
 * queries/nexmark run as a bounded statement through the SQL runtime's in-process API (the same
 * `SqlRuntime.execute` that `POST /v1/statements` calls), its sink topic read back, and the final
 * output compared with the DuckDB oracle.
 *
 * Bounded statements (`sql.tables.scan.bounded = true`) read each table up to the end offsets
 * seen at start and then end, and the end of input fires every open window (a final watermark at
 * +infinity, as Flink's bounded sources do); the oracle is called with that watermark.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Broker } from '../../src/broker/index.ts';
import { InProcessTopicClient } from '../../src/client/in-process.ts';
import { TopicClientNexmarkSink, nexmarkTopics, writeNexmark, type NexmarkConfig, type NexmarkProgress } from '../../src/connectors/nexmark/index.ts';
import type { SqlRuntime, StatementInfo } from '../../src/runtime/index.ts';
import { Deserializer, InProcessRegistryClient, SchemaRegistry } from '../../src/schema-registry/index.ts';
import type { OracleRow, OracleValue } from './oracle.ts';
import { ORACLE_QUERIES, type OracleWatermarks } from './oracle-queries.ts';

const queriesDir = new URL('../../queries/nexmark/', import.meta.url).pathname;
const runtimeModule = new URL('../../src/runtime/index.ts', import.meta.url).pathname;

/** Whether the SQL runtime exists in this tree (the harness waits for it otherwise). */
export const RUNTIME_AVAILABLE = existsSync(runtimeModule);

/** Every window closed: what the end of a bounded input means. */
export const BOUNDED_WATERMARKS: OracleWatermarks = { person: Number.MAX_SAFE_INTEGER, auction: Number.MAX_SAFE_INTEGER, bid: Number.MAX_SAFE_INTEGER };

export interface NexmarkEnv {
  broker: Broker;
  topics: InProcessTopicClient;
  registry: SchemaRegistry;
  client: InProcessRegistryClient;
  /** The data directory of filesystem tables (their relative 'path' resolves against it); holds q13's side input. */
  filesDir: string;
  stop(): Promise<void>;
}

/** q13's side input, relative to the data directory (its 'path' in queries/nexmark/q13.sql). */
export const SIDE_INPUT_CSV = 'data/side_input.txt';

/** Flink Nexmark's side input: keys 0..9999, each with its own decimal string as the value. */
export async function writeSideInput(filesDir: string, rows = 10_000): Promise<void> {
  await mkdir(join(filesDir, 'data'), { recursive: true });
  const lines: string[] = [];
  for (let k = 0; k < rows; k++) lines.push(`${k},${k}`);
  await writeFile(join(filesDir, SIDE_INPUT_CSV), `${lines.join('\n')}\n`);
}

export async function startNexmarkEnv(): Promise<NexmarkEnv> {
  const dir = await mkdtemp(join(tmpdir(), 'runnel-nexmark-'));
  const filesDir = await mkdtemp(join(tmpdir(), 'runnel-nexmark-files-'));
  await writeSideInput(filesDir);
  const broker = await Broker.start({ dataDir: dir, host: '127.0.0.1', port: 0, groupInitialRebalanceDelayMs: 0 });
  const topics = new InProcessTopicClient(broker);
  const registry = await SchemaRegistry.open(topics);
  return {
    broker,
    topics,
    registry,
    client: new InProcessRegistryClient(registry),
    filesDir,
    async stop() {
      await broker.stop();
      await rm(dir, { recursive: true, force: true });
      await rm(filesDir, { recursive: true, force: true });
    },
  };
}

/** Creates person, auction and bid (one partition each, kept forever) and generates into them. */
export async function fillNexmark(env: NexmarkEnv, config: NexmarkConfig, partitions = 1): Promise<NexmarkProgress> {
  const topics = nexmarkTopics();
  for (const topic of Object.values(topics)) await env.topics.createTopic(topic, { partitions, configs: { 'retention.ms': '-1' }, ifNotExists: true });
  return writeNexmark({ config, registry: env.client, topics, sink: new TopicClientNexmarkSink(env.topics, topics, partitions) });
}

/** The statements of a query file (or setup.sql), comments removed. */
export function queryStatements(name: string): string[] {
  const text = readFileSync(join(queriesDir, `${name}.sql`), 'utf8')
    .split('\n')
    .map((line) => line.replace(/--.*$/, ''))
    .join('\n');
  return text
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export const BOUNDED_PROPERTIES: Readonly<Record<string, string>> = Object.freeze({ 'sql.tables.scan.bounded': 'true' });

export interface QueryRunResult {
  statement: StatementInfo;
  /** The sink topic: the table the INSERT writes to. */
  sinkTopic: string;
  /** From submitting the INSERT to the statement's completion (its final checkpoint committed). */
  elapsedMs: number;
  /** CPU time of this process over the same span (the runtime runs in it). */
  cpuMs: number;
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * Runs one query's DDL and INSERT as a bounded statement and waits until it completes.
 * `properties` are added to the bounded ones (e.g. mini-batch); `replace` drops the query's
 * sink table first, so a query can run again in the same environment. Time and CPU are
 * measured from the INSERT's submission (validation, planning and start-up included) to the
 * statement's completion, as Nexmark measures the job and not the DDL run before it.
 */
export async function runQuery(sql: SqlRuntime, name: string, timeoutMs = 120_000, properties: Readonly<Record<string, string>> = {}, replace = false): Promise<QueryRunResult> {
  let statement: StatementInfo | undefined;
  let sinkTopic = '';
  if (replace) {
    for (const text of queryStatements(name)) {
      const table = /^CREATE\s+TABLE\s+(\S+)/i.exec(text);
      if (table) await sql.execute(`DROP TABLE IF EXISTS ${table[1]}`, {});
      // A query's own views (q12's temporary view) are made anew with it.
      const view = /^CREATE\s+(TEMPORARY\s+)?VIEW\s+(\S+)/i.exec(text);
      if (view) await sql.execute(`DROP ${view[1] ?? ''}VIEW IF EXISTS ${view[2]}`, {});
    }
  }
  let cpuStart = 0;
  let started = 0;
  for (const text of queryStatements(name)) {
    const insert = /^INSERT\s+INTO\s+(\S+)/i.exec(text);
    if (insert) {
      sinkTopic = insert[1].replace(/`/g, '');
      cpuStart = cpuMs();
      started = performance.now();
    }
    const r = await sql.execute(text, { ...BOUNDED_PROPERTIES, ...properties });
    if (r.kind === 'statement') statement = r.statement;
  }
  if (statement === undefined) throw new Error(`${name}: no statement was started`);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name}: statement still ${sql.statements.get(statement.id)?.status} after ${timeoutMs} ms (rows in ${sql.statements.get(statement.id)?.metrics.rowsIn})`)), timeoutMs);
  });
  const info = await Promise.race([sql.statements.settled(statement.id), timeout]).finally(() => clearTimeout(timer));
  const elapsedMs = performance.now() - started;
  const cpu = cpuMs() - cpuStart;
  if (info === undefined) throw new Error(`${name}: statement ${statement.id} disappeared`);
  if (info.status !== 'COMPLETED') throw new Error(`${name}: statement ${info.status}: ${info.error ?? ''}`);
  return { statement: info, sinkTopic, elapsedMs, cpuMs: cpu };
}

/**
 * The final output of a sink topic: every value for an append-only sink; for an upsert sink
 * (records with keys) the last value per key with the key's columns, tombstones removing it.
 */
export async function readSinkRows(env: NexmarkEnv, topic: string): Promise<OracleRow[]> {
  const de = new Deserializer(env.client);
  const appended: OracleRow[] = [];
  const byKey = new Map<string, OracleRow | null>();
  const partitions = (await env.topics.partitionCount(topic)) ?? 0;
  for (let p = 0; p < partitions; p++) {
    // Read as a read_committed consumer: the sink writes one transaction per checkpoint.
    const { end } = await env.topics.offsets(topic, p, 'read_committed');
    let offset = 0n;
    while (offset < end) {
      const { records, nextOffset } = await env.topics.fetch(topic, p, offset, { maxBytes: 4 * 1024 * 1024, isolationLevel: 'read_committed' });
      if (nextOffset === offset) break;
      offset = nextOffset;
      for (const r of records) {
        const value = r.value === null ? null : normalizeRow(await de.deserialize(r.value));
        if (r.key === null) {
          if (value !== null) appended.push(value);
        } else {
          // Key columns live in the key (value.fields-include = except-key): merge them back.
          const key = normalizeRow(await de.deserialize(r.key));
          byKey.set(r.key.toString('hex'), value === null ? null : { ...key, ...value });
        }
      }
    }
  }
  for (const v of byKey.values()) if (v !== null) appended.push(v);
  return appended;
}

function normalizeRow(v: unknown): OracleRow {
  const out: OracleRow = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = normalizeValue(x);
  return out;
}

/** Decoded Avro to the oracle's conventions: times in ms, longs as numbers, decimals as text. */
export function normalizeValue(x: unknown): OracleValue {
  if (x === null || x === undefined) return null;
  if (x instanceof Date) return x.getTime();
  if (typeof x === 'bigint') return Number(x);
  if (typeof x === 'number' || typeof x === 'string') return x;
  if (x instanceof Uint8Array) return `${UNSCALED}${unscaledDecimal(x)}`;
  if (typeof x === 'object' && x !== null && 'string' in x) return normalizeValue((x as { string: unknown }).string); // a ["null","string"] union
  if (typeof x === 'object' && x !== null && 'long' in x) return normalizeValue((x as { long: unknown }).long);
  return String(x);
}

/** Marks an Avro `decimal` (bytes) decoded without its scale: the unscaled integer follows. */
const UNSCALED = 'unscaled:';

/** Avro decimal bytes: a big-endian two's-complement unscaled integer. */
function unscaledDecimal(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  if (bytes.length > 0 && bytes[0] & 0x80) n -= 1n << BigInt(bytes.length * 8);
  return n;
}

/** A decimal string with its scale ("908.000") from decimal text, a number or unscaled bytes. */
function canonicalDecimal(v: OracleValue, scale: number): OracleValue {
  if (v === null) return null;
  if (typeof v === 'string' && v.startsWith(UNSCALED)) {
    const n = BigInt(v.slice(UNSCALED.length));
    const sign = n < 0n ? '-' : '';
    const digits = (n < 0n ? -n : n).toString().padStart(scale + 1, '0');
    return `${sign}${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  }
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n.toFixed(scale) : v;
}

/** Rows as sorted JSON lines, for multiset comparison with readable diffs. */
export function canonicalRows(rows: readonly OracleRow[], columns?: readonly string[], decimals: Readonly<Record<string, number>> = {}): string[] {
  return rows
    .map((r) => {
      const keys = columns ?? Object.keys(r).sort();
      return JSON.stringify(keys.map((k) => (k in decimals ? canonicalDecimal(r[k] ?? null, decimals[k]) : (r[k] ?? null))));
    })
    .sort();
}

/** Columns compared for a query: its stable columns when ties make others arbitrary. */
export function comparedColumns(query: string, oracleRows: readonly OracleRow[]): string[] | undefined {
  const stable = ORACLE_QUERIES[query]?.stableColumns;
  if (stable) return [...stable];
  return oracleRows.length > 0 ? Object.keys(oracleRows[0]).sort() : undefined;
}

/** DECIMAL(23, 3) columns per query, compared as text with three decimals. */
export const DECIMAL_COLUMNS: Readonly<Record<string, Readonly<Record<string, number>>>> = { q1: { price: 3 }, q14: { price: 3 } };

/** q12 compares per-bidder totals: which processing-time window a bid falls in is not reproducible. */
export function totalsByBidder(rows: readonly OracleRow[]): OracleRow[] {
  const totals = new Map<number, number>();
  for (const r of rows) totals.set(r.bidder as number, (totals.get(r.bidder as number) ?? 0) + (r.bid_count as number));
  return [...totals].map(([bidder, bid_count]) => ({ bidder, bid_count }));
}
