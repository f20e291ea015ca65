/**
 * A walsender connection in logical replication mode, over `pg`'s connection (startup parameter
 * `replication=database`). Spec: PostgreSQL 15 documentation, 55.4 "Streaming Replication
 * Protocol": replication commands (IDENTIFY_SYSTEM, CREATE_REPLICATION_SLOT, START_REPLICATION)
 * in simple queries, then CopyBoth mode where the server sends XLogData ('w') and primary
 * keepalive ('k') messages and we send standby status updates ('r').
 *
 * Why not `pg-logical-replication`: its pgoutput parser turns values into JS objects with `pg`'s
 * global type parsers (timestamps lose their microseconds; dates shift with the local zone) where
 * we need PostgreSQL's text to map types exactly as Debezium does; its standby updates
 * acknowledge the last *received* LSN on a timer unless switched off, while we may confirm only
 * what is durable in Kafka; and it does not create slots with an exported snapshot. The
 * protocol part we need is the three CopyData message layouts below.
 */
import pg from 'pg';
import type { Lsn } from './lsn.ts';
import { formatLsn, parseLsn } from './lsn.ts';
import { PG_EPOCH_OFFSET_US } from './pgoutput-decoder.ts';

export interface PgConnectionOptions {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password?: string;
  readonly database: string;
  readonly connectTimeoutMs?: number;
}

/**
 * Session settings for every connection we read values through, so the text forms that
 * `type-mapping.ts` parses do not depend on the server's defaults: UTC timestamps, ISO dates,
 * ISO-8601 intervals, shortest exact floats.
 */
export const SESSION_OPTIONS = '-c TimeZone=UTC -c DateStyle=ISO,YMD -c IntervalStyle=iso_8601 -c extra_float_digits=3 -c bytea_output=hex';

/** A plain (non-replication) client with our session settings. */
export async function connectPg(opts: PgConnectionOptions, applicationName = 'runnel-cdc'): Promise<pg.Client> {
  const client = new pg.Client({ ...clientConfig(opts), application_name: applicationName });
  await client.connect();
  // A lost connection fails the next query; without a listener it would crash the process.
  client.on('error', () => undefined);
  return client;
}

function clientConfig(opts: PgConnectionOptions): pg.ClientConfig {
  return {
    host: opts.host,
    port: opts.port,
    user: opts.user,
    password: opts.password,
    database: opts.database,
    options: SESSION_OPTIONS,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 30_000,
  };
}

export interface XLogData {
  readonly kind: 'xlog';
  readonly startLsn: Lsn;
  readonly walEnd: Lsn;
  readonly data: Buffer;
}

export interface PrimaryKeepalive {
  readonly kind: 'keepalive';
  readonly walEnd: Lsn;
  readonly replyRequested: boolean;
}

export type ReplicationMessage = XLogData | PrimaryKeepalive;

export interface CreatedSlot {
  readonly slotName: string;
  readonly consistentPoint: Lsn;
  /** The exported snapshot's name, valid until this connection runs its next command. */
  readonly snapshotName: string | null;
}

/** How often a standby status update is sent even when nothing changed, like `wal_receiver_status_interval`. */
export const STATUS_INTERVAL_MS = 10_000;

export class ReplicationConnection {
  private streaming: Promise<unknown> | null = null;
  private statusTimer: NodeJS.Timeout | null = null;
  private flushedLsn: Lsn = 0n;
  private closed = false;
  private paused = false;

  private constructor(private readonly client: pg.Client) {}

  static async open(opts: PgConnectionOptions): Promise<ReplicationConnection> {
    const config: pg.ClientConfig & { replication: string } = { ...clientConfig(opts), replication: 'database', application_name: 'runnel-cdc-stream' };
    const client = new pg.Client(config);
    await client.connect();
    const conn = new ReplicationConnection(client);
    client.on('error', (err) => conn.onError(err));
    return conn;
  }

  /** Errors after streaming started (connection lost, server shutdown); set by the owner. */
  onError: (err: Error) => void = () => undefined;

  async identifySystem(): Promise<{ systemId: string; timeline: number; xlogPos: Lsn; dbName: string }> {
    const r = await this.client.query<{ systemid: string; timeline: number; xlogpos: string; dbname: string }>('IDENTIFY_SYSTEM');
    const row = r.rows[0];
    return { systemId: row.systemid, timeline: Number(row.timeline), xlogPos: parseLsn(row.xlogpos), dbName: row.dbname };
  }

  /**
   * Creates a logical slot. With `exportSnapshot`, the returned snapshot sees exactly the
   * transactions committed before `consistentPoint`; a REPEATABLE READ transaction that runs
   * `SET TRANSACTION SNAPSHOT` with it reads the state the stream starts from.
   */
  async createSlot(slotName: string, plugin: string, exportSnapshot: boolean): Promise<CreatedSlot> {
    const sql = `CREATE_REPLICATION_SLOT ${quoteIdent(slotName)} LOGICAL ${quoteIdent(plugin)} ${exportSnapshot ? 'EXPORT_SNAPSHOT' : 'NOEXPORT_SNAPSHOT'}`;
    const r = await this.client.query<{ slot_name: string; consistent_point: string; snapshot_name: string | null }>(sql);
    const row = r.rows[0];
    return { slotName: row.slot_name, consistentPoint: parseLsn(row.consistent_point), snapshotName: row.snapshot_name };
  }

