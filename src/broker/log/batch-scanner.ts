/**
 * Walks the RecordBatch v2 headers of a segment file with chunked positional reads: the log's
 * one way to find batch boundaries (reads, recovery, producer-state rebuild, offsetForTimestamp).
 * With `verify`, each batch is also checked the way recovery needs: sane length, magic 2,
 * offsets increasing and CRC-32C; the scan stops at the first batch that fails, and `error`
 * says why.
 */
import { BatchOffsets, batchCrcValid, batchHeaderBytes, batchLogOverheadBytes } from '../protocol/index.ts';
import { preadFully } from './files.ts';

/** Bytes read per system call while scanning. */
export const scanChunkBytes = 1024 * 1024;
/** A batch claiming more than this is treated as corrupt (no batch is ever this large). */
export const scanBatchBytesMax = 1024 * 1024 * 1024;

export interface ScannedBatch {
  position: number;
  sizeBytes: number;
  baseOffset: bigint;
  lastOffset: bigint;
  attributes: number;
  maxTimestamp: bigint;
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  lastOffsetDelta: number;
}

export class BatchScanner {
  private chunk: Buffer;
  private chunkStart = 0;
  private chunkEnd = 0;
  /** Position of the next batch; after the scan ends, the end of the last good batch. */
  position: number;
  /** Why a verifying scan stopped early; null when it reached `end`. */
  error: string | null = null;
  private nextOffsetMin: bigint;

  constructor(
    private readonly fd: number,
    from: number,
    private readonly end: number,
    private readonly verify: boolean,
    nextOffsetMin = -1n,
    chunkBytes = scanChunkBytes,
  ) {
    this.position = from;
    this.nextOffsetMin = nextOffsetMin;
    this.chunk = Buffer.allocUnsafe(chunkBytes);
  }

  /** The next batch, or null at the end (or at the first bad batch when verifying). */
  next(): ScannedBatch | null {
    const pos = this.position;
    if (pos >= this.end) return null;
    if (this.end - pos < batchHeaderBytes) return this.fail(`${this.end - pos} bytes at the end cannot hold a batch header`);
    const header = this.view(pos, batchHeaderBytes);
    const size = header.readInt32BE(BatchOffsets.batchLength) + batchLogOverheadBytes;
    if (size < batchHeaderBytes || size > scanBatchBytesMax) return this.fail(`batch length ${size} is impossible`);
    if (pos + size > this.end) return this.fail(`batch of ${size} bytes runs past the end of the file`);
    const batch = this.decodeHeader(header, pos, size);
    if (this.verify) {
      const problem = this.check(batch, pos, size);
      if (problem !== null) return this.fail(problem);
    }
    this.nextOffsetMin = batch.lastOffset + 1n;
    this.position = pos + size;
    return batch;
  }

  private decodeHeader(h: Buffer, position: number, sizeBytes: number): ScannedBatch {
    const baseOffset = h.readBigInt64BE(BatchOffsets.baseOffset);
    const lastOffsetDelta = h.readInt32BE(BatchOffsets.lastOffsetDelta);
    return {
      position,
      sizeBytes,
      baseOffset,
      lastOffset: baseOffset + BigInt(lastOffsetDelta),
      attributes: h.readInt16BE(BatchOffsets.attributes),
      maxTimestamp: h.readBigInt64BE(BatchOffsets.maxTimestamp),
      producerId: h.readBigInt64BE(BatchOffsets.producerId),
      producerEpoch: h.readInt16BE(BatchOffsets.producerEpoch),
      baseSequence: h.readInt32BE(BatchOffsets.baseSequence),
      lastOffsetDelta,
    };
  }

  private check(batch: ScannedBatch, pos: number, size: number): string | null {
    const whole = this.view(pos, size);
    if (whole.readInt8(BatchOffsets.magic) !== 2) return `batch at position ${pos} has magic ${whole.readInt8(BatchOffsets.magic)}`;
    if (batch.lastOffsetDelta < 0) return `batch at position ${pos} has a negative lastOffsetDelta`;
    if (batch.baseOffset < this.nextOffsetMin) return `batch at position ${pos} goes back to offset ${batch.baseOffset}`;
    if (!batchCrcValid(whole)) return `batch at position ${pos} fails its CRC-32C`;
    return null;
  }

  private fail(reason: string): null {
    if (this.verify) this.error = reason;
    return null;
  }

  /** `length` bytes at file position `pos`, from the chunk buffer when they are in it. */
  private view(pos: number, length: number): Buffer {
    if (pos >= this.chunkStart && pos + length <= this.chunkEnd) {
      return this.chunk.subarray(pos - this.chunkStart, pos - this.chunkStart + length);
    }
    if (length > this.chunk.length) {
      const big = Buffer.allocUnsafe(length);
      preadFully(this.fd, big, 0, length, pos);
      return big;
    }
    const want = Math.min(this.chunk.length, this.end - pos);
    const got = preadFully(this.fd, this.chunk, 0, want, pos);
    this.chunkStart = pos;
    this.chunkEnd = pos + got;
    return this.chunk.subarray(0, Math.min(length, got));
  }
}
