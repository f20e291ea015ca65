/**
 * Transaction state of one partition, as KIP-98 defines it for readers: the ongoing
 * transactions (first offset per producer), the last stable offset (LSO) they hold back, and the
 * aborted-transactions index that read_committed fetches return so clients skip aborted batches.
 *
 * The state is derived from the log alone: transactional batches open a transaction for their
 * producer, a control batch closes it, and an abort marker adds `(producerId, firstOffset,
 * lastOffset)` to the index. Appends feed their batches in through {@link PartitionTxns.observe}
 * once the state is current; {@link PartitionTxns.sync} reads whatever it has not seen from the
 * log, in steps that yield to the event loop.
 *
 * Durability: the log is the truth. At a clean stop the broker writes each loaded state to
 * `<partition dir>/txn-index.json` (scan position, open transactions, aborted index); the first
 * use after a restart loads it and scans only the log past its position. Without the file (or
 * when the log now ends before its position, after a crash lost a tail) the scan starts at the
 * log start.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { Attributes, BatchOffsets, Reader, batchHeaderBytes } from '../protocol/index.ts';
import { writeFileAtomic } from '../log/files.ts';
import type { PartitionLog } from '../log/index.ts';

/** Bytes read per step while scanning. */
const scanReadBytes = 4 * 1024 * 1024;
/** Bytes scanned before a sync yields to the event loop. */
const syncStepBytesMax = 32 * 1024 * 1024;
/** The checkpoint file in the partition directory. */
export const txnIndexFile = 'txn-index.json';
const txnIndexVersion = 1;
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

  constructor(private readonly log: PartitionLog) {
    this.loadCheckpoint();
  }

  /**
   * Scans toward the log end, at most about `bytesMax`; returns true once the state is current.
   * Synchronous: it reads and parses batch headers only.
   */
  syncStep(bytesMax = syncStepBytesMax): boolean {
    if (this.scannedTo < this.log.logStartOffset) this.scannedTo = this.log.logStartOffset;
    let bytes = 0;
    while (this.scannedTo < this.log.logEndOffset) {
      if (bytes >= bytesMax) return false;
      const { data } = this.log.read(this.scannedTo, scanReadBytes);
      const before = this.scannedTo;
      this.applyAll(data);
      bytes += data.length;
      if (this.scannedTo === before) break;
    }
    return true;
  }

  /** Brings the state up to the log end, yielding to the event loop between steps. */
  async sync(): Promise<void> {
    while (!this.syncStep()) await yieldToLoop();
  }

  /** Writes the state (brought up to the log end first) to the partition directory. */
  checkpoint(): void {
    while (!this.syncStep(Number.MAX_SAFE_INTEGER));
    const state = {
      v: txnIndexVersion,
      scannedTo: this.scannedTo.toString(),
      ongoing: [...this.ongoing].map(([pid, first]) => [pid.toString(), first.toString()]),
      aborted: this.aborted.map((a) => [a.producerId.toString(), a.firstOffset.toString(), a.lastOffset.toString()]),
    };
    writeFileAtomic(join(this.log.dir, txnIndexFile), JSON.stringify(state));
  }

  private loadCheckpoint(): void {
    let text: string;
    try {
      text = readFileSync(join(this.log.dir, txnIndexFile), 'utf8');
    } catch {
      return;
    }
    try {
      const state = JSON.parse(text) as { v: number; scannedTo: string; ongoing: [string, string][]; aborted: [string, string, string][] };
      const scannedTo = BigInt(state.scannedTo);
      if (state.v !== txnIndexVersion || scannedTo > this.log.logEndOffset) return;
      for (const [pid, first] of state.ongoing) this.ongoing.set(BigInt(pid), BigInt(first));
      for (const [pid, first, last] of state.aborted) this.aborted.push({ producerId: BigInt(pid), firstOffset: BigInt(first), lastOffset: BigInt(last) });
      this.scannedTo = scannedTo;
    } catch {
      // A damaged checkpoint is only a lost shortcut: scan from the log start.
      this.ongoing.clear();
      this.aborted.length = 0;
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
    // The index is in marker order, so lastOffset ascends: skip the ones that ended before.
    let lo = 0;
    let hi = this.aborted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.aborted[mid].lastOffset < fromOffset) lo = mid + 1;
      else hi = mid;
    }
    const out: AbortedTxn[] = [];
    for (let i = lo; i < this.aborted.length; i++) if (this.aborted[i].firstOffset < toOffset) out.push(this.aborted[i]);
    return out;
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

/** The transaction state of a partition log if anything has used it since the broker started. */
export function loadedPartitionTxns(log: PartitionLog): PartitionTxns | undefined {
  return byLog.get(log);
}

/** The transaction state of a partition log, created on first use. */
export function partitionTxns(log: PartitionLog): PartitionTxns {
  let t = byLog.get(log);
  if (!t) {
    t = new PartitionTxns(log);
    byLog.set(log, t);
  }
  return t;
}
