/**
 * The durable log of one partition (Kafka's UnifiedLog + LogLoader): a directory of segments
 * holding RecordBatch v2 bytes as produced, with offsets assigned by editing batch headers.
 *
 * Appends are synchronous (one vector write per call); durability is explicit through
 * {@link PartitionLog.flush}, a group commit shared by all concurrent callers. Reads return whole
 * batches from kept-open file descriptors. Opening recovers from a crash by validating only the
 * tail of the active segment, so start-up time does not grow with the size of the log.
 *
 * @example
 *   const log = await PartitionLog.open('/data/orders-0', parseTopicConfigs({}));
 *   const { baseOffset } = log.append(splitBatches(recordSet));
 *   await log.flush(); // acks=all: answer once the bytes are on disk
 *   const { data } = log.read(baseOffset, 1 << 20);
 */
import assert from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import { Attributes, BatchOffsets, ErrorCode, KafkaProtocolError, batchHeaderBytes, batchLogOverheadBytes, batchRecordBytes, stampBatch } from '../protocol/index.ts';
import type { ScannedBatch } from './batch-scanner.ts';
import { compactSegments, type CompactionPlanInput } from './compactor.ts';
import type { LogConfig } from './config.ts';
import { cleanerCheckpointFile, fsyncDirAsync, logStartOffsetFile, unlinkGradually, writeFileAtomic } from './files.ts';
import { GroupCommit, type SyncTarget } from './group-commit.ts';
import type { LogPageCache } from './page-cache.ts';
import { loadLog, segmentLimits, writeCleanShutdownMarker, type RecoveryInfo } from './log-loader.ts';
import { ProducerState, type ProducerEntry } from './producer-state.ts';
import { writeSnapshot, writeSnapshotAsync } from './producer-snapshots.ts';
import { firstRecordAtOrAfter, hasNullKey } from './record-walk.ts';
import { segmentsToDelete } from './retention.ts';
import { decompressSync } from './sync-decompress.ts';
import { LogSegment, type AppendedBatch } from './segment.ts';

export type { RecoveryInfo };

/** Upper bound on the bytes one read returns (a single larger batch is still returned whole). */
export const readBytesMax = 64 * 1024 * 1024;
/** Closed segments whose sparse indexes stay in memory; older ones are unloaded. */
export const loadedIndexSegmentsMax = 32;
/**
 * A deleted segment's file smaller than this is unlinked rather than kept for the next roll
 * ({@link LogSegment.createRecycled}): overwriting so few bytes saves little.
 */
export const recycleBytesMin = 1024 * 1024;
/**
 * Deleted segment files a partition keeps for its next rolls. A retention check deletes what the
 * log grew past its limits since the last one, and the rolls until the next check need about as
 * many files; those beyond this are unlinked.
 */
export const recycledFilesMax = 8;
/** A kept file no roll has used for this long is unlinked (by the next retention check). */
export const recycledIdleMsMax = 10 * 60_000;
/** Batches in one append call. */
export const appendBatchesMax = 10_000;

export interface AppendResult {
  baseOffset: bigint;
  lastOffset: bigint;
  /** The broker time stamped into LogAppendTime batches, -1n for CreateTime topics. */
  logAppendTimeMs: bigint;
  logStartOffset: bigint;
  /** True when the batch was a producer retry: nothing was written, the offsets are the original ones. */
  duplicate: boolean;
}

export interface ReadResult {
  /** Whole batches, concatenated; the first one contains the requested offset. */
  data: Buffer;
  highWatermark: bigint;
  logStartOffset: bigint;
}

export interface OpenOptions {
  /** Milliseconds since the epoch; tests inject their own. */
  clock?: () => number;
  /** The broker's bound on written log data kept in the page cache (none when absent). */
  pageCache?: LogPageCache;
}


/** Crash points compaction can stop at, for tests of the swap protocol. */
export type CompactionHalt = 'before-swap' | 'after-swap-marker';


const verifiedKeyBatches = new WeakSet<Buffer>();

/**
 * Decompresses batches bound for a compacted topic and rejects any record without a key
 * (INVALID_RECORD). Batches that pass are remembered, so {@link PartitionLog.append} accepts them.
 */
