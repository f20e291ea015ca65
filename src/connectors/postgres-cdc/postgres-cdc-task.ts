/**
 * The source task: sets up publication and slot, takes the initial snapshot from the slot's
 * exported snapshot, then streams the slot. Offsets are the framework's; the slot's confirmed
 * position moves only when the framework reports records durable (`commitRecord`).
 *
 * Phases: `snapshot` (SnapshotReader, inside the exported-snapshot transaction) → `streaming`
 * (ChangeStream over a ReplicationConnection) or, for `initial_only`, `done`.
 */
import type pg from 'pg';
import type { RecordMetadata, SourceRecord, SourceTask, SourceTaskContext } from '../api.ts';
import { buildCapturedTable, type CapturedTable } from './captured-table.ts';
import { describeTable, loadUserTypes } from './catalog.ts';
import { ChangeStream } from './change-stream.ts';
import { parseCdcConfig, type CdcConfig } from './config.ts';
import type { Lsn } from './lsn.ts';
import { resumePosition, sourcePartition, type ResumePosition } from './offsets.ts';
import { connectPg, ReplicationConnection } from './replication-connection.ts';
import { SnapshotReader } from './snapshot-reader.ts';
import { capturedTableNames, dropSlot, ensurePublication, slotState, type SlotState } from './setup.ts';
import type { PgTypeInfo } from './type-mapping.ts';

type Phase = 'snapshot' | 'streaming' | 'done';

export class PostgresCdcTask implements SourceTask {
  private config!: CdcConfig;
  private context!: SourceTaskContext;
  private catalog: pg.Client | null = null;
  private snapshotClient: pg.Client | null = null;
  private replication: ReplicationConnection | null = null;
  private snapshot: SnapshotReader | null = null;
  private stream: ChangeStream | null = null;
  private types = new Map<number, PgTypeInfo>();
  private phase: Phase = 'streaming';
  private streamResume: ResumePosition = { kind: 'none' };
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private stopping = false;

  async start(context: SourceTaskContext): Promise<void> {
    this.context = context;
    this.config = parseCdcConfig(context.config);
    const { config } = this;
    const partition = sourcePartition(config.topicPrefix);
    const resume = resumePosition(context.offsets.offset(partition));
    this.catalog = await connectPg(config.connection, 'runnel-cdc-catalog');
    this.types = await loadUserTypes(this.catalog);
    await ensurePublication(this.catalog, config);
    const slot = await slotState(this.catalog, config.slotName);
    if (slot.exists && slot.plugin !== 'pgoutput') throw new Error(`slot '${config.slotName}' uses plugin ${slot.plugin}, not pgoutput`);
    const snapshot = needsSnapshot(config, resume, slot);
    context.logger.info({ slot: config.slotName, resume: resume.kind, snapshot }, 'postgres cdc starting');
    this.replication = await ReplicationConnection.open(config.connection);
    if (snapshot) {
      if (slot.exists) {
        if (slot.active) throw new Error(`slot '${config.slotName}' is in use by another connection`);
        // An exported snapshot comes only with a new slot; the old one's position cannot meet a new snapshot.
        await dropSlot(this.catalog, config.slotName);
      }
      const created = await this.replication.createSlot(config.slotName, 'pgoutput', true);
      await this.beginSnapshot(created.snapshotName!, created.consistentPoint);
      this.streamResume = { kind: 'stream', commitLsn: 0n, eventsProcessed: 0, lsn: created.consistentPoint };
      this.phase = 'snapshot';
    } else {
      if (!slot.exists) await this.replication.createSlot(config.slotName, 'pgoutput', false);
      this.streamResume = resume;
      if (config.snapshotMode === 'initial_only') this.phase = 'done';
      else this.startStreaming();
    }
  }

  private async beginSnapshot(snapshotName: string, consistentPoint: Lsn): Promise<void> {
    const { config } = this;
    const client = await connectPg(config.connection, 'runnel-cdc-snapshot');
    this.snapshotClient = client;
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    await client.query(`SET TRANSACTION SNAPSHOT '${snapshotName.replace(/'/g, "''")}'`);
    const tx = await client.query<{ txid: string }>('SELECT txid_current()::text AS txid');
    const tables: CapturedTable[] = [];
    for (const t of await capturedTableNames(client, config)) {
      const meta = await describeTable(client, t.oid);
      if (!meta) continue;
      const types = this.types;
      tables.push(buildCapturedTable(config.topicPrefix, t, meta.columns, meta.primaryKey, (oid) => types.get(oid), config.mapping));
    }
    this.snapshot = new SnapshotReader(client, tables, {
      serverName: config.topicPrefix,
      db: config.connection.database,
      partition: sourcePartition(config.topicPrefix),
      consistentPoint,
      txId: Number(tx.rows[0].txid),
      fetchSize: config.snapshotFetchSize,
    });
  }

