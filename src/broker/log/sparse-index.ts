/**
 * Kafka's sparse segment indexes, kept in memory and appended to their files:
 *
 *   .index      entries of 8 bytes:  relativeOffset int32, position int32
 *   .timeindex  entries of 12 bytes: timestamp int64, relativeOffset int32
 *
 * Keys are strictly increasing, so lookups are binary searches. New entries are buffered and
 * written to the file in one call by {@link SparseIndex.writePending} (at flush, roll and close);
 * an index that lags its log after a crash is repaired by recovery, never trusted blindly.
 */
import assert from 'node:assert';
import fs from 'node:fs';

const initialCapacityEntries = 64;

abstract class SparseIndex {
  protected buf: Buffer;
  protected count = 0;
  private persisted = 0;
  private fd: number | null = null;
  protected loaded: boolean;

  constructor(
    readonly file: string,
    readonly entryBytes: number,
    readonly maxEntries: number,
    load: boolean,
  ) {
    this.buf = Buffer.alloc(0);
    this.loaded = false;
    if (load) this.ensureLoaded();
  }

  get entries(): number {
    this.ensureLoaded();
    return this.count;
  }

  get isFull(): boolean {
    return this.entries >= this.maxEntries;
  }

  /** Reads the file (whole entries only, at most maxEntries) on first use. */
  ensureLoaded(): void {
    if (this.loaded) return;
    let data: Buffer;
    try {
      data = fs.readFileSync(this.file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      data = Buffer.alloc(0);
    }
    const n = Math.min(Math.floor(data.length / this.entryBytes), this.maxEntries);
    this.buf = Buffer.allocUnsafe(Math.max(initialCapacityEntries, n) * this.entryBytes);
    data.copy(this.buf, 0, 0, n * this.entryBytes);
    this.count = n;
    this.persisted = n;
    this.loaded = true;
    if (n * this.entryBytes !== data.length) this.truncateEntries(n);
  }

  /** Drops the in-memory copy of a fully persisted index (closed segments, to bound memory). */
  unload(): void {
    if (!this.loaded || this.persisted !== this.count) return;
    this.buf = Buffer.alloc(0);
    this.loaded = false;
  }

  get isLoaded(): boolean {
    return this.loaded;
  }

  protected slot(): number {
    this.ensureLoaded();
    assert(this.count < this.maxEntries, 'index is full');
    if ((this.count + 1) * this.entryBytes > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.min(this.maxEntries, Math.max(initialCapacityEntries, this.count * 2)) * this.entryBytes);
      this.buf.copy(next, 0, 0, this.count * this.entryBytes);
      this.buf = next;
    }
    return this.count++ * this.entryBytes;
  }

  /** Index of the last entry whose key is <= `key` (strictly < when `strict`), or -1. */
  protected floor(key: number | bigint, strict: boolean): number {
    this.ensureLoaded();
    let lo = 0;
    let hi = this.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = this.keyAt(mid);
      if (k < key || (!strict && k === key)) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  protected abstract keyAt(i: number): number | bigint;

  /** Keeps the first `n` entries, in memory and in the file. */
  truncateEntries(n: number): void {
    this.ensureLoaded();
    assert(n >= 0 && n <= this.count);
    this.count = n;
    this.persisted = Math.min(this.persisted, n);
    if (fs.existsSync(this.file)) fs.truncateSync(this.file, this.persisted * this.entryBytes);
  }

  /** Writes buffered entries to the file in one call. */
  writePending(): void {
    if (!this.loaded || this.persisted === this.count) return;
    if (this.fd === null) this.fd = fs.openSync(this.file, fs.existsSync(this.file) ? 'r+' : 'w+');
    const from = this.persisted * this.entryBytes;
    const to = this.count * this.entryBytes;
    let done = 0;
    while (done < to - from) done += fs.writeSync(this.fd, this.buf, from + done, to - from - done, from + done);
    this.persisted = this.count;
  }

  /** Writes pending entries and fsyncs the file (at roll and close). */
  sync(): void {
    this.ensureLoaded();
    this.writePending();
    if (this.fd === null) this.fd = fs.openSync(this.file, fs.existsSync(this.file) ? 'r+' : 'w+');
    fs.fsyncSync(this.fd);
  }

  /** {@link sync} with the fsync off the event loop (the entries are written first, synchronously). */
  async syncAsync(): Promise<void> {
    this.ensureLoaded();
    this.writePending();
    if (this.fd === null) this.fd = fs.openSync(this.file, fs.existsSync(this.file) ? 'r+' : 'w+');
    const fd = this.fd;
    await new Promise<void>((resolve, reject) => fs.fsync(fd, (err) => (err ? reject(err) : resolve())));
  }

  closeFile(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }

  /** Rebuilds from scratch: drops every entry and the file contents. */
  reset(): void {
    this.buf = Buffer.allocUnsafe(initialCapacityEntries * this.entryBytes);
    this.count = 0;
    this.persisted = 0;
    this.loaded = true;
    if (fs.existsSync(this.file)) fs.truncateSync(this.file, 0);
  }
}

/** Relative offset -> file position of the batch with that last offset (Kafka's `.index`). */
export class OffsetIndex extends SparseIndex {
  static readonly entryBytes = 8;