export async function verifyRecordKeys(batches: readonly Buffer[]): Promise<void> {
  for (const batch of batches) {
    if ((batch.readInt16BE(BatchOffsets.attributes) & Attributes.control) !== 0) continue;
    const body = await batchRecordBytes(batch);
    if (hasNullKeyChecked(body, batch.readInt32BE(BatchOffsets.recordCount))) {
      throw new KafkaProtocolError(ErrorCode.INVALID_RECORD, 'compacted topic cannot accept a record without a key');
    }
    verifiedKeyBatches.add(batch);
  }
}


export class PartitionLog {
  private readonly segments: LogSegment[];
  private config: LogConfig;
  private readonly clock: () => number;
  private startOffset: bigint;
  private readonly producers: ProducerState;
  private readonly commits: GroupCommit;
  private readonly pendingDeletes = new Map<NodeJS.Timeout, LogSegment[]>();
  private readonly loadedClosed: LogSegment[] = [];
  private maintenance: Promise<unknown> = Promise.resolve();
  /** The durability of the last roll while it is being synced (see {@link roll}), else null. */
  private rollSync: Promise<void> | null = null;
  /** The end of the last roll's work off the ack path (indexes, producer snapshot). */
  private rollTail: Promise<void> = Promise.resolve();
  /** A roll's index or snapshot sync failed: later acks fail with it. */
  private rollFailure: Error | null = null;
  private appendQueue: Promise<unknown> = Promise.resolve();
  private firstDirtyOffset: bigint;
  private closed = false;
  /**
   * Deleted segments' `.log` files kept to be the next rolls' files, with when each was kept
   * (see {@link recycledFilesMax}); they survive restarts.
   */
  private readonly recycled: { file: string; sinceMs: number }[] = [];
  /** Files being renamed into {@link recycled}. */
  private recycling = 0;
  private recycledSeq = 0;
  /** Rolls that took a recycled file since the log opened. */
  segmentsRecycled = 0;
  readonly recovery: RecoveryInfo;

  private constructor(
    readonly dir: string,
    config: LogConfig,
    clock: () => number,
    segments: LogSegment[],
    startOffset: bigint,
    producers: ProducerState,
    firstDirtyOffset: bigint,
    recovery: RecoveryInfo,
    private readonly pageCache: LogPageCache | null,
  ) {
    this.config = config;
    this.clock = clock;
    this.segments = segments;
    this.startOffset = startOffset;
    this.producers = producers;
    this.commits = new GroupCommit(this.active.nextOffset, () => this.syncTarget(), (e) => storageError('fdatasync', e));
    this.firstDirtyOffset = firstDirtyOffset;
    this.recovery = recovery;
    // What was there at open is not the page cache's to account for.
    this.active.cacheRecordedTo = this.active.sizeBytes;
    for (const name of fs.readdirSync(dir)) {
      const seq = recycledFileSeq(name);
      if (seq === null) continue;
      this.recycled.push({ file: path.join(dir, name), sinceMs: clock() });
      this.recycledSeq = Math.max(this.recycledSeq, seq + 1);
    }
  }

  /** Opens (creating or recovering) the partition directory `dir`. */
  static async open(dir: string, config: LogConfig, options: OpenOptions = {}): Promise<PartitionLog> {
    const clock = options.clock ?? Date.now;
    const loaded = loadLog(dir, config, clock());
    return new PartitionLog(dir, config, clock, loaded.segments, loaded.startOffset, loaded.producers, loaded.firstDirtyOffset, loaded.recovery, options.pageCache ?? null);
  }

  private get active(): LogSegment {
    return this.segments[this.segments.length - 1];
  }

  get logStartOffset(): bigint {
    return this.startOffset;
  }

  /** The next offset to be assigned; also the high watermark (single node). */
  get logEndOffset(): bigint {
    return this.active.nextOffset;
  }

  private get compacted(): boolean {
    return this.config.cleanupPolicy.includes('compact');
  }

