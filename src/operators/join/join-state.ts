/**
 * One input's rows of a regular join, by join key (and, for upsert inputs, by unique key), kept
 * compact in a RowStore, with the changes since the last checkpoint tracked as rows added and
 * removed per key (never a hot key's whole list) for the state changelog.
 *
 * Changelog records are a sequence of operations:
 *   1 ADD      side, id, matches, key, unique key (or NULL), the row's encoded bytes
 *   2 DEL      side, id, key, unique key (or NULL)
 *   3 MATCHES  side, id, matches, key            (only for outer sides, whose counts matter)
 * Ids are per side and increase, so each key's list is in id order and found by binary search.
 */
import type { GroupKey } from '../group-key.ts';
import { CHANGELOG_RECORD_BYTES } from '../state/changelog.ts';
import { ByteReader, ByteWriter, RowStore } from '../state/row-store.ts';
import { sameRow } from './join-rows.ts';

/** One stored row (a RowStore reference; -1 once removed) and how many other-side rows it joins with. */
export interface Entry {
  ref: number;
  matches: number;
  readonly id: number;
  /** Its unique key (upsert inputs), else null. */
  readonly unique: GroupKey | null;
}

/** Estimated bytes of an entry beside its row (object, list slot), and of a join key (Map slot, list). */
export const ENTRY_BYTES = 48;
export const KEY_BYTES = 96;

const ADD = 1, DEL = 2, MATCHES = 3;

export class SideState {
  readonly byKey = new Map<GroupKey, Entry[]>();
  readonly byUnique = new Map<GroupKey, { key: GroupKey; entry: Entry }>();
  readonly store = new RowStore();
  rows = 0;
  nextId = 0;
  /** Changes are tracked once a changelog is in use (the first takeChanges or a restore from one). */
  private tracking = false;
  /** Ids below this were written to the changelog. */
  private loggedId = 0;
  private added: { key: GroupKey; entry: Entry }[] = [];
  private deleted: { key: GroupKey; entry: Entry }[] = [];
  private dirty = new Set<Entry>();

  /** `side`: 0 or 1, written in records; `trackMatches`: this side is outer (its match counts are state). */
  constructor(readonly side: number, private readonly trackMatches: boolean) {}

  /** Estimated bytes of the state. */
  bytes(): number {
    return this.store.liveBytes + this.rows * ENTRY_BYTES + this.byKey.size * KEY_BYTES;
  }

  /** Stores a row; returns the bytes the state grew by. */
  add(key: GroupKey, values: readonly unknown[], matches: number, unique: GroupKey | null): number {
    const before = this.bytes();
    const entry: Entry = { ref: this.store.add(values), matches, id: this.nextId++, unique };
    this.insert(key, entry);
    if (this.tracking) this.added.push({ key, entry });
    return this.bytes() - before;
  }

  private insert(key: GroupKey, entry: Entry): void {
    const list = this.byKey.get(key);
    if (list === undefined) this.byKey.set(key, [entry]);
    else list.push(entry);
    if (entry.unique !== null) this.byUnique.set(entry.unique, { key, entry });
    this.rows++;
  }

  row(e: Entry): unknown[] {
    return this.store.get(e.ref);
  }

  /** Removes `entry` (by identity) or the first row equal to `row`; returns what it removed. */
  remove(key: GroupKey, row: readonly unknown[], entry: Entry | null): Entry | null {
    const list = this.byKey.get(key);
    if (list === undefined) return null;
    const at = entry !== null ? list.indexOf(entry) : list.findIndex((e) => sameRow(this.row(e), row));
    if (at < 0) return null;
    const [removed] = list.splice(at, 1);
    if (list.length === 0) this.byKey.delete(key);
    this.drop(key, removed);
    this.maybeCompact();
    return removed;
  }

  /** Drops every row of `key` (state TTL). */
  removeKey(key: GroupKey): void {
    for (const e of this.byKey.get(key) ?? []) this.drop(key, e);
    this.byKey.delete(key);
    this.maybeCompact();
  }

  private drop(key: GroupKey, e: Entry, log = true): void {
    this.store.free(e.ref);
    e.ref = -1;
    this.rows--;
    if (e.unique !== null && this.byUnique.get(e.unique)?.entry === e) this.byUnique.delete(e.unique);
    if (log && this.tracking && e.id < this.loggedId) this.deleted.push({ key, entry: e });
  }

  /** `e.matches` changed. */
  touched(e: Entry): void {
    if (this.tracking && this.trackMatches && e.id < this.loggedId) this.dirty.add(e);
  }

  private maybeCompact(): void {
    if (!this.store.shouldCompact()) return;
    this.store.compact((move) => {
      for (const list of this.byKey.values()) for (const e of list) e.ref = move(e.ref);
    });
  }

