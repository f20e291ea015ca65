/**
 * Reads a partition log's records straight from the broker's storage, so a test can check what
 * was stored independently of any client's retries, dedup or offset handling.
 */
import type { PartitionLog } from '../../src/broker/log/index.ts';
import { BatchOffsets, decodeBatchRecords, splitBatches } from '../../src/broker/protocol/index.ts';

export interface StoredRecord {
  offset: number;
  timestamp: number;
  key: string | null;
  value: string | null;
}

/** Every record from the log start to its end, in offset order (at most `recordsMax`). */
export async function readLog(log: PartitionLog, recordsMax = 1_000_000): Promise<StoredRecord[]> {
  const out: StoredRecord[] = [];
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset && out.length < recordsMax) {
    const { data } = log.read(offset, 1024 * 1024);
    if (data.length === 0) break;
    for (const batch of splitBatches(data)) {
      for (const r of await decodeBatchRecords(batch)) {
        if (r.offset < offset) continue;
        out.push({ offset: Number(r.offset), timestamp: Number(r.timestamp), key: r.key?.toString() ?? null, value: r.value?.toString() ?? null });
      }
      const base = batch.readBigInt64BE(BatchOffsets.baseOffset);
      offset = base + BigInt(batch.readInt32BE(BatchOffsets.lastOffsetDelta)) + 1n;
    }
  }
  return out;
}