  /**
   * Appends batches (already split and CRC-checked by `splitBatches`): checks sizes and producer
   * sequences, assigns offsets by editing each header in place, and writes them in one call.
   * Throws KafkaProtocolError (MESSAGE_TOO_LARGE, INVALID_RECORD, OUT_OF_ORDER_SEQUENCE_NUMBER,
   * INVALID_PRODUCER_EPOCH, UNKNOWN_PRODUCER_ID, CORRUPT_MESSAGE, KAFKA_STORAGE_ERROR) and then
   * writes nothing. On compacted topics it looks inside batches for null keys (decompressing
   * gzip, snappy and LZ4 synchronously); zstd batches are checked only by {@link appendChecked}.
   */
  append(batches: Buffer[], options: { assignTimestampMs?: bigint } = {}): AppendResult {
    this.assertOpen();
    if (batches.length === 0 || batches.length > appendBatchesMax) {
      throw new KafkaProtocolError(ErrorCode.CORRUPT_MESSAGE, `an append needs 1 to ${appendBatchesMax} batches, got ${batches.length}`);
    }
    const now = this.clock();
    let bytes = 0;
    for (const batch of batches) bytes += this.validateBatch(batch);
    const leo = this.logEndOffset;
    const pending = new Map<bigint, ProducerEntry>();
    let next = leo;
    for (const batch of batches) {
      const producerId = batch.readBigInt64BE(BatchOffsets.producerId);
      const lastOffsetDelta = batch.readInt32BE(BatchOffsets.lastOffsetDelta);
      // Control batches (transaction markers) carry no sequence: they leave the producer's state alone.
      const control = (batch.readInt16BE(BatchOffsets.attributes) & Attributes.control) !== 0;
      if (producerId >= 0n && !control) {
        const b = { producerId, producerEpoch: batch.readInt16BE(BatchOffsets.producerEpoch), baseSequence: batch.readInt32BE(BatchOffsets.baseSequence), lastOffsetDelta };
        const found = this.producers.check(b, pending.get(producerId));
        if (found.kind === 'duplicate') {
          if (batches.length > 1) throw new KafkaProtocolError(ErrorCode.DUPLICATE_SEQUENCE_NUMBER, `producer ${producerId} resent sequence ${b.baseSequence} among other batches`);
          return { baseOffset: found.batch.baseOffset, lastOffset: found.batch.lastOffset, logAppendTimeMs: -1n, logStartOffset: this.startOffset, duplicate: true };
        }
        pending.set(producerId, this.producers.next(b, next, now, pending.get(producerId)));
      }
      next += BigInt(lastOffsetDelta) + 1n;
    }
    this.maybeRoll(now, bytes, next - 1n);
    const logAppendTimeMs = this.config.messageTimestampType === 'LogAppendTime' ? (options.assignTimestampMs ?? BigInt(now)) : null;
    const infos: AppendedBatch[] = new Array(batches.length);
    let offset = leo;
    for (let i = 0; i < batches.length; i++) {
      const batch = batches[i];
      stampBatch(batch, offset, logAppendTimeMs);
      const lastOffset = offset + BigInt(batch.readInt32BE(BatchOffsets.lastOffsetDelta));
      infos[i] = { sizeBytes: batch.length, lastOffset, maxTimestamp: batch.readBigInt64BE(BatchOffsets.maxTimestamp) };
      offset = lastOffset + 1n;
    }
    try {
      this.active.append(batches, infos, segmentLimits(this.config));
    } catch (e) {
      throw storageError('append', e);
    }
    for (const [pid, entry] of pending) this.producers.set(pid, entry);
    for (const batch of batches) {
      if ((batch.readInt16BE(BatchOffsets.attributes) & Attributes.control) === 0) continue;
      const producerId = batch.readBigInt64BE(BatchOffsets.producerId);
      if (producerId >= 0n) this.producers.applyMarker(producerId, batch.readInt16BE(BatchOffsets.producerEpoch), now);
    }
    return { baseOffset: leo, lastOffset: next - 1n, logAppendTimeMs: logAppendTimeMs ?? -1n, logStartOffset: this.startOffset, duplicate: false };
  }

