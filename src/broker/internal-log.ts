/**
 * A key/value changelog kept in one partition log: the broker's metadata (topics, cluster id,
 * producer-id blocks) and the group coordinator's `__consumer_offsets` are stored this way, so
 * the log is the one durable primitive (ARCHITECTURE.md principle 1). Appends are durable when
 * they resolve; state is rebuilt by replaying from the log start.
 */
import { BatchOffsets, decodeBatchRecords, encodeBatch, storedBatches } from './protocol/record-batch.ts';
import type { PartitionLog } from './log/index.ts';

export interface KeyValueRecord {
  key: Buffer;
  value: Buffer | null;
}

/** Bytes read per step while replaying. */
const replayReadBytes = 4 * 1024 * 1024;

export class InternalLog {
  constructor(readonly log: PartitionLog) {}

  /** Appends records as one batch and waits for fsync. */
  async append(records: readonly KeyValueRecord[]): Promise<void> {
    if (records.length === 0) return;
    const batch = await encodeBatch({ records: records.map((r) => ({ key: r.key, value: r.value })) });
    this.log.append([batch]);
    await this.log.flush();
  }

  /** Calls `onRecord` for every record from the log start to its end, in order. */
  async replay(onRecord: (key: Buffer, value: Buffer | null) => void): Promise<void> {
    let offset = this.log.logStartOffset;
    const end = this.log.logEndOffset;
    while (offset < end) {
      const { data } = this.log.read(offset, replayReadBytes);
      if (data.length === 0) break;
      for (const batch of storedBatches(data)) {
        for (const r of await decodeBatchRecords(batch)) {
          if (r.offset < offset) continue;
          if (r.key !== null) onRecord(r.key, r.value);
          offset = r.offset + 1n;
        }
        const lastOffset = batch.readBigInt64BE(BatchOffsets.baseOffset) + BigInt(batch.readInt32BE(BatchOffsets.lastOffsetDelta));
        if (lastOffset + 1n > offset) offset = lastOffset + 1n;
      }
    }
  }
}
