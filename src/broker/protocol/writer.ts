/**
 * Writes Kafka's wire primitives into a growing buffer. The mirror of {@link Reader}.
 * Responses are built with one Writer and sent as one buffer (or a list of buffers when large
 * record sets are passed through without copying; see {@link Writer.appendChunk}).
 */
export class Writer {
  private buf: Buffer;
  private pos = 0;
  /** Finished chunks, when record data is attached by reference instead of copied. */
  private chunks: Buffer[] = [];
  private chunksBytes = 0;

  constructor(initialBytes = 256) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /** Forgets what was written, keeping the buffer for reuse. */
  reset(): this {
    this.pos = 0;
    this.chunks = [];
    this.chunksBytes = 0;
    return this;
  }

  /** Bytes written so far, across attached chunks. */
  get length(): number {
    return this.chunksBytes + this.pos;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  int8(v: number): this {
    this.ensure(1);
    this.buf.writeInt8(v, this.pos);
    this.pos += 1;
    return this;
  }

  bool(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }

  int16(v: number): this {
    this.ensure(2);
    this.buf.writeInt16BE(v, this.pos);
    this.pos += 2;
    return this;
  }

  int32(v: number): this {
    this.ensure(4);
    this.buf.writeInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }

  uint32(v: number): this {
    this.ensure(4);
    this.buf.writeUInt32BE(v >>> 0, this.pos);
    this.pos += 4;
    return this;
  }

  int64(v: bigint): this {
    this.ensure(8);
    this.buf.writeBigInt64BE(v, this.pos);
    this.pos += 8;
    return this;
  }

  float64(v: number): this {
    this.ensure(8);
    this.buf.writeDoubleBE(v, this.pos);
    this.pos += 8;
    return this;
  }

  uuid(v: Buffer | null): this {
    this.ensure(16);
    if (v) v.copy(this.buf, this.pos, 0, 16);
    else this.buf.fill(0, this.pos, this.pos + 16);
    this.pos += 16;
    return this;
  }

  uvarint(v: number): this {
    this.ensure(5);
    let u = v >>> 0;
    while (u >= 0x80) {
      this.buf[this.pos++] = (u & 0x7f) | 0x80;
      u >>>= 7;
    }
    this.buf[this.pos++] = u;
    return this;
  }

  varint(v: number): this {
    return this.uvarint(((v << 1) ^ (v >> 31)) >>> 0);
  }

  varlong(v: bigint): this {
    this.ensure(10);
    let u = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
    while (u >= 0x80n) {
      this.buf[this.pos++] = Number(u & 0x7fn) | 0x80;
      u >>= 7n;
    }
    this.buf[this.pos++] = Number(u);
    return this;
  }

  raw(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }

  string(v: string): this {
    const n = Buffer.byteLength(v);
    this.int16(n);
    this.ensure(n);
    this.pos += this.buf.write(v, this.pos, 'utf8');
    return this;
  }

  nullableString(v: string | null | undefined): this {
    if (v == null) return this.int16(-1);
    return this.string(v);
  }

  compactString(v: string): this {
    const n = Buffer.byteLength(v);
    this.uvarint(n + 1);
    this.ensure(n);
    this.pos += this.buf.write(v, this.pos, 'utf8');
    return this;
  }

  compactNullableString(v: string | null | undefined): this {
    if (v == null) return this.uvarint(0);
    return this.compactString(v);
  }

  bytes(v: Uint8Array): this {
    this.int32(v.length);
    return this.raw(v);
  }

  nullableBytes(v: Uint8Array | null | undefined): this {
    if (v == null) return this.int32(-1);
    return this.bytes(v);
  }

  compactBytes(v: Uint8Array): this {
    this.uvarint(v.length + 1);
    return this.raw(v);
  }

  compactNullableBytes(v: Uint8Array | null | undefined): this {
    if (v == null) return this.uvarint(0);
    return this.compactBytes(v);
  }

  array<T>(items: readonly T[], item: (w: Writer, v: T) => void): this {
    this.int32(items.length);
    for (const v of items) item(this, v);
    return this;
  }

  nullableArray<T>(items: readonly T[] | null | undefined, item: (w: Writer, v: T) => void): this {
    if (items == null) return this.int32(-1);
    return this.array(items, item);
  }

  compactArray<T>(items: readonly T[], item: (w: Writer, v: T) => void): this {
    this.uvarint(items.length + 1);
    for (const v of items) item(this, v);
    return this;
  }

  compactNullableArray<T>(items: readonly T[] | null | undefined, item: (w: Writer, v: T) => void): this {
    if (items == null) return this.uvarint(0);
    return this.compactArray(items, item);
  }

  /** An empty tagged-field section, or the given fields in ascending tag order. */
  taggedFields(fields?: ReadonlyMap<number, Uint8Array>): this {
    if (!fields || fields.size === 0) return this.uvarint(0);
    const tags = [...fields.keys()].sort((a, b) => a - b);
    this.uvarint(tags.length);
    for (const tag of tags) {
      const v = fields.get(tag)!;
      this.uvarint(tag).uvarint(v.length).raw(v);
    }
    return this;
  }

  /**
   * Attaches a buffer by reference (record data read from a segment), so large fetch responses
   * are not copied into the writer's own buffer.
   */
  appendChunk(b: Buffer): this {
    if (b.length < 4096) return this.raw(b);
    this.flushOwn();
    this.chunks.push(b);
    this.chunksBytes += b.length;
    return this;
  }

  private flushOwn(): void {
    if (this.pos === 0) return;
    const own = Buffer.from(this.buf.subarray(0, this.pos));
    this.chunks.push(own);
    this.chunksBytes += own.length;
    this.pos = 0;
  }

  /** The written bytes as one buffer. */
  toBuffer(): Buffer {
    if (this.chunks.length === 0) return this.buf.subarray(0, this.pos);
    return Buffer.concat([...this.chunks, this.buf.subarray(0, this.pos)]);
  }

  /** The written bytes as a list of buffers, for vectored socket writes. */
  toChunks(): Buffer[] {
    if (this.chunks.length === 0) return [this.buf.subarray(0, this.pos)];
    return [...this.chunks, this.buf.subarray(0, this.pos)];
  }
}