  /**
   * {@link append} for any topic, looking inside compressed batches first when the topic is
   * compacted (null keys are rejected). Calls are applied in the order they were made; a log
   * whose producers use this should not also be appended to with {@link append} directly.
   */
  appendChecked(batches: Buffer[], options: { assignTimestampMs?: bigint } = {}): Promise<AppendResult> {
    const check = this.compacted ? verifyRecordKeys(batches) : Promise.resolve();
    check.catch(() => {});
    const run = this.appendQueue.then(() => check).then(() => this.append(batches, options));
    this.appendQueue = run.catch(() => {});
    return run;
  }

  /** Checks one batch's framing and size; returns its size. */
  private validateBatch(batch: Buffer): number {
    if (batch.length < batchHeaderBytes || batch.readInt32BE(BatchOffsets.batchLength) + batchLogOverheadBytes !== batch.length) {
      throw new KafkaProtocolError(ErrorCode.CORRUPT_MESSAGE, 'batch length does not match its buffer');
    }
    const magic = batch.readInt8(BatchOffsets.magic);
    if (magic !== 2) throw new KafkaProtocolError(ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT, `record format v${magic} is not supported: only RecordBatch v2`);
    if (batch.length > this.config.maxMessageBytes) {
      throw new KafkaProtocolError(ErrorCode.MESSAGE_TOO_LARGE, `batch of ${batch.length} bytes exceeds max.message.bytes ${this.config.maxMessageBytes}`);
    }
    const recordCount = batch.readInt32BE(BatchOffsets.recordCount);
    const lastOffsetDelta = batch.readInt32BE(BatchOffsets.lastOffsetDelta);
    if (lastOffsetDelta < 0 || recordCount < 0) throw new KafkaProtocolError(ErrorCode.CORRUPT_MESSAGE, 'batch has a negative lastOffsetDelta or record count');
    const attributes = batch.readInt16BE(BatchOffsets.attributes);
    if (this.compacted && (attributes & Attributes.control) === 0 && !verifiedKeyBatches.has(batch)) {
      let body: Buffer | null;
      try {
        body = decompressSync(attributes & Attributes.codecMask, batch.subarray(batchHeaderBytes));
      } catch (e) {
        throw new KafkaProtocolError(ErrorCode.CORRUPT_MESSAGE, `batch does not decompress: ${(e as Error).message}`);
      }
      // zstd has no synchronous decoder: such batches are checked only through appendChecked.
      if (body !== null && hasNullKeyChecked(body, recordCount)) {
        throw new KafkaProtocolError(ErrorCode.INVALID_RECORD, 'compacted topic cannot accept a record without a key');
      }
    }
    return batch.length;
  }

  /** The next active segment at `base`: in a recycled file when there is one. */
  private newSegment(base: bigint, nowMs: number): LogSegment {
    const recycled = this.recycled.pop();
    if (recycled !== undefined) {
      try {
        const seg = LogSegment.createRecycled(this.dir, base, segmentLimits(this.config), nowMs, recycled.file);
        this.segmentsRecycled++;
        return seg;
      } catch {
        // A new file serves as well; this recycled one is not used again.
        unlinkGradually(recycled.file).catch(() => {});
      }
    }
    return LogSegment.create(this.dir, base, segmentLimits(this.config), nowMs);
  }

  /** Unlinks kept files no roll has used for {@link recycledIdleMsMax}. */
  private expireRecycled(nowMs: number): void {
    for (let i = this.recycled.length - 1; i >= 0; i--) {
      if (nowMs - this.recycled[i].sinceMs < recycledIdleMsMax) continue;
      unlinkGradually(this.recycled[i].file).catch(() => {});
      this.recycled.splice(i, 1);
    }
  }

  private maybeRoll(nowMs: number, bytes: number, lastOffset: bigint): void {
    const a = this.active;
    if (a.sizeBytes === 0) return;
    if (a.sizeBytes + bytes > this.config.segmentBytes || nowMs - a.rollBaseMs >= this.config.segmentMs || a.needsRoll(lastOffset)) this.roll(nowMs);
  }

