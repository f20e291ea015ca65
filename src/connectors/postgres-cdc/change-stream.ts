/**
 * Turns the replication stream into change records. Messages from the walsender are queued
 * (reading pauses past `maxQueueSize`) and decoded only when the task polls, so a slow topic
 * slows the server's sending instead of growing memory. Tracks which transactions are fully
 * durable downstream and only then confirms their end LSN to the slot.
 */
import type pg from 'pg';
import type { SourcePartition, SourceRecord } from '../api.ts';
import { buildCapturedTable, type CapturedTable, type TableColumn } from './captured-table.ts';
import { describeTable, loadUserTypes } from './catalog.ts';
import { changeRecord, envelope, heartbeatRecord, sequenceOf, sourceStruct, tombstoneRecord, truncateRecord, type EventClock, type Op } from './change-events.ts';
import { tableIncluded, type CdcConfig } from './config.ts';
import type { Lsn } from './lsn.ts';
import { alreadyEmitted, streamOffset, type ResumePosition } from './offsets.ts';
import { decodePgoutput } from './pgoutput-decoder.ts';
import type { BeginMessage, RelationMessage, TupleValue } from './pgoutput-messages.ts';
import type { ReplicationMessage } from './replication-connection.ts';
import type { PgTypeInfo } from './type-mapping.ts';

/** Transaction ends remembered until they are confirmed (one per transaction in flight downstream). */
export const PENDING_TX_ENDS_MAX = 1_000_000;

interface TxState {
  readonly xid: number;
  readonly commitLsn: Lsn;
  readonly commitTimeUs: bigint;
  events: number;
}

export interface ChangeStreamDeps {
  readonly config: CdcConfig;
  readonly partition: SourcePartition;
  /** A plain connection for catalog lookups when Relation messages arrive. */
  readonly catalog: pg.Client;
  readonly types: Map<number, PgTypeInfo>;
  readonly resume: ResumePosition;
  /** Stop/start reading from the server. */
  readonly pause: () => void;
  readonly resume_: () => void;
  /** Confirm an LSN to the slot (durable downstream). */
  readonly confirm: (lsn: Lsn) => void;
  /** Ask the server for a keepalive (whose position a heartbeat can carry). */
  readonly requestKeepalive: () => void;
}

export class ChangeStream {
  private readonly inbound: ReplicationMessage[] = [];
  private inboundHead = 0;
  private wake: (() => void) | null = null;
  private failure: Error | null = null;
  private readonly relations = new Map<number, CapturedTable | null>();
  private tx: TxState | null = null;
  private lastCommitLsn: Lsn | null = null;
  /** Records handed out so far, and how many of them are durable. */
  private emitted = 0;
  private durable = 0;
  private readonly seqOf = new WeakMap<SourceRecord, number>();
  /** Transaction (or heartbeat) end LSNs with the emitted count at that point, oldest first. */
  private readonly txEnds: { seq: number; endLsn: Lsn }[] = [];
  private txEndsHead = 0;
  /** The server's position from the latest keepalive processed in order: every transaction committed before it was sent. */
  private keepaliveLsn: Lsn = 0n;
  private heartbeatLsn: Lsn = 0n;
  private keepaliveRequestedMs = 0;
  private lastActivityMs = Date.now();
  private paused = false;

  constructor(private readonly deps: ChangeStreamDeps) {}

  /** Called for every message from the server, in order. */
  push(m: ReplicationMessage): void {
    this.inbound.push(m);
    if (!this.paused && this.inbound.length - this.inboundHead >= this.deps.config.maxQueueSize) {
      this.paused = true;
      this.deps.pause();
    }
    this.wake?.();
  }

  /** The stream ended with an error (connection lost, slot dropped); the next poll throws it. */
  fail(err: Error): void {
    this.failure ??= err;
    this.wake?.();
  }

  /** Up to `max` records, waiting up to `waitMs` for the first. */
  async poll(max: number, waitMs: number): Promise<SourceRecord[]> {
    if (this.failure) throw this.failure;
    if (this.inboundHead >= this.inbound.length) await this.waitForInput(waitMs);
    if (this.failure) throw this.failure;
    const out: SourceRecord[] = [];
    const clock: EventClock = { tsMs: Date.now() };
    while (out.length < max && this.inboundHead < this.inbound.length) {
      const m = this.inbound[this.inboundHead++];
      if (m.kind === 'keepalive') {
        if (m.walEnd > this.keepaliveLsn) this.keepaliveLsn = m.walEnd;
        continue;
      }
      await this.handle(m.startLsn, m.data, out, clock);
    }
    this.compactInbound();
    if (out.length === 0) this.maybeHeartbeat(out, clock);
    else this.lastActivityMs = clock.tsMs;
    for (const r of out) this.seqOf.set(r, ++this.emitted);
    this.advanceConfirmed();
    return out;
  }

