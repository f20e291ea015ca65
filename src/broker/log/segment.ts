/**
 * One log segment: `<base offset>.log` with its `.index` and `.timeindex` (Kafka's LogSegment).
 * The active segment takes appends; closed segments are read-only and were fsynced at roll,
 * so opening them reads nothing but their size (their indexes load on first use).
 */
import assert from 'node:assert';
import fs from 'node:fs';
import { BatchOffsets, batchLogOverheadBytes } from '../protocol/index.ts';
import { BatchScanner, type ScannedBatch } from './batch-scanner.ts';
import { preadFully, pwriteAll, segmentPath, unlinkGradually, unlinkIfExists, renameIfExists, segmentFileKinds } from './files.ts';
import { OffsetIndex, TimeIndex } from './sparse-index.ts';
import type { CachedFile } from './page-cache.ts';

/** Bytes read per call while looking for a batch by offset or timestamp. */
export const lookupChunkBytes = 16 * 1024;
/** Entries the recovery of an index may discard before rebuilding it from the start. */
const indexRepairTriesMax = 8;

export interface SegmentLimits {
  indexIntervalBytes: number;
  segmentIndexBytes: number;
}

/** What a segment append needs to know about a batch, read from its header. */
export interface AppendedBatch {
  sizeBytes: number;
  lastOffset: bigint;
  maxTimestamp: bigint;
}

export class LogSegment implements CachedFile {
  readonly offsetIndex: OffsetIndex;
  readonly timeIndex: TimeIndex;
  private fdOrNull: number | null;
  /** Bytes of whole batches in the file. */
  sizeBytes: number;
  /**
   * Whether the file may hold bytes past {@link sizeBytes}: a recycled file's old content (see
   * {@link createRecycled}), trimmed when the segment is sealed.
   */
  private recycledTail = false;
  /** Offset after the last batch; for closed segments only known once scanned (see PartitionLog). */
  nextOffset: bigint;
  /** Newest batch timestamp seen, -1n when unknown or empty. */
  private maxTimestampSeen: bigint;
  private offsetOfMaxTimestamp: bigint;
  private bytesSinceIndexEntry = 0;
  /** When the segment started taking appends, for segment.ms. */
  rollBaseMs: number;
  /** Set by {@link markDeleted}: the file's pages are no longer the log's to drop. */
  private deleted = false;
  cacheDropped = false;
  cacheRecordedTo = 0;

  private constructor(
    readonly dir: string,
    readonly baseOffset: bigint,
    fd: number | null,
    sizeBytes: number,
    limits: SegmentLimits,
    loadIndexes: boolean,
    rollBaseMs: number,
    /** File name suffix: '' for live segments, '.cleaned' for compaction output. */
    readonly suffix = '',
  ) {
    this.fdOrNull = fd;
    this.sizeBytes = sizeBytes;
    this.nextOffset = baseOffset;
    this.offsetIndex = new OffsetIndex(segmentPath(dir, baseOffset, 'index', suffix), limits.segmentIndexBytes, loadIndexes);
    this.timeIndex = new TimeIndex(segmentPath(dir, baseOffset, 'timeindex', suffix), limits.segmentIndexBytes, loadIndexes);
    this.maxTimestampSeen = -2n; // not yet looked up
    this.offsetOfMaxTimestamp = baseOffset;
    this.rollBaseMs = rollBaseMs;
  }

  /** Creates a new, empty active segment. */
  static create(dir: string, baseOffset: bigint, limits: SegmentLimits, nowMs: number, suffix = ''): LogSegment {
    const fd = fs.openSync(segmentPath(dir, baseOffset, 'log', suffix), suffix === '' ? 'wx+' : 'w+');
    return LogSegment.empty(dir, baseOffset, fd, limits, nowMs, suffix);
  }

  /** An empty segment writing to `fd`, with fresh indexes (stale index files of that base go). */
  private static empty(dir: string, baseOffset: bigint, fd: number, limits: SegmentLimits, nowMs: number, suffix: string): LogSegment {
    for (const kind of ['index', 'timeindex'] as const) unlinkIfExists(segmentPath(dir, baseOffset, kind, suffix));
    const seg = new LogSegment(dir, baseOffset, fd, 0, limits, true, nowMs, suffix);
    seg.maxTimestampSeen = -1n;
    return seg;
  }