  /**
   * Closes the active segment and starts a new one at the log end. The new segment takes appends
   * at once; what a roll must make durable runs in the threadpool (a roll used to hold the event
   * loop for up to ~100 ms, and every ack in flight with it). Acks need the closed segment's data
   * and the new file's directory entry: offsets count as durable once both are synced, and
   * group-commit syncs of the new segment wait for that ({@link SyncTarget.after}). The closed
   * segment's indexes and the producer snapshot at the new base follow off the ack path; the
   * snapshot comes last, so one at offset X proves every segment below X synced (recovery relies
   * on it, log-loader.ts). A failure there fails the acks after it, as a failed fdatasync does.
   */
  roll(nowMs = this.clock()): void {
    const old = this.active;
    const leo = this.logEndOffset;
    try {
      const seg = this.newSegment(leo, nowMs);
      seg.nextOffset = leo;
      this.segments.push(seg);
    } catch (e) {
      throw storageError('roll', e);
    }
    this.noteLoaded(old);
    const snapshot = this.producers.serialize();
    const durable = (this.rollSync ?? Promise.resolve())
      .then(() => Promise.all([old.syncData(), fsyncDirAsync(this.dir)]))
      .then(() => {
        this.commits.markDurable(leo);
        this.pageCache?.durable(old, old.sizeBytes);
        if (this.rollSync === durable) this.rollSync = null;
      }, (e: unknown) => {
        throw storageError('roll', e);
      });
    // A failure reaches the acks waiting on it through the group commit.
    durable.catch(() => {});
    this.rollSync = durable;
    const finished = Promise.all([durable, this.rollTail])
      .then(async () => {
        await old.sealIndexes();
        await writeSnapshotAsync(this.dir, leo, snapshot);
      })
      .catch((e: unknown) => {
        this.rollFailure ??= storageError('roll', e);
      })
      .then(() => {
        if (this.rollTail === finished) this.rollTail = Promise.resolve();
      });
    this.rollTail = finished;
  }

  /** What group-commit syncs wait for besides their own fdatasync: a roll in progress, or the failure of one. */
  private rollBarrier(): Promise<void> | null {
    if (this.rollFailure !== null) {
      const failed = Promise.reject(this.rollFailure);
      failed.catch(() => {});
      return failed;
    }
    return this.rollSync;
  }

  /** The syncs in flight (group commit and rolls); files they use are deleted after them. */
  private syncsSettled(): Promise<unknown> {
    return Promise.allSettled([this.commits.inFlight ?? Promise.resolve(), this.rollSync ?? Promise.resolve(), this.rollTail]);
  }

  /**
   * Resolves once everything appended before the call is on disk (fdatasync). Concurrent callers
   * share fsyncs: while one runs, later callers wait for the next, which covers them all.
   */
  flush(): Promise<void> {
    return this.commits.flush();
  }

  /** The sync group commit runs next: the active segment, its index entries written first. */
  private syncTarget(): SyncTarget | null {
    if (this.closed || this.commits.durableOffset >= this.logEndOffset) return null;
    const seg = this.active;
    seg.writeIndexes();
    const position = seg.sizeBytes;
    const cache = this.pageCache;
    return { fd: seg.fd, offset: this.logEndOffset, after: this.rollBarrier(), onDurable: cache === null ? undefined : () => cache.durable(seg, position) };
  }

  /**
   * Whole batches starting with the one containing `offset`, up to `maxBytes` (at least one
   * batch when any exists). Throws OFFSET_OUT_OF_RANGE outside [logStartOffset, logEndOffset].
   * `alloc` supplies the buffers read into (Fetch passes pooled ones).
   */
  read(offset: bigint, maxBytes: number, alloc?: (n: number) => Buffer): ReadResult {
    this.assertOpen();
    const leo = this.logEndOffset;
    if (offset < this.startOffset || offset > leo) {
      throw new KafkaProtocolError(ErrorCode.OFFSET_OUT_OF_RANGE, `offset ${offset} is outside the log [${this.startOffset}, ${leo}]`);
    }
    const result: ReadResult = { data: Buffer.alloc(0), highWatermark: leo, logStartOffset: this.startOffset };
    if (offset === leo) return result;
    for (let i = this.segmentIndexFor(offset); i < this.segments.length; i++) {
      const seg = this.segments[i];
      const batch = seg.findBatch(offset);
      this.noteLoaded(seg);
      if (batch !== null) {
        result.data = seg.readBatches(batch.position, Math.min(Math.max(0, maxBytes), readBytesMax), alloc);
        return result;
      }
    }
    return result;
  }