  constructor(file: string, indexBytesMax: number, load: boolean) {
    super(file, OffsetIndex.entryBytes, Math.floor(indexBytesMax / OffsetIndex.entryBytes), load);
  }

  protected keyAt(i: number): number {
    return this.buf.readInt32BE(i * 8);
  }

  relativeOffsetAt(i: number): number {
    this.ensureLoaded();
    return this.buf.readInt32BE(i * 8);
  }

  positionAt(i: number): number {
    this.ensureLoaded();
    return this.buf.readInt32BE(i * 8 + 4);
  }

  append(relativeOffset: number, position: number): void {
    const at = this.slot();
    this.buf.writeInt32BE(relativeOffset, at);
    this.buf.writeInt32BE(position, at + 4);
  }

  /** File position from which to scan for `relativeOffset`: the last entry strictly below it. */
  lookupPosition(relativeOffset: number): number {
    const i = this.floor(relativeOffset, true);
    return i < 0 ? 0 : this.positionAt(i);
  }
}

/** Timestamp -> relative offset, timestamps increasing (Kafka's `.timeindex`). */
export class TimeIndex extends SparseIndex {
  static readonly entryBytes = 12;

  constructor(file: string, indexBytesMax: number, load: boolean) {
    super(file, TimeIndex.entryBytes, Math.floor(indexBytesMax / TimeIndex.entryBytes), load);
  }

  protected keyAt(i: number): bigint {
    return this.buf.readBigInt64BE(i * 12);
  }

  timestampAt(i: number): bigint {
    this.ensureLoaded();
    return this.buf.readBigInt64BE(i * 12);
  }

  relativeOffsetAt(i: number): number {
    this.ensureLoaded();
    return this.buf.readInt32BE(i * 12 + 8);
  }

  /** The newest entry's timestamp, or -1n when empty. Reads only the last entry when not loaded. */
  get lastTimestamp(): bigint {
    if (!this.loaded) return lastTimestampInFile(this.file, this.maxEntries);
    return this.count === 0 ? -1n : this.timestampAt(this.count - 1);
  }

  /** Adds an entry when `timestamp` is newer than the last one (the index stays sorted). */
  maybeAppend(timestamp: bigint, relativeOffset: number): void {
    if (this.isFull || (this.count > 0 && timestamp <= this.timestampAt(this.count - 1))) return;
    const at = this.slot();
    this.buf.writeBigInt64BE(timestamp, at);
    this.buf.writeInt32BE(relativeOffset, at + 8);
  }

  /** Relative offset of the last entry with a timestamp strictly below `timestamp`, or -1. */
  lookupBefore(timestamp: bigint): number {
    const i = this.floor(timestamp, true);
    return i < 0 ? -1 : this.relativeOffsetAt(i);
  }
}

function lastTimestampInFile(file: string, maxEntries: number): bigint {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return -1n;
    throw e;
  }
  try {
    const entries = Math.min(maxEntries, Math.floor(fs.fstatSync(fd).size / TimeIndex.entryBytes));
    if (entries === 0) return -1n;
    const buf = Buffer.allocUnsafe(8);
    if (fs.readSync(fd, buf, 0, 8, (entries - 1) * TimeIndex.entryBytes) !== 8) return -1n;
    return buf.readBigInt64BE(0);
  } finally {
    fs.closeSync(fd);
  }
}
