/**
 * Debezium change events as Connect source records: the envelope (`before`, `after`, `source`,
 * `transaction`, `op`, `ts_ms`, `ts_us`, `ts_ns`) keyed by the primary key, tombstones after
 * deletes, truncate events (op `t`, null key) and heartbeats. Pure builders; the caller supplies
 * offsets and clocks.
 */
import type { SourceOffset, SourcePartition, SourceRecord, Struct } from '../api.ts';
import type { CapturedTable } from './captured-table.ts';
import { CONNECTOR_NAME, CONNECTOR_VERSION, HEARTBEAT_KEY_SCHEMA, HEARTBEAT_VALUE_SCHEMA } from './debezium-schemas.ts';
import { lsnToOffset, type Lsn } from './lsn.ts';
import { int64 } from './pg-text-values.ts';

export type Op = 'r' | 'c' | 'u' | 'd' | 't';
/** `source.snapshot`: Debezium's SnapshotRecord in lower case. */
export type SnapshotMarker = 'true' | 'first' | 'first_in_data_collection' | 'last_in_data_collection' | 'last' | 'false';

export interface SourcePosition {
  readonly serverName: string;
  readonly db: string;
  /** Commit time for streamed changes, read time for snapshot rows (µs since the epoch). */
  readonly tsUs: bigint;
  readonly snapshot: SnapshotMarker;
  readonly txId: number | null;
  readonly lsn: Lsn | null;
  /** Debezium's `sequence`: `["<last commit lsn>","<lsn>"]`. */
  readonly sequence: string | null;
}

export function sourceStruct(table: CapturedTable, p: SourcePosition): Struct {
  return {
    version: CONNECTOR_VERSION,
    connector: CONNECTOR_NAME,
    name: p.serverName,
    ts_ms: int64(p.tsUs / 1000n),
    snapshot: p.snapshot,
    db: p.db,
    sequence: p.sequence,
    ts_us: int64(p.tsUs),
    ts_ns: p.tsUs * 1000n, // ~1.8e18: beyond 2^53, so a bigint
    schema: table.schema,
    table: table.table,
    txId: p.txId,
    lsn: p.lsn === null ? null : int64(p.lsn),
    xmin: null,
  };
}

/** Envelope clocks: when the connector processed the event. */
export interface EventClock {
  readonly tsMs: number;
}

export function envelope(table: CapturedTable, op: Op, before: Struct | null, after: Struct | null, source: Struct, clock: EventClock): Struct {
  return { before, after, source, transaction: null, op, ts_ms: clock.tsMs, ts_us: clock.tsMs * 1000, ts_ns: BigInt(clock.tsMs) * 1_000_000n };
}

export interface RecordContext {
  readonly partition: SourcePartition;
  readonly offset: SourceOffset;
}

export function changeRecord(table: CapturedTable, key: Struct | null, value: Struct, ctx: RecordContext): SourceRecord {
  return {
    topic: table.topic,
    keySchema: table.schemas.key,
    key,
    valueSchema: table.schemas.envelope,
    value,
    sourcePartition: ctx.partition,
    sourceOffset: ctx.offset,
  };
}

export function tombstoneRecord(table: CapturedTable, key: Struct | null, ctx: RecordContext): SourceRecord {
  return { topic: table.topic, keySchema: table.schemas.key, key, valueSchema: null, value: null, sourcePartition: ctx.partition, sourceOffset: ctx.offset };
}

/** Truncate events have no key (a truncate is about the whole table). */
export function truncateRecord(table: CapturedTable, value: Struct, ctx: RecordContext): SourceRecord {
  return { topic: table.topic, keySchema: null, key: null, valueSchema: table.schemas.envelope, value, sourcePartition: ctx.partition, sourceOffset: ctx.offset };
}

export function heartbeatRecord(topic: string, serverName: string, nowMs: number, ctx: RecordContext): SourceRecord {
  return {
    topic,
    keySchema: HEARTBEAT_KEY_SCHEMA,
    key: { serverName },
    valueSchema: HEARTBEAT_VALUE_SCHEMA,
    value: { ts_ms: nowMs },
    sourcePartition: ctx.partition,
    sourceOffset: ctx.offset,
  };
}

/** Debezium's `sequence` field. */
export function sequenceOf(lastCommitLsn: Lsn | null, lsn: Lsn | null): string {
  return JSON.stringify([lastCommitLsn === null ? null : lastCommitLsn.toString(), lsn === null ? null : lsn.toString()]);
}

export { lsnToOffset };
