/**
 * Log compaction for the "compact" cleanup policy (Kafka's LogCleaner, one pass at a time):
 *
 * 1. The dirty range runs from the cleaner checkpoint to the first closed segment younger than
 *    min.compaction.lag.ms (the active segment is never cleaned). Nothing happens below
 *    min.cleanable.dirty.ratio.
 * 2. A key -> latest offset map is built over the dirty range (bounded by offsetMapBytesMax).
 * 3. Every closed segment up to the dirty end is rewritten, in groups that fit a segment, keeping
 *    a record when no later offset holds its key. Offsets never change: a rewritten batch keeps
 *    its base offset, its records' offset deltas and its lastOffsetDelta. Tombstones survive
 *    until delete.retention.ms after their segment was first cleaned (the cleaned file's mtime).
 * 4. Each group is swapped in crash-safely: `<base>.{log,index,timeindex}.cleaned` are written
 *    and fsynced, then a `<base>.swap` marker naming the range is written (the commit point),
 *    the replaced segments are renamed to `.deleted` and the cleaned files renamed over the
 *    first one. Opening a log completes any swap whose marker exists and drops `.cleaned` files
 *    whose marker does not, so a crash at any point loses nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Attributes, BatchOffsets, decodeBatchRecords, encodeBatch, type KafkaRecord } from '../protocol/index.ts';
import type { LogConfig } from './config.ts';
import { fsyncDir, offsetName, parseOffsetName, renameIfExists, segmentFileKinds, segmentPath, unlinkIfExists, writeFileAtomic } from './files.ts';
import { LogSegment, type SegmentLimits } from './segment.ts';

/** Memory budget of the key -> offset map of one pass; the dirty range shrinks to fit it. */
export const offsetMapBytesMax = 64 * 1024 * 1024;
/** Estimated per-key overhead of a Map entry, beyond the key bytes. */
const mapEntryOverheadBytes = 64;

export class CompactionHaltedError extends Error {
  constructor(point: string) {
    super(`compaction halted at ${point} (a simulated crash)`);
    this.name = 'CompactionHaltedError';
  }
}

export interface CompactionPlanInput {
  dir: string;
  /** Closed segments, oldest first. */
  closed: LogSegment[];
  firstDirtyOffset: bigint;
  nowMs: number;
  config: LogConfig;
  limits: SegmentLimits;
  /** False when the log changed under the pass (segments deleted, log closed): skip the swap. */
  stillCurrent: (segments: readonly LogSegment[]) => boolean;
  /** Called synchronously right after a group's files were swapped. */
  onSwap: (replaced: LogSegment[], by: LogSegment) => void;
  halt?: 'before-swap' | 'after-swap-marker';
}

export interface CompactionOutcome {
  firstDirtyOffset: bigint;
  recordsRemoved: number;
}

