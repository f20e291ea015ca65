/**
 * Reads Kafka's wire primitives from a buffer: fixed-width big-endian integers, zig-zag and
 * unsigned varints, classic and compact (flexible-version) strings, bytes and arrays, and
 * tagged-field sections. See "Protocol Primitive Types" in Kafka's protocol guide.
 *
 * Every read checks bounds and throws a {@link ProtocolDecodeError} on truncated input, so a
 * malformed request fails that request alone.
 */
export class ProtocolDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolDecodeError';
  }
}

/** Largest array or string length we accept from the wire, to bound allocations from bad input. */
export const wireLengthMax = 64 * 1024 * 1024;

export class Reader {
  offset: number;

  constructor(readonly buf: Buffer, offset = 0, readonly end = buf.length) {
    this.offset = offset;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  private need(n: number): void {
    if (n < 0 || this.offset + n > this.end) {
      throw new ProtocolDecodeError(`truncated input: need ${n} bytes at offset ${this.offset}, have ${this.end - this.offset}`);
    }
  }

  int8(): number {
    this.need(1);
    return this.buf.readInt8(this.offset++);
  }

  bool(): boolean {
    return this.int8() !== 0;
  }

  int16(): number {
    this.need(2);
    const v = this.buf.readInt16BE(this.offset);
    this.offset += 2;
    return v;
  }

  uint16(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.offset);
    this.offset += 2;
    return v;
  }

  int32(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  uint32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  int64(): bigint {
    this.need(8);
    const v = this.buf.readBigInt64BE(this.offset);
    this.offset += 8;
    return v;
  }

  float64(): number {
    this.need(8);
    const v = this.buf.readDoubleBE(this.offset);
    this.offset += 8;
    return v;
  }

  uuid(): Buffer {
    this.need(16);
    const v = this.buf.subarray(this.offset, this.offset + 16);
    this.offset += 16;
    return v;
  }

  /** Unsigned LEB128 varint, at most 5 bytes (32 bits). */
  uvarint(): number {
    let result = 0;
    let shift = 0;
    for (let i = 0; i < 5; i++) {
      this.need(1);
      const b = this.buf[this.offset++];
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result >>> 0;
      shift += 7;
    }
    throw new ProtocolDecodeError('varint longer than 5 bytes');
  }

  /** Zig-zag signed varint (32 bits). */
  varint(): number {
    const u = this.uvarint();
    return (u >>> 1) ^ -(u & 1);
  }

  /** Zig-zag signed varlong (64 bits), as a bigint. */
  varlong(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      this.need(1);
      const b = this.buf[this.offset++];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return (result >> 1n) ^ -(result & 1n);
      shift += 7n;
    }
    throw new ProtocolDecodeError('varlong longer than 10 bytes');
  }

  /** Zig-zag varlong that must fit a JavaScript number (timestamp deltas). */
  varlongNumber(): number {
    return Number(this.varlong());
  }

  private checkedLength(n: number, what: string): number {
    if (n > wireLengthMax) throw new ProtocolDecodeError(`${what} length ${n} exceeds ${wireLengthMax}`);
    return n;
  }

  raw(n: number): Buffer {
    this.need(n);
    const v = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return v;
  }

  string(): string {
    const n = this.int16();
    if (n < 0) throw new ProtocolDecodeError('null where a non-nullable string was expected');
    return this.raw(n).toString('utf8');
  }

  nullableString(): string | null {
    const n = this.int16();
    if (n < 0) return null;
    return this.raw(n).toString('utf8');
  }

  compactString(): string {
    const n = this.uvarint() - 1;
    if (n < 0) throw new ProtocolDecodeError('null where a non-nullable compact string was expected');
    return this.raw(this.checkedLength(n, 'string')).toString('utf8');
  }

  compactNullableString(): string | null {
    const n = this.uvarint() - 1;
    if (n < 0) return null;
    return this.raw(this.checkedLength(n, 'string')).toString('utf8');
  }

  bytes(): Buffer {
    const n = this.int32();
    if (n < 0) throw new ProtocolDecodeError('null where non-nullable bytes were expected');
    return this.raw(this.checkedLength(n, 'bytes'));
  }

  nullableBytes(): Buffer | null {
    const n = this.int32();
    if (n < 0) return null;
    return this.raw(this.checkedLength(n, 'bytes'));
  }

  compactBytes(): Buffer {
    const n = this.uvarint() - 1;
    if (n < 0) throw new ProtocolDecodeError('null where non-nullable compact bytes were expected');
    return this.raw(this.checkedLength(n, 'bytes'));
  }

  compactNullableBytes(): Buffer | null {
    const n = this.uvarint() - 1;
    if (n < 0) return null;
    return this.raw(this.checkedLength(n, 'bytes'));
  }

  array<T>(item: (r: Reader) => T): T[] {
    const n = this.int32();
    if (n < 0) throw new ProtocolDecodeError('null where a non-nullable array was expected');
    return this.items(this.checkedLength(n, 'array'), item);
  }

  nullableArray<T>(item: (r: Reader) => T): T[] | null {
    const n = this.int32();
    if (n < 0) return null;
    return this.items(this.checkedLength(n, 'array'), item);
  }

  compactArray<T>(item: (r: Reader) => T): T[] {
    const n = this.uvarint() - 1;
    if (n < 0) throw new ProtocolDecodeError('null where a non-nullable compact array was expected');
    return this.items(this.checkedLength(n, 'array'), item);
  }

  compactNullableArray<T>(item: (r: Reader) => T): T[] | null {
    const n = this.uvarint() - 1;
    if (n < 0) return null;
    return this.items(this.checkedLength(n, 'array'), item);
  }

  private items<T>(n: number, item: (r: Reader) => T): T[] {
    // Each element takes at least one byte, so a count larger than what is left is a lie.
    if (n > this.remaining) throw new ProtocolDecodeError(`array of ${n} elements in ${this.remaining} bytes`);
    const out = new Array<T>(n);
    for (let i = 0; i < n; i++) out[i] = item(this);
    return out;
  }

  /** Reads a tagged-field section; returns the raw fields by tag (unknown tags are kept, as the spec asks). */
  taggedFields(): Map<number, Buffer> | undefined {
    const count = this.uvarint();
    if (count === 0) return undefined;
    const fields = new Map<number, Buffer>();
    for (let i = 0; i < count; i++) {
      const tag = this.uvarint();
      const size = this.uvarint();
      fields.set(tag, this.raw(size));
    }
    return fields;
  }
}