  /**
   * A new, empty active segment in a recycled file: the `.log` of a segment that retention
   * deleted, renamed into place (Postgres recycles its WAL segments the same way). Appends
   * overwrite blocks the file system has allocated and written already, so an fdatasync flushes
   * data only: appending to a file also commits the file system's journal for the new size and
   * blocks (on this VM's ext4 a group commit at 256 MB/s had p99 9-15 ms appending, 1-6 ms
   * overwriting), and unlinking the old file would have freed its blocks, which on a file system
   * mounted with discard stalls the journal commits after it (an unlinked 1 GiB segment held
   * every fdatasync ~0.7 s). What the file held before stays past {@link sizeBytes}: reads stop
   * there, and recovery stops at its first batch, whose offsets go back (a recycled file only
   * ever comes from an older segment of the same partition). Sealing trims it.
   */
  static createRecycled(dir: string, baseOffset: bigint, limits: SegmentLimits, nowMs: number, recycled: string): LogSegment {
    const file = segmentPath(dir, baseOffset, 'log');
    if (fs.existsSync(file)) throw new Error(`segment file ${file} exists already`);
    fs.renameSync(recycled, file);
    const seg = LogSegment.empty(dir, baseOffset, fs.openSync(file, 'r+'), limits, nowMs, '');
    seg.recycledTail = true;
    return seg;
  }

  /** A closed segment: only its size is read now. */
  static openClosed(dir: string, baseOffset: bigint, sizeBytes: number, limits: SegmentLimits): LogSegment {
    return new LogSegment(dir, baseOffset, null, sizeBytes, limits, false, 0);
  }

  /** The last segment, to be recovered by {@link recover} before taking appends. */
  static openActive(dir: string, baseOffset: bigint, limits: SegmentLimits, nowMs: number): LogSegment {
    const fd = fs.openSync(segmentPath(dir, baseOffset, 'log'), 'r+');
    const size = fs.fstatSync(fd).size;
    return new LogSegment(dir, baseOffset, fd, size, limits, true, nowMs);
  }

  /** The open descriptor for {@link LogPageCache}: null when closed or deleted. */
  get cacheFd(): number | null {
    return this.deleted ? null : this.fdOrNull;
  }

  get fd(): number {
    if (this.fdOrNull === null) this.fdOrNull = fs.openSync(segmentPath(this.dir, this.baseOffset, 'log'), 'r');
    return this.fdOrNull;
  }

  /** Newest timestamp in the segment (from the time index for closed segments), -1n if none. */
  get maxTimestamp(): bigint {
    if (this.maxTimestampSeen === -2n) this.maxTimestampSeen = this.timeIndex.lastTimestamp;
    return this.maxTimestampSeen;
  }

  /** Whether the next append of `bytes` would overflow an index or relative offsets. */
  needsRoll(lastOffset: bigint): boolean {
    return (
      this.offsetIndex.entries >= this.offsetIndex.maxEntries - 1 ||
      this.timeIndex.entries >= this.timeIndex.maxEntries - 1 ||
      lastOffset - this.baseOffset > 2n ** 31n - 1n
    );
  }

  /**
   * Writes stamped batches at the end of the file with one positional vector write and records
   * index entries every index.interval.bytes.
   */
  append(batches: Buffer[], infos: readonly AppendedBatch[], limits: SegmentLimits): void {
    const start = this.sizeBytes;
    try {
      pwriteAll(this.fd, batches, start);
    } catch (e) {
      fs.ftruncateSync(this.fd, start);
      this.recycledTail = false;
      throw e;
    }
    let pos = start;
    for (const b of infos) this.indexBatch(pos, b, limits), (pos += b.sizeBytes);
    this.sizeBytes = pos;
  }

  private indexBatch(position: number, b: AppendedBatch, limits: SegmentLimits): void {
    if (this.maxTimestamp < b.maxTimestamp) {
      this.maxTimestampSeen = b.maxTimestamp;
      this.offsetOfMaxTimestamp = b.lastOffset;
    }
    if (this.bytesSinceIndexEntry > limits.indexIntervalBytes) {
      this.offsetIndex.append(Number(b.lastOffset - this.baseOffset), position);
      this.timeIndex.maybeAppend(this.maxTimestampSeen, Number(this.offsetOfMaxTimestamp - this.baseOffset));
      this.bytesSinceIndexEntry = 0;
    }
    this.bytesSinceIndexEntry += b.sizeBytes;
    this.nextOffset = b.lastOffset + 1n;
  }