/** Runs one compaction pass; null when the dirty ratio (or lag) leaves nothing to do. */
export async function compactSegments(input: CompactionPlanInput): Promise<CompactionOutcome | null> {
  const { closed, config, nowMs } = input;
  const dirtyStart = closed.findIndex((s) => s.baseOffset >= input.firstDirtyOffset);
  if (dirtyStart < 0) return null;
  let dirtyEnd = dirtyStart;
  while (dirtyEnd < closed.length && Number(closed[dirtyEnd].maxTimestamp) <= nowMs - config.minCompactionLagMs) dirtyEnd++;
  if (dirtyEnd === dirtyStart) return null;
  const cleanBytes = sumBytes(closed.slice(0, dirtyStart));
  const dirtyBytes = sumBytes(closed.slice(dirtyStart, dirtyEnd));
  if (dirtyBytes === 0 || dirtyBytes / (cleanBytes + dirtyBytes) < config.minCleanableDirtyRatio) return null;

  const latest = new Map<string, bigint>();
  let mapBytes = 0;
  for (let i = dirtyStart; i < dirtyEnd; i++) {
    if (i > dirtyStart && mapBytes > offsetMapBytesMax) {
      dirtyEnd = i;
      break;
    }
    for await (const records of segmentRecords(closed[i])) {
      for (const r of records) {
        if (r.key === null) continue;
        const k = r.key.toString('latin1');
        if (!latest.has(k)) mapBytes += k.length + mapEntryOverheadBytes;
        latest.set(k, r.offset);
      }
    }
  }

  let recordsRemoved = 0;
  for (const group of groupSegments(closed.slice(0, dirtyEnd), dirtyStart, config)) {
    const { out, removed } = await writeCleaned(group.segments, latest, input, group.dirty);
    recordsRemoved += removed;
    if (!input.stillCurrent(group.segments)) {
      out.close();
      for (const kind of segmentFileKinds) unlinkIfExists(segmentPath(input.dir, out.baseOffset, kind, '.cleaned'));
      return null;
    }
    if (input.halt === 'before-swap') throw new CompactionHaltedError('before-swap');
    const end = group.segments[group.segments.length - 1].nextOffset;
    writeFileAtomic(swapMarkerPath(input.dir, out.baseOffset), JSON.stringify({ endOffset: end.toString() }));
    if (input.halt === 'after-swap-marker') throw new CompactionHaltedError('after-swap-marker');
    completeSwap(input.dir, out.baseOffset, end);
    const by = LogSegment.openClosed(input.dir, out.baseOffset, out.sizeBytes, input.limits);
    by.nextOffset = end;
    out.close();
    input.onSwap(group.segments, by);
  }
  const firstDirtyOffset = dirtyEnd < closed.length ? closed[dirtyEnd].baseOffset : closed[closed.length - 1].nextOffset;
  return { firstDirtyOffset, recordsRemoved };
}

function sumBytes(segs: readonly LogSegment[]): number {
  return segs.reduce((n, s) => n + s.sizeBytes, 0);
}

async function* segmentRecords(seg: LogSegment): AsyncGenerator<KafkaRecord[]> {
  const scanner = seg.scan();
  for (let b = scanner.next(); b !== null; b = scanner.next()) {
    if ((b.attributes & Attributes.control) !== 0) continue;
    yield await decodeBatchRecords(seg.readBatch(b));
  }
}

interface SegmentGroup {
  segments: LogSegment[];
  /** Whether the group comes from the dirty range (its tombstones start their retention now). */
  dirty: boolean;
}

/**
 * Consecutive segments whose combined size fits segment.bytes and whose offsets fit one
 * segment's relative offsets. Clean and dirty segments are never grouped together, so a
 * clean segment's tombstone clock is not reset by the merge.
 */
function groupSegments(segs: readonly LogSegment[], dirtyStart: number, config: LogConfig): SegmentGroup[] {
  const groups: SegmentGroup[] = [];
  let current: SegmentGroup | null = null;
  let bytes = 0;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i];
    const dirty = i >= dirtyStart;
    const fits =
      current !== null &&
      current.dirty === dirty &&
      bytes + s.sizeBytes <= config.segmentBytes &&
      s.nextOffset - current.segments[0].baseOffset <= 2n ** 31n - 1n &&
      (s.offsetIndex.entries + current.segments.reduce((n, g) => n + g.offsetIndex.entries, 0) + 2) * 12 <= config.segmentIndexBytes;
    if (!fits) {
      current = { segments: [], dirty };
      groups.push(current);
      bytes = 0;
    }
    current!.segments.push(s);
    bytes += s.sizeBytes;
  }
  return groups;
}

function cleanedAtMs(seg: LogSegment): number {
  return fs.statSync(segmentPath(seg.dir, seg.baseOffset, 'log')).mtimeMs;
}

/** Writes the surviving batches of a group to `<base>.*.cleaned` and fsyncs them. */
async function writeCleaned(group: LogSegment[], latest: Map<string, bigint>, input: CompactionPlanInput, dirty: boolean): Promise<{ out: LogSegment; removed: number }> {
  const out = LogSegment.create(input.dir, group[0].baseOffset, input.limits, input.nowMs, '.cleaned');
  let removed = 0;
  let mtimeMs = 0;
  for (const seg of group) {
    const cleanedAt = cleanedAtMs(seg);
    mtimeMs = Math.max(mtimeMs, cleanedAt);
    const dropTombstones = !dirty && cleanedAt + input.config.deleteRetentionMs <= input.nowMs;
    const scanner = seg.scan();
    for (let b = scanner.next(); b !== null; b = scanner.next()) {
      const bytes = seg.readBatch(b);
      const kept = (b.attributes & Attributes.control) !== 0 ? null : await survivors(bytes, latest, dropTombstones);
      if (kept !== null) removed += kept.removed;
      const write = kept === null || kept.records === 'all' ? bytes : kept.records.length === 0 ? null : await rebuildBatch(bytes, kept.records);
      if (write !== null) out.append([write], [{ sizeBytes: write.length, lastOffset: b.lastOffset, maxTimestamp: write.readBigInt64BE(BatchOffsets.maxTimestamp) }], input.limits);
    }
  }
  out.seal();
  const stamp = (dirty ? input.nowMs : mtimeMs) / 1000;
  fs.utimesSync(segmentPath(input.dir, out.baseOffset, 'log', '.cleaned'), stamp, stamp);
  return { out, removed };
}

