/**
 * Opening a partition directory (Kafka's LogLoader): finishes or drops interrupted compaction
 * swaps, trusts closed segments below the newest producer snapshot (fsynced at roll; only their
 * index file sizes are checked), recovers the tails of the active segment and of closed segments
 * whose roll may not have finished syncing unless the last shutdown was clean, and rebuilds producer
 * state from the newest snapshot plus the batch headers after it. The work is bounded by the
 * active segment, not by the size of the log.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Attributes } from '../protocol/index.ts';
import type { LogConfig } from './config.ts';
import { recoverSwaps, removeCleanedLeftovers } from './compactor.ts';
import { cleanShutdownFile, cleanerCheckpointFile, fsyncDir, logStartOffsetFile, parseOffsetName, readFileOrNull, segmentFileKinds, segmentPath, unlinkIfExists, writeFileAtomic } from './files.ts';
import { ProducerState } from './producer-state.ts';
import { loadLatestSnapshot, snapshotOffsets } from './producer-snapshots.ts';
import { LogSegment, type SegmentLimits } from './segment.ts';

/** Bytes read to find the first batch of the active segment (its header is all that is needed). */
const firstBatchChunkBytes = 4096;

/** How the last open found the log. */
export interface RecoveryInfo {
  cleanShutdown: boolean;
  truncatedBytes: number;
  rebuiltIndexes: number;
  producerBatchesReplayed: number;
}

export interface LoadedLog {
  segments: LogSegment[];
  startOffset: bigint;
  producers: ProducerState;
  firstDirtyOffset: bigint;
  recovery: RecoveryInfo;
}

interface CleanShutdownMarker {
  logEndOffset: string;
  activeSegmentBytes: number;
}

export function segmentLimits(config: LogConfig): SegmentLimits {
  return { indexIntervalBytes: config.indexIntervalBytes, segmentIndexBytes: config.segmentIndexBytes };
}

export function loadLog(dir: string, config: LogConfig, now: number): LoadedLog {
    fs.mkdirSync(dir, { recursive: true });
  const limits = segmentLimits(config);
  recoverSwaps(dir);
  removeCleanedLeftovers(dir);
  const marker = takeCleanShutdownMarker(dir);
  let bases = fs
    .readdirSync(dir)
    .map((n) => parseOffsetName(n, 'log'))
    .filter((o): o is bigint => o !== null)
    .sort(compareBigint);
  const storedStart = readOffsetFile(path.join(dir, logStartOffsetFile)) ?? 0n;
  const recovery: RecoveryInfo = { cleanShutdown: marker !== null, truncatedBytes: 0, rebuiltIndexes: 0, producerBatchesReplayed: 0 };
  if (marker === null) bases = recoverUnsyncedRolls(dir, bases, limits, now, recovery);
  const segments: LogSegment[] = [];
  for (let i = 0; i < bases.length - 1; i++) {
    const size = fs.statSync(path.join(dir, `${bases[i].toString().padStart(20, '0')}.log`)).size;
    const seg = LogSegment.openClosed(dir, bases[i], size, limits);
    seg.nextOffset = bases[i + 1];
    if (!seg.indexFilesLookSane(config.segmentIndexBytes)) {
    seg.rebuildIndexes(limits);
    seg.unloadIndexes();
    recovery.rebuiltIndexes++;
    }
    segments.push(seg);
  }
  const active = bases.length === 0 ? LogSegment.create(dir, storedStart, limits, now) : LogSegment.openActive(dir, bases[bases.length - 1], limits, now);
  const clean = marker !== null && marker.activeSegmentBytes === active.sizeBytes;
  recovery.cleanShutdown = clean;
  if (!active.indexFilesLookSane(config.segmentIndexBytes) && active.sizeBytes > 0) {
    active.offsetIndex.reset();
    active.timeIndex.reset();
    recovery.rebuiltIndexes++;
  }
  recovery.truncatedBytes += active.recover(limits, !clean);
  active.rollBaseMs = firstBatchTimestamp(active, now);
  segments.push(active);
  if (bases.length === 0) fsyncDir(dir);
  const leo = active.nextOffset;
  const startOffset = maxBigint(storedStart < leo ? storedStart : leo, segments[0].baseOffset);
  const producers = new ProducerState();
  recovery.producerBatchesReplayed = rebuildProducerState(dir, segments, leo, producers, now);
  const firstDirty = readOffsetFile(path.join(dir, cleanerCheckpointFile)) ?? 0n;
  return { segments, startOffset, producers, firstDirtyOffset: firstDirty, recovery };
}

