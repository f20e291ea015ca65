/**
 * Transaction state of one partition, as KIP-98 defines it for readers: the ongoing
 * transactions (first offset per producer), the last stable offset (LSO) they hold back, and the
 * aborted-transactions index that read_committed fetches return so clients skip aborted batches.
 *
 * The state is derived from the log alone: {@link PartitionTxns.sync} scans the batch headers
 * appended since the last scan (transactional batches open a transaction for their producer, a
 * control batch closes it, and an abort marker adds `(producerId, firstOffset, lastOffset)` to
 * the index). After a restart the first sync scans the partition from its start, so nothing
 * besides the log has to be made durable.
 */
import { Attributes, BatchOffsets, batchHeaderBytes, decodeBatchRecords } from '../protocol/index.ts';
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
  private syncing: Promise<void> = Promise.resolve();

  constructor(private readonly log: PartitionLog) {}

  /** Brings the state up to the log end; serialized so scans never overlap. */
  sync(): Promise<void> {
    this.syncing = this.syncing.then(() => this.scan());
    return this.syncing;
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

  private async scan(): Promise<void> {
    if (this.scannedTo < this.log.logStartOffset) this.scannedTo = this.log.logStartOffset;
    while (this.scannedTo < this.log.logEndOffset) {
      const { data } = this.log.read(this.scannedTo, scanReadBytes);
      if (data.length < batchHeaderBytes) break;
      let pos = 0;
      while (pos + batchHeaderBytes <= data.length) {
        const size = data.readInt32BE(pos + BatchOffsets.batchLength) + 12;
        if (pos + size > data.length) break;
        const batch = data.subarray(pos, pos + size);
        const base = batch.readBigInt64BE(BatchOffsets.baseOffset);
        const last = base + BigInt(batch.readInt32BE(BatchOffsets.lastOffsetDelta));
        if (last >= this.scannedTo) await this.apply(batch, base, last);
        this.scannedTo = last + 1n;
        pos += size;
      }
      if (pos === 0) break;
    }
  }

  private async apply(batch: Buffer, baseOffset: bigint, lastOffset: bigint): Promise<void> {
    const attributes = batch.readInt16BE(BatchOffsets.attributes);
    if ((attributes & Attributes.transactional) === 0) return;
    const producerId = batch.readBigInt64BE(BatchOffsets.producerId);
    if ((attributes & Attributes.control) === 0) {
      if (!this.ongoing.has(producerId)) this.ongoing.set(producerId, baseOffset);
      return;
    }
    const first = this.ongoing.get(producerId);
    this.ongoing.delete(producerId);
    const [marker] = await decodeBatchRecords(batch);
    const type = marker?.key && marker.key.length >= 4 ? marker.key.readInt16BE(2) : -1;
    if (type === ControlType.abort && first !== undefined) {
      this.aborted.push({ producerId, firstOffset: first, lastOffset });
      if (this.aborted.length > abortedTxnsMax) this.aborted.shift();
    }
  }
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