  /**
   * Validates the tail after a crash: trusts everything before the last sound offset-index
   * entry, then checks each later batch (length, magic, offsets and, with `verify`, CRC-32C),
   * truncates at the first bad one and re-indexes the rest. Returns the bytes cut off.
   */
  recover(limits: SegmentLimits, verify: boolean): number {
    const fileSize = this.sizeBytes;
    const sound = this.soundIndexEntry(fileSize);
    const from = sound?.position ?? 0;
    this.trimTimeIndex(sound === null ? -1 : Number(sound.lastOffset - this.baseOffset));
    this.maxTimestampSeen = this.timeIndex.lastTimestamp;
    const t = this.timeIndex.entries;
    this.offsetOfMaxTimestamp = t === 0 ? this.baseOffset : this.baseOffset + BigInt(this.timeIndex.relativeOffsetAt(t - 1));
    this.bytesSinceIndexEntry = 0;
    this.nextOffset = sound?.baseOffset ?? this.baseOffset;
    const scanner = new BatchScanner(this.fd, from, fileSize, verify, this.nextOffset);
    for (let b = scanner.next(); b !== null; b = scanner.next()) {
      if (sound !== null && b.position === from) {
        // The batch of the last index entry is indexed already.
        this.bytesSinceIndexEntry = b.sizeBytes;
        this.noteTimestamp(b);
        this.nextOffset = b.lastOffset + 1n;
      } else {
        this.indexBatch(b.position, { sizeBytes: b.sizeBytes, lastOffset: b.lastOffset, maxTimestamp: b.maxTimestamp }, limits);
      }
    }
    const end = scanner.position;
    if (sound !== null && end === from) {
      // The indexed batch itself is bad: forget its entries too.
      this.offsetIndex.truncateEntries(this.offsetIndex.entries - 1);
      this.trimTimeIndex(Number(sound.baseOffset - this.baseOffset) - 1);
      this.maxTimestampSeen = this.timeIndex.lastTimestamp;
    }
    if (end < fileSize) fs.ftruncateSync(this.fd, end);
    this.sizeBytes = end;
    return fileSize - end;
  }

  private noteTimestamp(b: ScannedBatch): void {
    if (this.maxTimestampSeen < b.maxTimestamp) {
      this.maxTimestampSeen = b.maxTimestamp;
      this.offsetOfMaxTimestamp = b.lastOffset;
    }
  }

  /**
   * The last offset-index entry that points inside the file at a batch with the offset it
   * claims; later entries are dropped. Null (and an empty index) when none is sound.
   */
  private soundIndexEntry(fileSize: number): { position: number; baseOffset: bigint; lastOffset: bigint } | null {
    const idx = this.offsetIndex;
    const header = Buffer.allocUnsafe(BatchOffsets.lastOffsetDelta + 4);
    let prevPos = -1;
    let n = 0;
    while (n < idx.entries && idx.positionAt(n) > prevPos && idx.positionAt(n) < fileSize) prevPos = idx.positionAt(n++);
    for (let tries = 0; n > 0 && tries < indexRepairTriesMax; tries++, n--) {
      const pos = idx.positionAt(n - 1);
      if (preadFully(this.fd, header, 0, header.length, pos) !== header.length) continue;
      const base = header.readBigInt64BE(BatchOffsets.baseOffset);
      const last = base + BigInt(header.readInt32BE(BatchOffsets.lastOffsetDelta));
      if (last === this.baseOffset + BigInt(idx.relativeOffsetAt(n - 1)) && base >= this.baseOffset && base <= last) {
        idx.truncateEntries(n);
        return { position: pos, baseOffset: base, lastOffset: last };
      }
    }
    idx.truncateEntries(0);
    return null;
  }

