/**
 * An in-memory GroupStore for tests: an append-only list of records, replayed in order. The
 * real store is the `__consumer_offsets` log, provided by the broker.
 */
import type { GroupRecord, GroupStore } from '../../../src/broker/group/group-store.ts';

export class MemoryGroupStore implements GroupStore {
  readonly records: GroupRecord[] = [];
  /** When set, the next append rejects with it. */
  failNext: Error | null = null;

  async append(records: readonly GroupRecord[]): Promise<void> {
    if (this.failNext) {
      const err = this.failNext;
      this.failNext = null;
      throw err;
    }
    for (const r of records) this.records.push({ key: Buffer.from(r.key), value: r.value === null ? null : Buffer.from(r.value) });
  }

  async replay(onRecord: (key: Buffer, value: Buffer | null) => void): Promise<void> {
    for (const r of this.records) onRecord(r.key, r.value);
  }
}