async function survivors(batch: Buffer, latest: Map<string, bigint>, dropTombstones: boolean): Promise<{ records: KafkaRecord[] | 'all'; removed: number }> {
  const records = await decodeBatchRecords(batch);
  const kept = records.filter((r) => {
    if (r.key === null) return true;
    const newest = latest.get(r.key.toString('latin1'));
    if (newest !== undefined && newest > r.offset) return false;
    return !(dropTombstones && r.value === null);
  });
  return { records: kept.length === records.length ? 'all' : kept, removed: records.length - kept.length };
}

/** Re-encodes a batch with fewer records, keeping its offsets, producer fields and codec. */
function rebuildBatch(original: Buffer, records: KafkaRecord[]): Promise<Buffer> {
  const base = original.readBigInt64BE(BatchOffsets.baseOffset);
  const attributes = original.readInt16BE(BatchOffsets.attributes);
  return encodeBatch({
    baseOffset: base,
    records: records.map((r) => ({ key: r.key, value: r.value, headers: r.headers, timestamp: r.timestamp, offsetDelta: Number(r.offset - base) })),
    compression: attributes & Attributes.codecMask,
    producerId: original.readBigInt64BE(BatchOffsets.producerId),
    producerEpoch: original.readInt16BE(BatchOffsets.producerEpoch),
    baseSequence: original.readInt32BE(BatchOffsets.baseSequence),
    transactional: (attributes & Attributes.transactional) !== 0,
    lastOffsetDelta: original.readInt32BE(BatchOffsets.lastOffsetDelta),
    logAppendTime: (attributes & Attributes.timestampTypeLogAppend) !== 0,
  });
}

function swapMarkerPath(dir: string, base: bigint): string {
  return path.join(dir, `${offsetName(base)}.swap`);
}

/**
 * Replaces the segments in [base, end) by the cleaned files of `base`. Idempotent, so recovery
 * can re-run it after a crash at any step.
 */
function completeSwap(dir: string, base: bigint, end: bigint): void {
  for (const name of fs.readdirSync(dir)) {
    const o = parseOffsetName(name, 'log');
    if (o === null || o <= base || o >= end) continue;
    for (const kind of segmentFileKinds) renameIfExists(segmentPath(dir, o, kind), segmentPath(dir, o, kind, '.deleted'));
  }
  for (const kind of segmentFileKinds) renameIfExists(segmentPath(dir, base, kind, '.cleaned'), segmentPath(dir, base, kind));
  fsyncDir(dir);
  unlinkIfExists(swapMarkerPath(dir, base));
  fsyncDir(dir);
}

/** Completes swaps whose marker was written before a crash. */
export function recoverSwaps(dir: string): void {
  for (const name of fs.readdirSync(dir)) {
    const base = parseOffsetName(name, 'swap');
    if (base === null) continue;
    let end: bigint | null = null;
    try {
      end = BigInt((JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as { endOffset: string }).endOffset);
    } catch {
      end = null;
    }
    if (end === null) unlinkIfExists(path.join(dir, name));
    else completeSwap(dir, base, end);
  }
}

/** Removes compaction output without a committed swap, files awaiting deletion and temp files. */
export function removeCleanedLeftovers(dir: string): void {
  for (const name of fs.readdirSync(dir)) {
    if (name.endsWith('.cleaned') || name.endsWith('.deleted') || name.endsWith('.tmp')) unlinkIfExists(path.join(dir, name));
  }
}