  private startStreaming(): void {
    const { config } = this;
    const repl = this.replication!;
    const stream = new ChangeStream({
      config,
      partition: sourcePartition(config.topicPrefix),
      catalog: this.catalog!,
      types: this.types,
      resume: this.streamResume,
      pause: () => repl.pause(),
      resume_: () => repl.resume(),
      confirm: (lsn) => repl.confirm(lsn),
      requestKeepalive: () => repl.requestKeepalive(),
    });
    this.stream = stream;
    repl.onError = (err) => stream.fail(err);
    repl
      .startReplication(config.slotName, 0n, { proto_version: '1', publication_names: config.publicationName }, (m) => stream.push(m))
      .then(
        () => this.stopping || stream.fail(new Error('the replication stream ended')),
        (err: unknown) => stream.fail(err instanceof Error ? err : new Error(String(err))),
      );
    if (config.heartbeatIntervalMs > 0 && config.heartbeatActionQuery) {
      const query = config.heartbeatActionQuery;
      this.heartbeatTimer = setInterval(() => {
        this.catalog?.query(query).catch((err: unknown) => this.context.logger.warn({ err }, 'heartbeat.action.query failed'));
      }, config.heartbeatIntervalMs);
      this.heartbeatTimer.unref();
    }
    this.phase = 'streaming';
  }

  async poll(): Promise<SourceRecord[] | null> {
    switch (this.phase) {
      case 'snapshot': {
        const snapshot = this.snapshot!;
        const records = await snapshot.next();
        // End the snapshot transaction as soon as the last row is read: it holds locks (a TRUNCATE would wait).
        if (snapshot.finished) await this.finishSnapshot();
        return records ?? [];
      }
      case 'streaming':
        return this.stream!.poll(this.config.maxBatchSize, this.config.pollIntervalMs);
      case 'done':
        await new Promise((r) => setTimeout(r, this.config.pollIntervalMs));
        return null;
      default: {
        const never: never = this.phase;
        throw new Error(`unknown phase ${String(never)}`);
      }
    }
  }

  private async finishSnapshot(): Promise<void> {
    const rows = this.snapshot?.rowsRead ?? 0;
    await this.snapshotClient!.query('COMMIT');
    await this.snapshotClient!.end();
    this.snapshotClient = null;
    this.snapshot = null;
    this.context.logger.info({ rows }, 'postgres cdc snapshot complete');
    if (this.config.snapshotMode === 'initial_only') this.phase = 'done';
    else this.startStreaming();
  }

  async commitRecord(record: SourceRecord, _metadata: RecordMetadata): Promise<void> {
    this.stream?.recordDurable(record);
  }

  /** The slot position confirmed to the server so far (for tests and metrics). */
  get confirmedLsn(): Lsn {
    return this.replication?.confirmedLsn ?? 0n;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    await this.replication?.close();
    this.replication = null;
    await this.snapshotClient?.end().catch(() => undefined);
    this.snapshotClient = null;
    if (this.config?.slotDropOnStop && this.catalog) {
      await dropSlot(this.catalog, this.config.slotName).catch((err: unknown) => this.context.logger.warn({ err }, 'could not drop the slot'));
    }
    await this.catalog?.end().catch(() => undefined);
    this.catalog = null;
  }
}

/** Whether this start takes a snapshot, by `snapshot.mode` (Debezium's semantics). */
export function needsSnapshot(config: CdcConfig, resume: ResumePosition, slot: SlotState): boolean {
  const noOffsets = resume.kind === 'none' || resume.kind === 'snapshot-incomplete';
  switch (config.snapshotMode) {
    case 'always':
      return true;
    case 'initial':
    case 'initial_only':
      return noOffsets;
    case 'when_needed':
      return noOffsets || !slot.exists;
    case 'never':
    case 'no_data':
      return false;
    default: {
      const never: never = config.snapshotMode;
      throw new Error(`unknown snapshot.mode ${String(never)}`);
    }
  }
}
