/**
 * Rows kept as encoded bytes in large chunks instead of one JS array of values per row: a stored
 * row costs its encoded size (ids and small integers 5 bytes, timestamps 9, text its UTF-8 length
 * plus 1, or 2 from 128 bytes on) and one number that points at it, not an array, a heap string per text value and
 * a heap number per non-small number (Nexmark q23's join keeps ~2M rows; as arrays its estimate
 * passed the 512 MiB state limit at 1M events). Rows are decoded when a match needs them.
 *
 * The same encoding (`RowWriter`/`readRow`) is what keyed operators write to their state
 * changelog, so a restore copies a row's bytes into the store without decoding it.
 *
 * Hand-written rather than a library: Arrow IPC and Avro encode whole batches or need a schema
 * per value, while a row here lives and dies alone and must be copied as a byte range.
 *
 * A row is its byte length and value count (LEB128 varints), then per value a tag: 0 NULL,
 * 1 int32 (4 bytes), 2 float64 (8), 3 UTF-8 text, 4 true, 5 false, 6 bytes, 7 bigint (its decimal
 * text), 8 anything else (ARRAY/MAP/ROW values) through v8.serialize; text and bytes are a varint
 * length and the bytes.
 */
import { deserialize, serialize } from 'node:v8';

/** Bytes of one chunk; a larger row gets a chunk of its own. */
const CHUNK_BYTES = 1 << 20;
/** A reference is chunk * REF_SPAN + offset (chunks are at most 2^24 offsets apart). */
const REF_SPAN = 2 ** 24;

/** An append-only growable byte buffer that encodes rows and the fields around them. */
export class ByteWriter {
  buf: Buffer;
  pos = 0;

  constructor(initial = 4096) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  ensure(n: number): void {
    // At least doubles, so appends stay amortized O(1).
    if (this.pos + n > this.buf.length) this.buf = Buffer.concat([this.buf.subarray(0, this.pos), Buffer.allocUnsafe(Math.max(n, this.buf.length))]);
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }

  f64(v: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(v, this.pos);
    this.pos += 8;
  }

  /** An unsigned integer below 2^32, 7 bits per byte (LEB128). */
  varint(v: number): void {
    this.ensure(5);
    while (v >= 0x80) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[this.pos++] = v;
  }