  /** Records of every row (a full generation), read lazily; tracking untouched. */
  *all(): Generator<Buffer> {
    const w = new ByteWriter(CHANGELOG_RECORD_BYTES + 4096);
    for (const [key, list] of this.byKey) {
      for (const e of list) {
        this.writeAdd(w, key, e);
        if (w.pos >= CHANGELOG_RECORD_BYTES) yield w.take();
      }
    }
    if (w.pos > 0) yield w.take();
  }

  /** The changes since the last call (or everything when `full`), and tracking from here. */
  takeChanges(full: boolean): Iterable<Buffer> {
    const added = this.added, deleted = this.deleted, dirty = this.dirty;
    this.added = [];
    this.deleted = [];
    this.dirty = new Set();
    const wasTracking = this.tracking;
    this.tracking = true;
    this.loggedId = this.nextId;
    if (full || !wasTracking) return this.all();
    return this.changes(added, deleted, dirty);
  }

  private *changes(added: readonly { key: GroupKey; entry: Entry }[], deleted: readonly { key: GroupKey; entry: Entry }[], dirty: ReadonlySet<Entry>): Generator<Buffer> {
    const w = new ByteWriter(CHANGELOG_RECORD_BYTES + 4096);
    const flush = function* (): Generator<Buffer> {
      if (w.pos >= CHANGELOG_RECORD_BYTES) yield w.take();
    };
    for (const d of deleted) {
      w.u8(DEL); w.u8(this.side); w.f64(d.entry.id); w.value(d.key); w.value(d.entry.unique);
      yield* flush();
    }
    for (const a of added) {
      if (a.entry.ref < 0) continue;
      this.writeAdd(w, a.key, a.entry);
      yield* flush();
    }
    if (dirty.size > 0) {
      // Dirty entries do not know their key: find them through the keys' lists.
      for (const [key, list] of this.byKey) {
        for (const e of list) {
          if (!dirty.has(e)) continue;
          w.u8(MATCHES); w.u8(this.side); w.f64(e.id); w.varint(e.matches); w.value(key);
          yield* flush();
        }
      }
    }
    if (w.pos > 0) yield w.take();
  }

  private writeAdd(w: ByteWriter, key: GroupKey, e: Entry): void {
    w.u8(ADD); w.u8(this.side); w.f64(e.id); w.varint(e.matches); w.value(key); w.value(e.unique);
    this.store.copyTo(e.ref, w);
  }

  /** Starts tracking after a restore from the changelog (ids below `nextId` are logged). */
  restored(nextId: number): void {
    this.nextId = nextId;
    this.loggedId = nextId;
    this.tracking = true;
  }

  /** Finds the entry with `id` in `key`'s list (lists are in id order). */
  private find(key: GroupKey, id: number): { list: Entry[]; at: number } | null {
    const list = this.byKey.get(key);
    if (list === undefined) return null;
    let lo = 0, hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = list[mid].id;
      if (v === id) return { list, at: mid };
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return null;
  }

  /** Applies one operation at `r` (after its op and side bytes); false for an unknown op. */
  apply(op: number, r: ByteReader): void {
    const id = r.f64();
    if (op === ADD) {
      const matches = r.varint();
      const key = r.value() as GroupKey;
      const unique = r.value() as GroupKey | null;
      const n = r.rowLength();
      const entry: Entry = { ref: this.store.addEncoded(r.buf, r.pos, n), matches, id, unique };
      r.pos += n;
      this.insert(key, entry);
      return;
    }
    if (op === MATCHES) {
      const matches = r.varint();
      const found = this.find(r.value() as GroupKey, id);
      if (found === null) throw new RangeError(`changelog sets the matches of row ${id}, which the state does not hold`);
      found.list[found.at].matches = matches;
      return;
    }
    if (op === DEL) {
      const key = r.value() as GroupKey;
      r.value();
      const found = this.find(key, id);
      if (found === null) throw new RangeError(`changelog removes row ${id}, which the state does not hold`);
      const [e] = found.list.splice(found.at, 1);
      if (found.list.length === 0) this.byKey.delete(key);
      this.drop(key, e, false);
      this.maybeCompact();
      return;
    }
    throw new RangeError(`unknown changelog operation ${op}`);
  }
}

/** Applies a changelog record to the two sides. */
export function applyJoinChanges(record: Buffer, sides: readonly [SideState, SideState]): void {
  const r = new ByteReader(record);
  while (!r.done) {
    const op = r.u8();
    const side = r.u8();
    if (side !== 0 && side !== 1) throw new RangeError(`changelog names side ${side}`);
    sides[side].apply(op, r);
  }
}
