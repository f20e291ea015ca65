/**
 * Transaction state of one partition, as KIP-98 defines it for readers: the ongoing
 * transactions (first offset per producer), the last stable offset (LSO) they hold back, and the
 * aborted-transactions index that read_committed fetches return so clients skip aborted batches.
 *
 * The state is derived from the log alone: transactional batches open a transaction for their
 * producer, a control batch closes it, and an abort marker adds `(producerId, firstOffset,
 * lastOffset)` to the index. Appends feed their batches in through {@link PartitionTxns.observe}
 * once the state is current; {@link PartitionTxns.sync} reads whatever it has not seen from the
 * log. After a restart the first sync (the first read_committed fetch or ListOffsets) scans the
 * partition from its start, so nothing besides the log has to be made durable.
 */
import { Attributes, BatchOffsets, Reader, batchHeaderBytes } from '../protocol/index.ts';
import type { PartitionLog } from '../log/index.ts';

/** Bytes read per step while scanning. */
const scanReadBytes = 4 * 1024 * 1024;
/** Aborted transactions remembered per partition; the oldest are forgotten past this. */
export const abortedTxnsMax = 100_000;

export interface AbortedTxn {
  producerId: bigint;
  firstOffset: bigint;
  /** The offset of the abort marker. */
  lastOffset: bigint;
}

/** Control record key type (ControlRecordType): 0 abort, 1 commit. */
export const ControlType = { abort: 0, commit: 1 } as const;

export class PartitionTxns {
  private readonly ongoing = new Map<bigint, bigint>();
  private readonly aborted: AbortedTxn[] = [];
  /** Everything below this offset has been scanned. */
  private scannedTo = -1n;

  constructor(private readonly log: PartitionLog) {}

  /** Brings the state up to the log end (synchronous: reads and parses batch headers only). */
  sync(): void {
    if (this.scannedTo < this.log.logStartOffset) this.scannedTo = this.log.logStartOffset;
    while (this.scannedTo < this.log.logEndOffset) {
      const { data } = this.log.read(this.scannedTo, scanReadBytes);
      const before = this.scannedTo;
      this.applyAll(data);
      if (this.scannedTo === before) break;
    }
  }

  /**
   * Takes batches just appended (offsets already stamped) when the state has seen everything
   * before them, which saves the next sync from reading them back. Otherwise a no-op.
   */
  observe(batches: readonly Buffer[], baseOffset: bigint): void {
    if (this.scannedTo !== baseOffset) return;
    for (const batch of batches) this.applyAll(batch);
  }

  /**
   * The last stable offset: the first offset of the earliest ongoing transaction, else the end
   * of what has been scanned (the high watermark after a sync).
   */
  get lastStableOffset(): bigint {
    let lso = this.scannedTo < 0n ? this.log.logStartOffset : this.scannedTo;
    for (const first of this.ongoing.values()) if (first < lso) lso = first;
    return lso;
  }

  /** Aborted transactions overlapping [fromOffset, toOffset), oldest first. */
  abortedBetween(fromOffset: bigint, toOffset: bigint): AbortedTxn[] {
    return this.aborted.filter((a) => a.lastOffset >= fromOffset && a.firstOffset < toOffset);
  }

  /** Applies the whole batches in `data` at or past the scan position. */
  private applyAll(data: Buffer): void {
    let pos = 0;
    while (pos + batchHeaderBytes <= data.length) {
      const size = data.readInt32BE(pos + BatchOffsets.batchLength) + 12;
      if (pos + size > data.length) break;
      const batch = data.subarray(pos, pos + size);
      const base = batch.readBigInt64BE(BatchOffsets.baseOffset);
      const last = base + BigInt(batch.readInt32BE(BatchOffsets.lastOffsetDelta));
      if (last >= this.scannedTo) {
        this.apply(batch, base, last);
        this.scannedTo = last + 1n;
      }
      pos += size;
    }
  }

  private apply(batch: Buffer, baseOffset: bigint, lastOffset: bigint): void {
    const attributes = batch.readInt16BE(BatchOffsets.attributes);
    if ((attributes & Attributes.transactional) === 0) return;
    const producerId = batch.readBigInt64BE(BatchOffsets.producerId);
    if ((attributes & Attributes.control) === 0) {
      if (!this.ongoing.has(producerId)) this.ongoing.set(producerId, baseOffset);
      return;
    }
    const first = this.ongoing.get(producerId);
    this.ongoing.delete(producerId);
    if (controlType(batch) === ControlType.abort && first !== undefined) {
      this.aborted.push({ producerId, firstOffset: first, lastOffset });
      if (this.aborted.length > abortedTxnsMax) this.aborted.shift();
    }
  }
}

/**
 * The type of a control batch's first record (control batches are never compressed): record
 * length, attributes, timestamp delta, offset delta, then the key `version int16, type int16`.
 * -1 when the key is not a control key.
 */
export function controlType(batch: Buffer): number {
  const r = new Reader(batch, batchHeaderBytes);
  r.varint();
  r.int8();
  r.varlong();
  r.varint();
  const keyLength = r.varint();
  if (keyLength < 4) return -1;
  r.int16();
  return r.int16();
}

const byLog = new WeakMap<PartitionLog, PartitionTxns>();

/** The transaction state of a partition log, created on first use. */
export function partitionTxns(log: PartitionLog): PartitionTxns {
  let t = byLog.get(log);
  if (!t) {
    t = new PartitionTxns(log);
    byLog.set(log, t);
  }
  return t;
}