  /**
   * The first record with a timestamp >= `timestampMs` (ListOffsets), found through the time
   * indexes, or null when every record is older. Exact for uncompressed and LogAppendTime
   * batches; for a compressed CreateTime batch it answers the batch's first offset (the
   * consumer then reads that whole batch anyway) — use {@link offsetForTimestampExact} to look
   * inside. Kafka's special timestamps -2 (earliest) and -1 (latest) answer the log's ends.
   */
  offsetForTimestamp(timestampMs: bigint): { offset: bigint; timestamp: bigint } | null {
    const found = this.findByTimestamp(timestampMs);
    if (found === null || 'offset' in found) return found;
    const { seg, batch } = found;
    const bytes = seg.readBatch(batch);
    const codec = bytes.readInt16BE(BatchOffsets.attributes) & Attributes.codecMask;
    if (codec !== 0) return { offset: maxBigint(batch.baseOffset, this.startOffset), timestamp: batch.maxTimestamp };
    return this.recordInBatch(bytes, bytes.subarray(batchHeaderBytes), timestampMs, batch);
  }

  /** {@link offsetForTimestamp}, decompressing batches to answer the exact record. */
  async offsetForTimestampExact(timestampMs: bigint): Promise<{ offset: bigint; timestamp: bigint } | null> {
    const found = this.findByTimestamp(timestampMs);
    if (found === null || 'offset' in found) return found;
    const bytes = found.seg.readBatch(found.batch);
    return this.recordInBatch(bytes, await batchRecordBytes(bytes), timestampMs, found.batch);
  }

  private findByTimestamp(ts: bigint): { offset: bigint; timestamp: bigint } | { seg: LogSegment; batch: ScannedBatch } | null {
    this.assertOpen();
    if (ts === -2n) return { offset: this.startOffset, timestamp: -1n };
    if (ts === -1n) return { offset: this.logEndOffset, timestamp: -1n };
    for (const seg of this.segments) {
      if (seg.maxTimestamp < ts || seg.nextOffset <= this.startOffset) continue;
      const batch = seg.findBatchByTimestamp(ts);
      this.noteLoaded(seg);
      if (batch !== null && batch.lastOffset >= this.startOffset) return { seg, batch };
    }
    return null;
  }

  private recordInBatch(bytes: Buffer, body: Buffer, ts: bigint, batch: ScannedBatch): { offset: bigint; timestamp: bigint } | null {
    if ((batch.attributes & Attributes.timestampTypeLogAppend) !== 0) return { offset: maxBigint(batch.baseOffset, this.startOffset), timestamp: batch.maxTimestamp };
    const baseTimestamp = bytes.readBigInt64BE(BatchOffsets.baseTimestamp);
    const hit = firstRecordAtOrAfter(body, bytes.readInt32BE(BatchOffsets.recordCount), baseTimestamp, ts);
    if (hit === null) return null;
    return { offset: maxBigint(batch.baseOffset + BigInt(hit.offsetDelta), this.startOffset), timestamp: hit.timestamp };
  }

  /**
   * DeleteRecords: moves the log start offset to `offset` (-1n means the high watermark) and
   * deletes the closed segments wholly below it. Returns the new low watermark.
   */
  deleteRecordsBefore(offset: bigint): bigint {
    this.assertOpen();
    const target = offset === -1n ? this.logEndOffset : offset;
    if (target < 0n || target > this.logEndOffset) {
      throw new KafkaProtocolError(ErrorCode.OFFSET_OUT_OF_RANGE, `cannot delete records before ${offset}: the log ends at ${this.logEndOffset}`);
    }
    if (target <= this.startOffset) return this.startOffset;
    this.setStartOffset(target);
    let n = 0;
    while (n < this.segments.length - 1 && this.segments[n + 1].baseOffset <= target) n++;
    this.deleteOldest(n);
    return this.startOffset;
  }

  updateConfig(config: LogConfig): void {
    this.config = config;
  }

