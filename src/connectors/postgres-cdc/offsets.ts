/**
 * Source offsets, in the keys of Debezium's PostgresOffsetContext, and what a restart makes of
 * them. Partition: `{ server: <topic.prefix> }`.
 *
 * - Snapshot rows: `{ snapshot: 'INITIAL', last_snapshot_record, lsn, txId, ts_usec }`, `lsn` the
 *   slot's consistent point. A stored snapshot offset without `last_snapshot_record` means the
 *   snapshot was cut short: it is taken again from a new slot.
 * - Streamed changes: `{ lsn, lsn_proc, lsn_commit, lsn_events_processed, txId, ts_usec }`:
 *   the change's LSN, its transaction's commit LSN, and how many events of that transaction
 *   were emitted up to and including it. After a crash the slot resends from its confirmed
 *   position (never past what was committed here); events at or before the stored
 *   (lsn_commit, lsn_events_processed) are skipped, so nothing is doubled.
 * - Heartbeats store `lsn_commit` = the server's WAL end at an idle moment, events 0: every
 *   transaction committed before it was emitted.
 */
import type { SourceOffset, SourcePartition } from '../api.ts';
import { lsnFromOffset, lsnToOffset, type Lsn } from './lsn.ts';

export function sourcePartition(serverName: string): SourcePartition {
  return { server: serverName };
}

export type ResumePosition =
  | { readonly kind: 'none' }
  | { readonly kind: 'snapshot-incomplete' }
  /** Stream, skipping transactions committed before `commitLsn` and the first `eventsProcessed` events of the one at it. */
  | { readonly kind: 'stream'; readonly commitLsn: Lsn; readonly eventsProcessed: number; readonly lsn: Lsn };

export function resumePosition(offset: SourceOffset | null): ResumePosition {
  if (offset === null) return { kind: 'none' };
  const snapshot = offset.snapshot;
  if (snapshot !== undefined && snapshot !== null && snapshot !== false && snapshot !== 'false') {
    if (offset.last_snapshot_record !== true) return { kind: 'snapshot-incomplete' };
    return { kind: 'stream', commitLsn: 0n, eventsProcessed: 0, lsn: lsnFromOffset(offset.lsn) ?? 0n };
  }
  const commitLsn = lsnFromOffset(offset.lsn_commit) ?? 0n;
  const events = typeof offset.lsn_events_processed === 'number' ? offset.lsn_events_processed : 0;
  return { kind: 'stream', commitLsn, eventsProcessed: events, lsn: lsnFromOffset(offset.lsn) ?? commitLsn };
}

export function snapshotOffset(consistentPoint: Lsn, txId: number | null, tsUs: bigint, last: boolean): SourceOffset {
  return { snapshot: 'INITIAL', last_snapshot_record: last, lsn: lsnToOffset(consistentPoint), txId, ts_usec: Number(tsUs) };
}

export function streamOffset(lsn: Lsn, commitLsn: Lsn, eventsProcessed: number, txId: number | null, tsUs: bigint): SourceOffset {
  const l = lsnToOffset(lsn);
  return { lsn: l, lsn_proc: l, lsn_commit: lsnToOffset(commitLsn), lsn_events_processed: eventsProcessed, txId, ts_usec: Number(tsUs) };
}

/** Whether a streamed event was already emitted before the restart. */
export function alreadyEmitted(resume: ResumePosition, commitLsn: Lsn, eventIndex: number): boolean {
  if (resume.kind !== 'stream') return false;
  return commitLsn < resume.commitLsn || (commitLsn === resume.commitLsn && eventIndex <= resume.eventsProcessed);
}