  /**
   * Enters CopyBoth mode. The server sends every transaction committing after
   * max(startLsn, the slot's confirmed_flush_lsn). Messages go to `onMessage` in order; the
   * returned promise settles when streaming ends (rejects on a server error such as a missing
   * publication or a slot in use).
   */
  startReplication(slotName: string, startLsn: Lsn, pluginOptions: Readonly<Record<string, string>>, onMessage: (m: ReplicationMessage) => void): Promise<unknown> {
    const opts = Object.entries(pluginOptions).map(([k, v]) => `${quoteIdent(k)} '${v.replace(/'/g, "''")}'`);
    const sql = `START_REPLICATION SLOT ${quoteIdent(slotName)} LOGICAL ${formatLsn(startLsn)} (${opts.join(', ')})`;
    this.flushedLsn = startLsn;
    const connection = this.client.connection;
    connection.on('copyData', (msg: unknown) => {
      const chunk = copyDataChunk(msg);
      if (!chunk) return;
      const m = parseReplicationMessage(chunk);
      if (m === null) return;
      if (m.kind === 'keepalive' && m.replyRequested) this.sendStatus(false);
      onMessage(m);
    });
    this.streaming = this.client.query(sql);
    this.statusTimer = setInterval(() => this.sendStatus(false), STATUS_INTERVAL_MS);
    this.statusTimer.unref();
    return this.streaming;
  }

  /**
   * Records `lsn` as flushed (durable downstream) and tells the server, which may then advance
   * the slot's confirmed_flush_lsn and recycle WAL before it. Never moves backwards.
   */
  confirm(lsn: Lsn): void {
    if (lsn <= this.flushedLsn) return;
    this.flushedLsn = lsn;
    this.sendStatus(false);
  }

  /** Asks the server for a keepalive now; its WAL position tells how far decoding has got. */
  requestKeepalive(): void {
    this.sendStatus(true);
  }

  get confirmedLsn(): Lsn {
    return this.flushedLsn;
  }

  /** Stops reading from the socket (TCP backpressure reaches the walsender). */
  pause(): void {
    if (this.paused || this.closed) return;
    this.paused = true;
    this.client.connection.stream.pause();
  }

  resume(): void {
    if (!this.paused || this.closed) return;
    this.paused = false;
    this.client.connection.stream.resume();
  }

  /** Standby status update: Byte1('r'), Int64 written, Int64 flushed, Int64 applied, Int64 clock, Byte1 reply. */
  private sendStatus(replyRequested: boolean): void {
    if (this.closed || this.streaming === null) return;
    const body = Buffer.alloc(34);
    body[0] = 0x72;
    body.writeBigUInt64BE(this.flushedLsn, 1);
    body.writeBigUInt64BE(this.flushedLsn, 9);
    body.writeBigUInt64BE(this.flushedLsn, 17);
    body.writeBigInt64BE(BigInt(Date.now()) * 1000n - PG_EPOCH_OFFSET_US, 25);
    body[33] = replyRequested ? 1 : 0;
    const frame = Buffer.alloc(5 + body.length);
    frame[0] = 0x64; // CopyData 'd'
    frame.writeInt32BE(4 + body.length, 1);
    body.copy(frame, 5);
    this.client.connection.stream.write(frame);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.statusTimer) clearInterval(this.statusTimer);
    this.sendStatus(false);
    this.closed = true;
    this.client.connection.removeAllListeners('copyData');
    if (this.paused) this.client.connection.stream.resume();
    this.streaming?.catch(() => undefined);
    await this.client.end().catch(() => undefined);
  }
}

function copyDataChunk(msg: unknown): Buffer | null {
  if (typeof msg !== 'object' || msg === null || !('chunk' in msg)) return null;
  const chunk = (msg as { chunk: unknown }).chunk;
  return Buffer.isBuffer(chunk) ? chunk : null;
}

/**
 * XLogData: Byte1('w'), Int64 start, Int64 current end of WAL, Int64 send time, Byten data.
 * Primary keepalive: Byte1('k'), Int64 end of WAL, Int64 send time, Byte1 reply requested.
 */
export function parseReplicationMessage(chunk: Buffer): ReplicationMessage | null {
  if (chunk[0] === 0x77 && chunk.length >= 25) {
    // A copy: pg-protocol's chunk is a view of its read buffer, which later socket reads overwrite,
    // and messages wait in our queue until the task polls.
    return { kind: 'xlog', startLsn: chunk.readBigUInt64BE(1), walEnd: chunk.readBigUInt64BE(9), data: Buffer.from(chunk.subarray(25)) };
  }
  if (chunk[0] === 0x6b && chunk.length >= 18) {
    return { kind: 'keepalive', walEnd: chunk.readBigUInt64BE(1), replyRequested: chunk[17] === 1 };
  }
  return null;
}

/** A double-quoted SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
