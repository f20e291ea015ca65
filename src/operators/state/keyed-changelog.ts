/**
 * The state changelog of an operator whose state is one entry per key (GroupAggregateExec's
 * groups, ChangelogNormalizeExec's rows): at each checkpoint the entries of the keys written since
 * the previous one, and the keys removed, rather than the whole state (see changelog.ts).
 *
 * Records hold operations, each an op byte and a length-prefixed payload in the snapshot codec:
 * DEL (the key) and PUT (the whole entry, as the operator encodes it). A checkpoint's records put
 * its deletes first, so a key removed and written again in one interval ends as written. Entries
 * are encoded when the changes are taken, from the live state: a key written many times between
 * two checkpoints is written to the log once.
 *
 * @example
 *   const log = new KeyedStateLog();
 *   log.written(key);              // after every change of the key's entry
 *   log.removed(key);              // when the entry is dropped
 *   log.take(full, () => state.keys(), (k) => encode(state.get(k)));
 *   log.apply(record, (entry) => put(entry), (key) => drop(key));   // restoring
 */
import type { GroupKey } from '../group-key.ts';
import { CHANGELOG_RECORD_BYTES } from './changelog.ts';
import { decodeState, encodeState } from './codec.ts';
import { ByteReader, ByteWriter } from './row-store.ts';

const PUT = 1, DEL = 2;

export class KeyedStateLog {
  /** Changes are tracked from the first `take` on (no runtime log: nothing accumulates). */
  private tracking = false;
  private changed = new Set<GroupKey>();
  private gone = new Set<GroupKey>();

  /** The entry of `key` was created or changed. */
  written(key: GroupKey): void {
    if (this.tracking) this.changed.add(key);
  }

  /** The entry of `key` was dropped. */
  removed(key: GroupKey): void {
    if (!this.tracking) return;
    this.changed.delete(key);
    this.gone.add(key);
  }

  /** Starts tracking without a full generation (after a restore from the log). */
  track(): void {
    this.tracking = true;
  }

  /**
   * The records of the changes since the last call, or of every entry when `full` (or on the
   * first call); `encode` gives a live key's entry, null when the key has none any more.
   */
  take(full: boolean, keys: () => Iterable<GroupKey>, encode: (key: GroupKey) => unknown): Iterable<Buffer> {
    const changed = this.changed, gone = this.gone;
    this.changed = new Set();
    this.gone = new Set();
    const first = !this.tracking;
    this.tracking = true;
    return full || first ? records([], keys(), encode) : records(gone, changed, encode);
  }

  /**
   * Applies one record (a restore): `put` for each entry written, `drop` for each key removed, in
   * order. What they change is what the log already holds, so it is not tracked as a change.
   */
  apply(record: Buffer, put: (entry: unknown) => void, drop: (key: GroupKey) => void): void {
    const tracking = this.tracking;
    this.tracking = false;
    try {
      const r = new ByteReader(record);
      while (!r.done) {
        const op = r.u8();
        const payload = decodeState(r.bytes());
        if (op === PUT) put(payload);
        else if (op === DEL) drop(payload as GroupKey);
        else throw new RangeError(`unknown keyed changelog operation ${op}`);
      }
    } finally {
      this.tracking = tracking;
    }
  }
}

function* records(gone: Iterable<GroupKey>, written: Iterable<GroupKey>, encode: (key: GroupKey) => unknown): Generator<Buffer> {
  const w = new ByteWriter(CHANGELOG_RECORD_BYTES + 4096);
  for (const key of gone) {
    w.u8(DEL);
    w.bytes(encodeState(key));
    if (w.pos >= CHANGELOG_RECORD_BYTES) yield w.take();
  }
  for (const key of written) {
    const entry = encode(key);
    if (entry === null) continue;
    w.u8(PUT);
    w.bytes(encodeState(entry));
    if (w.pos >= CHANGELOG_RECORD_BYTES) yield w.take();
  }
  if (w.pos > 0) yield w.take();
}