  /**
   * Time and size retention for the "delete" policy: deletes the oldest closed segments whose
   * newest record is older than retention.ms, then while the partition exceeds retention.bytes.
   */
  enforceRetention(nowMs = this.clock()): Promise<{ segmentsDeleted: number; bytesDeleted: number }> {
    return this.exclusive(async () => {
      if (this.closed) return { segmentsDeleted: 0, bytesDeleted: 0 };
      this.expireRecycled(nowMs);
      if (!this.config.cleanupPolicy.includes('delete')) return { segmentsDeleted: 0, bytesDeleted: 0 };
      const closed = this.segments.slice(0, -1).map((s) => ({ sizeBytes: s.sizeBytes, maxTimestampMs: segmentTimestampMs(s) }));
      const n = segmentsToDelete(closed, this.sizeBytes(), this.config, nowMs);
      let bytesDeleted = 0;
      for (let i = 0; i < n; i++) bytesDeleted += this.segments[i].sizeBytes;
      if (n > 0) {
        this.deleteOldest(n);
        if (this.startOffset < this.segments[0].baseOffset) this.setStartOffset(this.segments[0].baseOffset);
      }
      return { segmentsDeleted: n, bytesDeleted };
    });
  }

  /**
   * Compaction ("compact" policy): when dirty bytes reach min.cleanable.dirty.ratio, keeps the
   * latest record per key across closed segments, keeping offsets. Null when nothing was done.
   * `halt` stops at a crash point (tests of the swap protocol): the log must then be abandoned.
   */
  compact(nowMs = this.clock(), halt?: CompactionHalt): Promise<{ recordsRemoved: number } | null> {
    return this.exclusive(async () => {
      if (this.closed || !this.compacted || this.segments.length < 2) return null;
      const input: CompactionPlanInput = {
        dir: this.dir,
        closed: this.segments.slice(0, -1),
        firstDirtyOffset: this.firstDirtyOffset,
        nowMs,
        config: this.config,
        limits: segmentLimits(this.config),
        stillCurrent: (segs) => !this.closed && segs.every((s) => this.segments.includes(s)),
        onSwap: (replaced, by) => {
          const at = this.segments.indexOf(replaced[0]);
          assert(at >= 0 && this.segments[at + replaced.length - 1] === replaced[replaced.length - 1], 'swapped segments are in the log');
          this.segments.splice(at, replaced.length, by);
          this.scheduleClose(replaced);
        },
        halt,
      };
      const outcome = await compactSegments(input);
      if (outcome === null) return null;
      this.firstDirtyOffset = outcome.firstDirtyOffset;
      writeFileAtomic(path.join(this.dir, cleanerCheckpointFile), `${outcome.firstDirtyOffset}\n`);
      return { recordsRemoved: outcome.recordsRemoved };
    });
  }