  /** Drops time-index entries pointing past relative offset `limit`. */
  private trimTimeIndex(limit: number): void {
    let t = this.timeIndex.entries;
    while (t > 0 && this.timeIndex.relativeOffsetAt(t - 1) > limit) t--;
    if (t !== this.timeIndex.entries) this.timeIndex.truncateEntries(t);
  }

  /** Rebuilds both indexes by scanning the whole segment (they were missing or damaged). */
  rebuildIndexes(limits: SegmentLimits): void {
    this.offsetIndex.reset();
    this.timeIndex.reset();
    this.bytesSinceIndexEntry = 0;
    this.maxTimestampSeen = -1n;
    const scanner = new BatchScanner(this.fd, 0, this.sizeBytes, false);
    for (let b = scanner.next(); b !== null; b = scanner.next()) {
      this.indexBatch(b.position, { sizeBytes: b.sizeBytes, lastOffset: b.lastOffset, maxTimestamp: b.maxTimestamp }, limits);
    }
    this.timeIndex.maybeAppend(this.maxTimestampSeen, Number(this.offsetOfMaxTimestamp - this.baseOffset));
    this.offsetIndex.sync();
    this.timeIndex.sync();
  }

  /** Whether the index files look sane for a closed segment (sizes only; nothing is read). */
  indexFilesLookSane(segmentIndexBytes: number): boolean {
    for (const [kind, entryBytes] of [['index', OffsetIndex.entryBytes], ['timeindex', TimeIndex.entryBytes]] as const) {
      let size: number;
      try {
        size = fs.statSync(segmentPath(this.dir, this.baseOffset, kind)).size;
      } catch {
        return false;
      }
      if (size % entryBytes !== 0 || size > segmentIndexBytes) return false;
      if (kind === 'timeindex' && size === 0 && this.sizeBytes > 0) return false;
    }
    return true;
  }

  /** The first batch whose last offset is >= `offset`, or null when the segment ends first. */
  findBatch(offset: bigint): ScannedBatch | null {
    const rel = offset - this.baseOffset;
    const from = rel <= 0n ? 0 : this.offsetIndex.lookupPosition(Number(rel > 2n ** 31n - 1n ? 2n ** 31n - 1n : rel));
    const scanner = new BatchScanner(this.fd, from, this.sizeBytes, false, -1n, lookupChunkBytes);
    for (let b = scanner.next(); b !== null; b = scanner.next()) if (b.lastOffset >= offset) return b;
    return null;
  }

  /** The first batch with maxTimestamp >= `timestamp`, searched from the time index. */
  findBatchByTimestamp(timestamp: bigint): ScannedBatch | null {
    const rel = this.timeIndex.lookupBefore(timestamp);
    const from = rel < 0 ? 0 : this.offsetIndex.lookupPosition(rel);
    const scanner = new BatchScanner(this.fd, from, this.sizeBytes, false, -1n, lookupChunkBytes);
    for (let b = scanner.next(); b !== null; b = scanner.next()) if (b.maxTimestamp >= timestamp) return b;
    return null;
  }

  /** Iterates every batch header of the segment from `position`. */
  scan(position = 0, chunkBytes?: number): BatchScanner {
    return new BatchScanner(this.fd, position, this.sizeBytes, false, -1n, chunkBytes);
  }

  /**
   * Whole batches from `position`, at most `maxBytes` but always the first batch whole, read
   * into buffers from `alloc` (the result is a view of the last one).
   */
  readBatches(position: number, maxBytes: number, alloc: (n: number) => Buffer = Buffer.allocUnsafe): Buffer {
    const avail = this.sizeBytes - position;
    if (avail <= 0) return Buffer.alloc(0);
    let want = Math.min(avail, Math.max(maxBytes, BatchOffsets.batchLength + 4));
    let buf = alloc(want);
    let got = preadFully(this.fd, buf, 0, want, position);
    const firstSize = buf.readInt32BE(BatchOffsets.batchLength) + batchLogOverheadBytes;
    if (firstSize >= got) {
      assert(firstSize <= avail, 'batch runs past the segment');
      if (firstSize > got) {
        want = firstSize;
        buf = alloc(want);
        got = preadFully(this.fd, buf, 0, want, position);
      }
      return buf.subarray(0, firstSize);
    }
    let end = 0;
    while (end + BatchOffsets.batchLength + 4 <= got) {
      const size = buf.readInt32BE(end + BatchOffsets.batchLength) + batchLogOverheadBytes;
      if (end + size > got) break;
      end += size;
    }
    return buf.subarray(0, end);
  }

