/**
 * What the group coordinator needs from durable storage: an append-only key/value changelog,
 * in practice the compacted internal topic `__consumer_offsets` (the broker provides it).
 * Records and their encodings are described in `records.ts`; a record with a null value is a
 * tombstone that deletes its key, and on replay the last record for a key wins.
 */
export interface GroupRecord {
  readonly key: Buffer;
  readonly value: Buffer | null;
}

export interface GroupStore {
  /**
   * Appends records in order. The records of one call all belong to one group. Durable when the
   * promise resolves; a rejection means none of them may be assumed written.
   */
  append(records: readonly GroupRecord[]): Promise<void>;
  /** Calls `onRecord` for every record from the start of the log, in append order. */
  replay(onRecord: (key: Buffer, value: Buffer | null) => void): Promise<void>;
}
