/**
 * Incremental checkpoints for operators with large keyed state (ARCHITECTURE.md principle 5:
 * runtimes keep state in changelog topics, as Kafka Streams does).
 *
 * An operator that offers a `StateChangelog` is checkpointed in two parts: a small `meta`
 * snapshot stored whole with every checkpoint (watermark, counters, id counters), and records
 * appended to a log: at each checkpoint only what changed since the previous one (a full
 * generation when the runtime starts a new log). Restore is `restoreMeta` then `applyChange` for
 * every record of the log up to the position the checkpoint names, in order.
 *
 * The runtime (src/runtime/state-changelog.ts) decides when to write a full generation and where
 * the records go; operators only produce and apply them. Without a runtime (tests, EXPLAIN) the
 * operator's ordinary `snapshotState` still gives a whole snapshot, and tracking changes starts
 * only at the first `takeChanges`, so nothing accumulates when no changelog is in use.
 */

/** Bytes one changelog record holds at most (records are Kafka records: under max.message.bytes). */
export const CHANGELOG_RECORD_BYTES = 256 * 1024;

export interface StateChangelog {
  /** The part of the state not in the changelog, written whole with every checkpoint. */
  snapshotMeta(): Uint8Array;
  /** Restores the meta snapshot; `applyChange` follows for each record of the log. */
  restoreMeta(bytes: Uint8Array): void;
  /**
   * The records of the changes since the previous call (`full`: the whole state instead, the
   * start of a new log), each at most CHANGELOG_RECORD_BYTES but for a single larger row. From
   * here on changes are tracked against this point. A full generation reads the live state as
   * it is iterated: iterate it before the operator processes its next message.
   */
  takeChanges(full: boolean): Iterable<Buffer>;
  applyChange(record: Buffer): void;
  /** About the bytes a full generation would write (the runtime compares its log with it). */
  liveBytes(): number;
}