/**
 * A roll syncs the closed segment in the background and then writes the producer snapshot at
 * the new segment's base (partition-log.ts), so after a crash the closed segments past the newest
 * snapshot may have lost their tail. Those (one or two: each roll waits for the one before) are
 * validated like an active segment; one that now ends short of the next segment's base ends the
 * log there, and the segments after it go (nothing in them was acknowledged: acks wait for the
 * roll's sync). Returns the bases that remain.
 */
function recoverUnsyncedRolls(dir: string, bases: readonly bigint[], limits: SegmentLimits, now: number, recovery: RecoveryInfo): bigint[] {
  const snapshots = snapshotOffsets(dir);
  const synced = snapshots.length === 0 ? -1n : snapshots[snapshots.length - 1];
  for (let i = 0; i < bases.length - 1; i++) {
    if (bases[i + 1] <= synced) continue;
    const seg = LogSegment.openActive(dir, bases[i], limits, now);
    try {
      recovery.truncatedBytes += seg.recover(limits, true);
      if (seg.nextOffset >= bases[i + 1]) continue;
      seg.writeIndexes();
    } finally {
      seg.close();
    }
    for (const base of bases.slice(i + 1)) {
      for (const kind of segmentFileKinds) unlinkIfExists(segmentPath(dir, base, kind));
    }
    fsyncDir(dir);
    return bases.slice(0, i + 1);
  }
  return [...bases];
}

/** Written by a clean close; its absence on open means the tail must be validated. */
export function writeCleanShutdownMarker(dir: string, logEndOffset: bigint, activeSegmentBytes: number): void {
  const marker: CleanShutdownMarker = { logEndOffset: logEndOffset.toString(), activeSegmentBytes };
  writeFileAtomic(path.join(dir, cleanShutdownFile), JSON.stringify(marker));
}

function compareBigint(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function maxBigint(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

function readOffsetFile(file: string): bigint | null {
  const text = readFileOrNull(file)?.toString('utf8').trim();
  return text !== undefined && /^\d+$/.test(text) ? BigInt(text) : null;
}

/** Reads and removes the clean-shutdown marker (durably, so a later crash is not taken for clean). */
function takeCleanShutdownMarker(dir: string): CleanShutdownMarker | null {
  const file = path.join(dir, cleanShutdownFile);
  const data = readFileOrNull(file);
  if (data === null) return null;
  unlinkIfExists(file);
  fsyncDir(dir);
  try {
    const m = JSON.parse(data.toString('utf8')) as CleanShutdownMarker;
    return typeof m.activeSegmentBytes === 'number' ? m : null;
  } catch {
    return null;
  }
}

/** segment.ms counts from the first batch's timestamp when it is plausible, else from now. */
function firstBatchTimestamp(seg: LogSegment, nowMs: number): number {
  if (seg.sizeBytes === 0) return nowMs;
  const first = seg.scan(0, firstBatchChunkBytes).next();
  if (first === null) return nowMs;
  const ts = Number(first.maxTimestamp);
  return ts > 0 && ts <= nowMs ? ts : nowMs;
}

/** Loads the newest producer snapshot and replays batch headers after it; returns batches replayed. */
function rebuildProducerState(dir: string, segments: readonly LogSegment[], leo: bigint, producers: ProducerState, nowMs: number): number {
  const from = loadLatestSnapshot(dir, leo, producers) ?? -1n;
  let replayed = 0;
  for (const seg of segments) {
    if (seg.nextOffset <= from && seg !== segments[segments.length - 1]) continue;
    const start = from > seg.baseOffset ? (seg.findBatch(from)?.position ?? seg.sizeBytes) : 0;
    const scanner = seg.scan(start);
    for (let b = scanner.next(); b !== null; b = scanner.next()) {
      if (b.baseOffset < from) continue;
      if ((b.attributes & Attributes.control) !== 0) {
        if (b.producerId >= 0n) producers.applyMarker(b.producerId, b.producerEpoch, nowMs);
      } else {
        producers.replay(b, b.baseOffset, nowMs);
      }
      replayed++;
    }
    if (seg !== segments[segments.length - 1]) seg.unloadIndexes();
  }
  return replayed;
}