  /** Flushes, seals the active segment, snapshots producer state and marks a clean shutdown. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.appendQueue;
    await this.flush();
    await this.maintenance.catch(() => {});
    this.closed = true;
    await this.syncsSettled();
    const active = this.active;
    active.seal();
    writeSnapshot(this.dir, this.logEndOffset, this.producers);
    writeCleanShutdownMarker(this.dir, this.logEndOffset, active.sizeBytes);
    for (const [timer, segs] of this.pendingDeletes) {
      clearTimeout(timer);
      for (const s of segs) (s.close(), s.unlinkDeleted());
    }
    this.pendingDeletes.clear();
    for (const s of this.segments) s.close();
  }

  /** Closes the log and deletes its directory (topic deletion). */
  async destroy(): Promise<void> {
    await this.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  sizeBytes(): number {
    let total = 0;
    for (const s of this.segments) total += s.sizeBytes;
    return total;
  }

  segmentCount(): number {
    return this.segments.length;
  }

  /** Base offsets of the segments, oldest first (for tools and tests). */
  segmentBaseOffsets(): bigint[] {
    return this.segments.map((s) => s.baseOffset);
  }

  private assertOpen(): void {
    if (this.closed) throw new KafkaProtocolError(ErrorCode.NOT_LEADER_OR_FOLLOWER, `log ${this.dir} is closed`);
  }

  /** Runs maintenance (retention, compaction) one at a time, and after any roll still syncing its segment. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.maintenance.then(() => this.syncsSettled()).then(fn, fn);
    this.maintenance = run.catch(() => {});
    return run;
  }

  private segmentIndexFor(offset: bigint): number {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.segments[mid].baseOffset <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private setStartOffset(offset: bigint): void {
    this.startOffset = offset;
    writeFileAtomic(path.join(this.dir, logStartOffsetFile), `${offset}\n`);
  }

  /** Removes the `n` oldest segments (never the active one) from the log. */
  private deleteOldest(n: number): void {
    const count = Math.min(n, this.segments.length - 1);
    if (count <= 0) return;
    const gone = this.segments.splice(0, count);
    for (const s of gone) s.markDeleted();
    this.scheduleClose(gone);
  }

  /** Closes and unlinks segments after file.delete.delay.ms (and after any fsync in flight). */
  private scheduleClose(segs: LogSegment[]): void {
    for (const s of segs) {
      const i = this.loadedClosed.indexOf(s);
      if (i >= 0) this.loadedClosed.splice(i, 1);
    }
    const timer = setTimeout(() => {
      this.pendingDeletes.delete(timer);
      const finish = (): void => {
        for (const s of segs) {
          s.close();
          // A file whose pages left the cache is not recycled: each append's last, partial page
          // would be read back from disk before the write (LogPageCache).
          const recycle =
            !this.closed &&
            !s.cacheDropped &&
            this.recycled.length + this.recycling < recycledFilesMax &&
            s.sizeBytes >= recycleBytesMin &&
            s.sizeBytes <= 2 * this.config.segmentBytes;
          const to = recycle ? path.join(this.dir, `recycled-${this.recycledSeq++}.log`) : null;
          if (to !== null) this.recycling++;
          // A file that failed to go stays as `*.deleted`, which the next open removes.
          s.unlinkDeletedAsync(to)
            .then(() => {
              if (to !== null && !this.closed) this.recycled.push({ file: to, sinceMs: this.clock() });
            })
            .catch(() => {})
            .finally(() => {
              if (to !== null) this.recycling--;
            });
        }
      };
      this.syncsSettled().then(finish, finish);
    }, this.config.fileDeleteDelayMs);
    timer.unref();
    this.pendingDeletes.set(timer, segs);
  }

  /** Keeps the indexes of recently used closed segments in memory, unloading the rest. */
  private noteLoaded(seg: LogSegment): void {
    if (seg === this.active) return;
    const i = this.loadedClosed.indexOf(seg);
    if (i >= 0) this.loadedClosed.splice(i, 1);
    this.loadedClosed.push(seg);
    while (this.loadedClosed.length > loadedIndexSegmentsMax) this.loadedClosed.shift()?.unloadIndexes();
  }
}


/** {@link hasNullKey}, with malformed records reported as CORRUPT_MESSAGE. */
function hasNullKeyChecked(body: Buffer, recordCount: number): boolean {
  try {
    return hasNullKey(body, recordCount);
  } catch (e) {
    throw new KafkaProtocolError(ErrorCode.CORRUPT_MESSAGE, `batch records are malformed: ${(e as Error).message}`);
  }
}

/** N of a kept deleted segment file's name `recycled-<N>.log`, else null. */
function recycledFileSeq(name: string): number | null {
  const m = /^recycled-(\d{1,15})\.log$/.exec(name);
  return m === null ? null : Number(m[1]);
}

function maxBigint(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

function storageError(what: string, cause: unknown): KafkaProtocolError {
  if (cause instanceof KafkaProtocolError) return cause;
  const err = new KafkaProtocolError(ErrorCode.KAFKA_STORAGE_ERROR, `${what} failed: ${(cause as Error).message}`);
  (err as Error & { cause?: unknown }).cause = cause;
  return err;
}

function segmentTimestampMs(seg: LogSegment): number {
  const ts = seg.maxTimestamp;
  if (ts >= 0n) return Number(ts);
  try {
    return fs.statSync(path.join(seg.dir, `${seg.baseOffset.toString().padStart(20, '0')}.log`)).mtimeMs;
  } catch {
    return Date.now();
  }
}