  /** The framework says `record` is durable in its topic with its offset committed. */
  recordDurable(record: SourceRecord): void {
    const seq = this.seqOf.get(record);
    if (seq !== undefined && seq > this.durable) this.durable = seq;
    this.advanceConfirmed();
  }

  private waitForInput(waitMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, waitMs);
      const self = this;
      function done(): void {
        clearTimeout(timer);
        self.wake = null;
        resolve();
      }
      this.wake = done;
    });
  }

  private compactInbound(): void {
    if (this.inboundHead >= this.inbound.length) {
      this.inbound.length = 0;
      this.inboundHead = 0;
    } else if (this.inboundHead > 4096) {
      this.inbound.splice(0, this.inboundHead);
      this.inboundHead = 0;
    }
    if (this.paused && this.inbound.length - this.inboundHead < this.deps.config.maxQueueSize / 2) {
      this.paused = false;
      this.deps.resume_();
    }
  }

  private async handle(lsn: Lsn, data: Buffer, out: SourceRecord[], clock: EventClock): Promise<void> {
    const msg = decodePgoutput(data);
    switch (msg.kind) {
      case 'begin':
        this.begin(msg);
        return;
      case 'commit':
        this.lastCommitLsn = msg.commitLsn;
        this.tx = null;
        this.txEnds.push({ seq: this.emitted + out.length, endLsn: msg.endLsn });
        if (this.txEnds.length - this.txEndsHead > PENDING_TX_ENDS_MAX) throw new Error(`more than ${PENDING_TX_ENDS_MAX} transactions await durability`);
        return;
      case 'relation':
        await this.relation(msg);
        return;
      case 'insert': {
        const t = this.table(msg.relationId);
        if (t) this.emit(t, 'c', null, msg.newTuple, lsn, out, clock);
        return;
      }
      case 'update': {
        const t = this.table(msg.relationId);
        if (t) this.emitUpdate(t, msg.oldTuple, msg.newTuple, lsn, out, clock);
        return;
      }
      case 'delete': {
        const t = this.table(msg.relationId);
        if (t) this.emit(t, 'd', msg.oldTuple, null, lsn, out, clock);
        return;
      }
      case 'truncate':
        for (const id of msg.relationIds) {
          const t = this.table(id);
          if (t) this.emitTruncate(t, lsn, out, clock);
        }
        return;
      case 'type':
      case 'origin':
      case 'message':
        return;
      default: {
        const never: never = msg;
        throw new Error(`unhandled pgoutput message ${JSON.stringify(never)}`);
      }
    }
  }

  private begin(msg: BeginMessage): void {
    this.tx = { xid: msg.xid, commitLsn: msg.finalLsn, commitTimeUs: msg.commitTimeUs, events: 0 };
  }

  private table(relationId: number): CapturedTable | null {
    const t = this.relations.get(relationId);
    if (t === undefined) throw new Error(`change for relation ${relationId} before its Relation message`);
    return t;
  }

  /** A Relation message: (re)build the table's schemas from it plus the catalog's NOT NULL and primary key. */
  private async relation(msg: RelationMessage): Promise<void> {
    const { config } = this.deps;
    if (!tableIncluded(config.filters, msg.namespace, msg.name)) {
      this.relations.set(msg.relationId, null);
      return;
    }
    if (msg.columns.some((c) => c.typeOid >= 16384 && !this.deps.types.has(c.typeOid))) {
      for (const [oid, info] of await loadUserTypes(this.deps.catalog)) this.deps.types.set(oid, info);
    }
    const cat = await describeTable(this.deps.catalog, msg.relationId);
    const notNull = new Map(cat?.columns.map((c) => [c.name, c.notNull]) ?? []);
    const columns: TableColumn[] = msg.columns.map((c) => ({ name: c.name, typeOid: c.typeOid, typeMod: c.typeMod, notNull: notNull.get(c.name) ?? false }));
    const primaryKey = cat?.primaryKey ?? msg.columns.filter((c) => (c.flags & 1) !== 0).map((c) => c.name);
    const types = this.deps.types;
    const table = buildCapturedTable(config.topicPrefix, { oid: msg.relationId, schema: msg.namespace, table: msg.name }, columns, primaryKey, (oid) => types.get(oid), config.mapping);
    this.relations.set(msg.relationId, table);
  }

  /** Counts the event in its transaction; false if it was emitted before a restart. */
  private nextEvent(): boolean {
    const tx = this.tx;
    if (!tx) throw new Error('change outside a transaction');
    tx.events++;
    return !alreadyEmitted(this.deps.resume, tx.commitLsn, tx.events);
  }

  private context(lsn: Lsn) {
    const tx = this.tx!;
    return {
      partition: this.deps.partition,
      offset: streamOffset(lsn, tx.commitLsn, tx.events, tx.xid, tx.commitTimeUs),
    };
  }

  private source(table: CapturedTable, lsn: Lsn) {
    const tx = this.tx!;
    return sourceStruct(table, {
      serverName: this.deps.config.topicPrefix,
      db: this.deps.config.connection.database,
      tsUs: tx.commitTimeUs,
      snapshot: 'false',
      txId: tx.xid,
      lsn,
      sequence: sequenceOf(this.lastCommitLsn, lsn),
    });
  }

  private emit(t: CapturedTable, op: Op, oldTuple: readonly TupleValue[] | null, newTuple: readonly TupleValue[] | null, lsn: Lsn, out: SourceRecord[], clock: EventClock): void {
    if (this.deps.config.skippedOperations.has(op)) return;
    const emitEvent = this.nextEvent();
    const before = oldTuple ? t.row(oldTuple) : null;
    const after = newTuple ? t.row(newTuple) : null;
    const key = t.key((newTuple ?? oldTuple)!);
    if (emitEvent) out.push(changeRecord(t, key, envelope(t, op, before, after, this.source(t, lsn), clock), this.context(lsn)));
    if (op === 'd' && this.deps.config.tombstonesOnDelete && t.schemas.key !== null) {
      if (this.nextEvent()) out.push(tombstoneRecord(t, key, this.context(lsn)));
    }
  }

  /**
   * An update. When the key changed, Debezium emits a delete of the old key (plus its
   * tombstone) and a create under the new key; otherwise one `u` event whose `before` is the
   * old row under REPLICA IDENTITY FULL and null otherwise.
   */
  private emitUpdate(t: CapturedTable, oldTuple: readonly TupleValue[] | null, newTuple: readonly TupleValue[], lsn: Lsn, out: SourceRecord[], clock: EventClock): void {
    if (oldTuple && t.keyIndexes.length > 0 && t.keyIndexes.some((i) => oldTuple[i] !== newTuple[i] && oldTuple[i] !== undefined)) {
      this.emit(t, 'd', oldTuple, null, lsn, out, clock);
      this.emit(t, 'c', null, newTuple, lsn, out, clock);
      return;
    }
    if (this.deps.config.skippedOperations.has('u')) return;
    if (!this.nextEvent()) return;
    const before = oldTuple ? t.row(oldTuple) : null;
    out.push(changeRecord(t, t.key(newTuple), envelope(t, 'u', before, t.row(newTuple), this.source(t, lsn), clock), this.context(lsn)));
  }

  private emitTruncate(t: CapturedTable, lsn: Lsn, out: SourceRecord[], clock: EventClock): void {
    if (this.deps.config.skippedOperations.has('t')) return;
    if (!this.nextEvent()) return;
    out.push(truncateRecord(t, envelope(t, 't', null, null, this.source(t, lsn), clock), this.context(lsn)));
  }

  /**
   * On an idle stream, every `heartbeat.interval.ms` a heartbeat record carrying the position of
   * the server's latest keepalive (asked for when none came since the last heartbeat); once it is
   * durable the slot is confirmed up to there, so WAL written for tables we do not capture is
   * not held back.
   */
  private maybeHeartbeat(out: SourceRecord[], clock: EventClock): void {
    const interval = this.deps.config.heartbeatIntervalMs;
    if (interval <= 0 || this.tx !== null || clock.tsMs - this.lastActivityMs < interval) return;
    if (this.durable < this.emitted) return;
    if (this.keepaliveLsn <= this.heartbeatLsn) {
      if (clock.tsMs - this.keepaliveRequestedMs >= interval) {
        this.keepaliveRequestedMs = clock.tsMs;
        this.deps.requestKeepalive();
      }
      return;
    }
    this.lastActivityMs = clock.tsMs;
    const walEnd = this.keepaliveLsn;
    this.heartbeatLsn = walEnd;
    const offset = streamOffset(walEnd, walEnd, 0, null, BigInt(clock.tsMs) * 1000n);
    out.push(heartbeatRecord(this.deps.config.heartbeatTopic, this.deps.config.topicPrefix, clock.tsMs, { partition: this.deps.partition, offset }));
    this.txEnds.push({ seq: this.emitted + 1, endLsn: walEnd });
  }

  private advanceConfirmed(): void {
    let confirm: Lsn | null = null;
    while (this.txEndsHead < this.txEnds.length && this.txEnds[this.txEndsHead].seq <= this.durable) {
      confirm = this.txEnds[this.txEndsHead++].endLsn;
    }
    if (this.txEndsHead > 1024 && this.txEndsHead * 2 > this.txEnds.length) {
      this.txEnds.splice(0, this.txEndsHead);
      this.txEndsHead = 0;
    }
    if (confirm !== null) this.deps.confirm(confirm);
  }
}