  /** Reads one batch's bytes. */
  readBatch(b: ScannedBatch): Buffer {
    const buf = Buffer.allocUnsafe(b.sizeBytes);
    preadFully(this.fd, buf, 0, b.sizeBytes, b.position);
    return buf;
  }

  /** Writes pending index entries (called at flush, so recovery has little to re-index). */
  writeIndexes(): void {
    this.offsetIndex.writePending();
    this.timeIndex.writePending();
  }

  /** Makes the segment durable and read-only in spirit: at roll and close. */
  seal(): void {
    if (this.maxTimestamp >= 0n) this.timeIndex.maybeAppend(this.maxTimestamp, Number(this.offsetOfMaxTimestamp - this.baseOffset));
    if (this.recycledTail) {
      fs.ftruncateSync(this.fd, this.sizeBytes);
      this.recycledTail = false;
    }
    fs.fdatasyncSync(this.fd);
    this.offsetIndex.sync();
    this.timeIndex.sync();
    this.offsetIndex.closeFile();
    this.timeIndex.closeFile();
  }

  /**
   * The data half of {@link seal} at a roll, off the event loop: a recycled tail is trimmed, then
   * fdatasync, in the threadpool. Called once the segment takes no more appends.
   */
  async syncData(): Promise<void> {
    const fd = this.fd;
    if (this.recycledTail) {
      const size = this.sizeBytes;
      await new Promise<void>((resolve, reject) => fs.ftruncate(fd, size, (err) => (err ? reject(err) : resolve())));
      this.recycledTail = false;
    }
    await new Promise<void>((resolve, reject) => fs.fdatasync(fd, (err) => (err ? reject(err) : resolve())));
  }

  /**
   * The index half of {@link seal} at a roll: the last time index entry and the pending entries
   * are written now, the fsyncs run in the threadpool, then the index files close.
   */
  async sealIndexes(): Promise<void> {
    if (this.maxTimestamp >= 0n) this.timeIndex.maybeAppend(this.maxTimestamp, Number(this.offsetOfMaxTimestamp - this.baseOffset));
    await Promise.all([this.offsetIndex.syncAsync(), this.timeIndex.syncAsync()]);
    this.offsetIndex.closeFile();
    this.timeIndex.closeFile();
  }

  /** Frees the in-memory indexes of a closed segment; they reload on next use. */
  unloadIndexes(): void {
    this.offsetIndex.unload();
    this.timeIndex.unload();
  }

  close(): void {
    this.offsetIndex.closeFile();
    this.timeIndex.closeFile();
    if (this.fdOrNull !== null) fs.closeSync(this.fdOrNull);
    this.fdOrNull = null;
  }

  /** Renames the files to `*.deleted` (they are unlinked later, after file.delete.delay.ms). */
  markDeleted(): void {
    this.deleted = true;
    for (const kind of segmentFileKinds) renameIfExists(segmentPath(this.dir, this.baseOffset, kind), segmentPath(this.dir, this.baseOffset, kind, '.deleted'));
  }

  unlinkDeleted(): void {
    for (const kind of segmentFileKinds) unlinkIfExists(segmentPath(this.dir, this.baseOffset, kind, '.deleted'));
  }

  /**
   * Unlinks the deleted files in the threadpool (freeing a 1 GiB file's blocks took ~0.5 s of
   * unlink here, which on the event loop held every partition), the `.log` a step at a time
   * ({@link unlinkGradually}); or the `.log` goes to `recycleTo`, when given, to become a later
   * segment's file ({@link createRecycled}).
   */
  async unlinkDeletedAsync(recycleTo: string | null): Promise<void> {
    await Promise.all(
      segmentFileKinds.map(async (kind) => {
        const file = segmentPath(this.dir, this.baseOffset, kind, '.deleted');
        try {
          if (kind === 'log' && recycleTo !== null) await fs.promises.rename(file, recycleTo);
          else if (kind === 'log') await unlinkGradually(file);
          else await fs.promises.unlink(file);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        }
      }),
    );
  }
}