  bytes(b: Uint8Array): void {
    this.varint(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  text(s: string): void {
    if (s.length < 43) {
      // At most 126 bytes of UTF-8: the length fits one varint byte, written after the text.
      this.ensure(1 + 3 * s.length);
      const n = this.buf.write(s, this.pos + 1, 'utf8');
      this.buf[this.pos] = n;
      this.pos += 1 + n;
      return;
    }
    const n = Buffer.byteLength(s, 'utf8');
    this.varint(n);
    this.ensure(n);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  /** A scalar with its tag. */
  value(v: unknown): void {
    if (v === null || v === undefined) this.u8(0);
    else if (typeof v === 'number') {
      if ((v | 0) === v && !Object.is(v, -0)) {
        this.ensure(5);
        this.buf[this.pos] = 1;
        this.buf.writeInt32LE(v, this.pos + 1);
        this.pos += 5;
      } else {
        this.u8(2);
        this.f64(v);
      }
    } else if (typeof v === 'string') {
      this.u8(3);
      this.text(v);
    } else if (typeof v === 'boolean') this.u8(v ? 4 : 5);
    else if (v instanceof Uint8Array) {
      this.u8(6);
      this.bytes(v);
    } else if (typeof v === 'bigint') {
      this.u8(7);
      this.text(v.toString());
    } else {
      this.u8(8);
      this.bytes(serialize(v));
    }
  }

  /** A row: the byte length of the rest, its value count, then the values. */
  row(values: readonly unknown[]): void {
    const start = this.pos;
    this.ensure(1);
    this.pos++;
    this.varint(values.length);
    for (const v of values) this.value(v);
    const body = this.pos - start - 1;
    const extra = varintSize(body) - 1;
    if (extra > 0) {
      this.ensure(extra);
      this.buf.copyWithin(start + 1 + extra, start + 1, this.pos);
    }
    const end = this.pos + extra;
    this.pos = start;
    this.varint(body);
    this.pos = end;
  }

  /** Copies `n` encoded bytes from `src` at `at`. */
  raw(src: Buffer, at: number, n: number): void {
    this.ensure(n);
    src.copy(this.buf, this.pos, at, at + n);
    this.pos += n;
  }

  take(): Buffer {
    const out = Buffer.from(this.buf.subarray(0, this.pos));
    this.pos = 0;
    return out;
  }
}

function varintSize(v: number): number {
  return v < 2 ** 7 ? 1 : v < 2 ** 14 ? 2 : v < 2 ** 21 ? 3 : v < 2 ** 28 ? 4 : 5;
}

/** Reads what ByteWriter wrote, from `pos` on. */
export class ByteReader {
  pos: number;

  constructor(public buf: Buffer, pos = 0) {
    this.pos = pos;
  }

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  u8(): number {
    return this.buf[this.pos++];
  }

  f64(): number {
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  varint(): number {
    let v = 0;
    for (let scale = 1; ; scale *= 128) {
      const b = this.buf[this.pos++];
      v += (b & 0x7f) * scale;
      if (b < 0x80) return v;
    }
  }

  bytes(): Uint8Array {
    const n = this.varint();
    const out = new Uint8Array(n);
    out.set(this.buf.subarray(this.pos, this.pos + n));
    this.pos += n;
    return out;
  }

  text(): string {
    const n = this.varint();
    const s = this.buf.toString('utf8', this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  value(): unknown {
    const tag = this.buf[this.pos++];
    switch (tag) {
      case 0: return null;
      case 1: {
        const v = this.buf.readInt32LE(this.pos);
        this.pos += 4;
        return v;
      }
      case 2: return this.f64();
      case 3: return this.text();
      case 4: return true;
      case 5: return false;
      case 6: return this.bytes();
      case 7: return BigInt(this.text());
      case 8: {
        const n = this.varint();
        const v: unknown = deserialize(this.buf.subarray(this.pos, this.pos + n));
        this.pos += n;
        return v;
      }
      default: throw new RangeError(`unknown value tag ${tag} at byte ${this.pos - 1}`);
    }
  }

  /** A row's values (see ByteWriter.row). */
  row(): unknown[] {
    this.varint();
    const n = this.varint();
    const out = new Array<unknown>(n);
    for (let c = 0; c < n; c++) out[c] = this.value();
    return out;
  }

  /** The byte length of the row at `pos` (without moving). */
  rowLength(): number {
    const at = this.pos;
    const body = this.varint();
    const n = this.pos - at + body;
    this.pos = at;
    return n;
  }
}

/**
 * Encoded rows in chunks of 1 MiB, addressed by a number. Freed rows leave garbage that is
 * reclaimed by `compact`, which the owner calls (it alone knows every live reference) when
 * `shouldCompact` says the garbage outweighs the live rows.
 */
export class RowStore {
  private chunks: Buffer[] = [];
  private cur: Buffer | null = null;
  private pos = 0;
  private readonly scratch = new ByteWriter();
  private readonly reader = new ByteReader(Buffer.alloc(0));
  /** Bytes of live rows, and of freed ones not yet reclaimed. */
  liveBytes = 0;
  garbageBytes = 0;

  /** Stores a row; returns its reference. */
  add(values: readonly unknown[]): number {
    this.scratch.pos = 0;
    this.scratch.row(values);
    return this.addEncoded(this.scratch.buf, 0, this.scratch.pos);
  }

  /** Stores a row already encoded (`n` bytes of `src` at `at`, as ByteWriter.row wrote it). */
  addEncoded(src: Buffer, at: number, n: number): number {
    if (this.cur === null || this.pos + n > this.cur.length) {
      this.cur = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, n));
      this.chunks.push(this.cur);
      this.pos = 0;
    }
    src.copy(this.cur, this.pos, at, at + n);
    const ref = (this.chunks.length - 1) * REF_SPAN + this.pos;
    this.pos += n;
    this.liveBytes += n;
    return ref;
  }

  /** The row's values. */
  get(ref: number): unknown[] {
    const r = this.readerAt(ref);
    return r.row();
  }

  /** The row's encoded byte length. */
  length(ref: number): number {
    return this.readerAt(ref).rowLength();
  }

  /** Appends the row's encoded bytes to `w`. */
  copyTo(ref: number, w: ByteWriter): void {
    const r = this.readerAt(ref);
    w.raw(r.buf, r.pos, r.rowLength());
  }

  free(ref: number): number {
    const n = this.length(ref);
    this.liveBytes -= n;
    this.garbageBytes += n;
    return n;
  }

  /** Bytes the chunks hold (live rows, garbage and unused tails). */
  get allocatedBytes(): number {
    let n = 0;
    for (const c of this.chunks) n += c.length;
    return n;
  }

  shouldCompact(): boolean {
    return this.garbageBytes > 8 * CHUNK_BYTES && this.garbageBytes > this.liveBytes;
  }

  /**
   * Copies the live rows into fresh chunks: `each` is called with a function that moves one
   * reference and returns the new one, and must move every live reference exactly once.
   */
  compact(each: (move: (ref: number) => number) => void): void {
    const old = new RowStore();
    old.chunks = this.chunks;
    this.chunks = [];
    this.cur = null;
    this.pos = 0;
    this.liveBytes = 0;
    this.garbageBytes = 0;
    each((ref) => {
      const r = old.readerAt(ref);
      return this.addEncoded(r.buf, r.pos, r.rowLength());
    });
  }

  private readerAt(ref: number): ByteReader {
    const chunk = Math.floor(ref / REF_SPAN);
    const r = this.reader;
    r.buf = this.chunks[chunk];
    r.pos = ref - chunk * REF_SPAN;
    return this.reader;
  }
}
