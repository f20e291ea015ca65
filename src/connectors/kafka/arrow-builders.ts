/**
 * Growable Arrow column builders that decoders append to without per-value objects: typed arrays
 * for fixed-width values, one byte buffer plus offsets for strings and binaries, children for
 * ROW, ARRAY and MAP. `finish()` hands the arrays to an Arrow `Data` and starts a fresh column.
 *
 * Values arrive in Arrow's own layout (BIGINT and timestamps as two int32 words, DECIMAL as 16
 * little-endian bytes, strings as UTF-8 bytes copied straight from the record), so building a
 * batch costs one pass over the bytes. `appendJs` is the slow path for JSON and Protobuf values.
 *
 * @example
 *   const b = createBuilder(T.bigint());
 *   b.i64(42); b.nul();
 *   const data = b.finish(); // Int64 Data, length 2, one null
 */
import { makeData } from 'apache-arrow';
import type { Data, DataType } from 'apache-arrow';
import { toArrowType } from '../../operators/index.ts';
import type { SqlType } from '../../operators/index.ts';

/** Longest column a builder grows to, in values (a batch is far smaller; this bounds a bad record). */
export const BUILDER_VALUES_MAX = 1 << 26;
/** Largest string/binary payload one column holds, in bytes. */
export const BUILDER_BYTES_MAX = 1 << 30;
const initialValues = 1024;

export abstract class ColumnBuilder {
  length = 0;
  nullCount = 0;
  protected validity: Uint8Array;
  protected cap: number;
  readonly arrowType: DataType;

  constructor(readonly type: SqlType, capacity = initialValues) {
    this.cap = Math.max(capacity, 16);
    this.validity = new Uint8Array((this.cap + 7) >> 3);
    this.arrowType = toArrowType(type);
  }

  /** Appends a NULL (children of ROW/ARRAY/MAP get a placeholder slot where Arrow needs one). */
  abstract nul(): void;
  /** Appends a JS value (NULL for null/undefined): the slow path for JSON and Protobuf records. */
  abstract appendJs(v: unknown): void;
  abstract finish(): Data;

  protected markValid(): void {
    const i = this.length;
    this.validity[i >> 3] |= 1 << (i & 7);
  }

  protected growTo(min: number): void {
    let cap = this.cap * 2;
    while (cap < min) cap *= 2;
    if (cap > BUILDER_VALUES_MAX) throw new RangeError(`column of ${this.cap} values reached builderValuesMax (${BUILDER_VALUES_MAX})`);
    this.resize(cap);
    const v = new Uint8Array((cap + 7) >> 3);
    v.set(this.validity);
    this.validity = v;
    this.cap = cap;
  }

  protected abstract resize(cap: number): void;

  protected takeValidity(): Uint8Array | undefined {
    return this.nullCount === 0 ? undefined : this.validity.subarray(0, (this.length + 7) >> 3);
  }

  protected resetBase(): void {
    this.length = 0;
    this.nullCount = 0;
    this.validity = new Uint8Array((this.cap + 7) >> 3);
  }
}

type NumArray = Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** TINYINT, SMALLINT, INT, DATE, TIME (ms), FLOAT, DOUBLE. */
export class NumberBuilder extends ColumnBuilder {
  values: NumArray;
  private readonly divisor: number;
  constructor(type: SqlType, private readonly ctor: new (n: number) => NumArray, capacity?: number) {
    super(type, capacity);
    this.values = new ctor(this.cap);
    this.divisor = 1;
  }
  num(v: number): void {
    if (this.length === this.cap) this.growTo(this.length + 1);
    this.markValid();
    this.values[this.length++] = v;
  }
  nul(): void {
    if (this.length === this.cap) this.growTo(this.length + 1);
    this.nullCount++;
    this.values[this.length++] = 0;
  }
  appendJs(v: unknown): void {
    if (v === null || v === undefined) return this.nul();
    if (this.type.kind === 'DATE') return this.num(typeof v === 'string' ? Math.floor(Date.parse(`${v}T00:00:00Z`) / 86_400_000) : v instanceof Date ? Math.floor(v.getTime() / 86_400_000) : Number(v));
    if (this.type.kind === 'TIME' && typeof v === 'string') return this.num(timeOfDayMs(v));
    this.num(typeof v === 'boolean' ? Number(v) : Number(v) / this.divisor);
  }
  protected resize(cap: number): void {
    const next = new this.ctor(cap);
    next.set(this.values);
    this.values = next;
  }
  finish(): Data {
    const d = makeData({ type: this.arrowType, length: this.length, nullCount: this.nullCount, nullBitmap: this.takeValidity(), data: this.values.subarray(0, this.length) } as never) as Data;
    this.resetBase();
    this.values = new this.ctor(this.cap);
    return d;
  }
}

/** BIGINT and TIMESTAMP*: two int32 words per value (Arrow's Int64 layout), from exact JS numbers. */
export class Int64Builder extends ColumnBuilder {
  words: Int32Array;
  constructor(type: SqlType, capacity?: number) {
    super(type, capacity);
    this.words = new Int32Array(this.cap * 2);
  }
  i64(v: number): void {
    if (this.length === this.cap) this.growTo(this.length + 1);
    this.markValid();
    const i = this.length++ * 2;
    if (v >= 0 && v < 4294967296) {
      this.words[i] = v | 0;
      this.words[i + 1] = 0;
    } else {
      const hi = Math.floor(v / 4294967296);
      this.words[i] = (v - hi * 4294967296) | 0;
      this.words[i + 1] = hi;
    }
  }
  nul(): void {
    if (this.length === this.cap) this.growTo(this.length + 1);
    this.nullCount++;
    const i = this.length++ * 2;
    this.words[i] = 0;
    this.words[i + 1] = 0;
  }
  appendJs(v: unknown): void {
    if (v === null || v === undefined) return this.nul();
    const k = this.type.kind;
    if ((k === 'TIMESTAMP' || k === 'TIMESTAMP_LTZ')) {
      // google.protobuf.Timestamp decodes to { seconds, nanos }
      const ts = typeof v === 'object' && v !== null && 'seconds' in v ? v as { seconds: number | string; nanos?: number } : null;
      const ms = ts !== null ? Number(ts.seconds) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6) : v instanceof Date ? v.getTime() : typeof v === 'string' && !/^-?\d+$/.test(v) ? Date.parse(k === 'TIMESTAMP' && !/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? `${v}Z` : v) : Number(v);
      const p = (this.type as { precision: number }).precision;
      return this.i64(p <= 3 ? ms : p <= 6 ? ms * 1000 : ms * 1_000_000);
    }
    this.i64(typeof v === 'bigint' ? Number(v) : Number(v));
  }
  protected resize(cap: number): void {
    const next = new Int32Array(cap * 2);
    next.set(this.words);
    this.words = next;
  }
  /** The value at row `i` as a JS number (watermark tracking reads event times back). */
  at(i: number): number {
    return this.words[2 * i + 1] * 4294967296 + (this.words[2 * i] >>> 0);
  }
  finish(): Data {
    const data = new BigInt64Array(this.words.buffer, 0, this.length);
    const d = makeData({ type: this.arrowType, length: this.length, nullCount: this.nullCount, nullBitmap: this.takeValidity(), data } as never) as Data;
    this.resetBase();
    this.words = new Int32Array(this.cap * 2);
    return d;
  }
}

export class BoolBuilder extends ColumnBuilder {
  bits: Uint8Array;
  constructor(type: SqlType, capacity?: number) {
    super(type, capacity);
    this.bits = new Uint8Array((this.cap + 7) >> 3);
  }
  bool(v: boolean): void {
    if (this.length === this.cap) this.growTo(this.length + 1);
    this.markValid();
    const i = this.length++;
    if (v) this.bits[i >> 3] |= 1 << (i & 7);
  }
  nul(): void {
    if (this.length === this.cap) this.growTo(this.length + 1);
    this.nullCount++;
    this.length++;
  }
  appendJs(v: unknown): void {
    if (v === null || v === undefined) this.nul();
    else this.bool(v === true || v === 'true' || v === 1);
  }
  protected resize(cap: number): void {
    const next = new Uint8Array((cap + 7) >> 3);
    next.set(this.bits);
    this.bits = next;
  }
  finish(): Data {
    const d = makeData({ type: this.arrowType, length: this.length, nullCount: this.nullCount, nullBitmap: this.takeValidity(), data: this.bits.subarray(0, (this.length + 7) >> 3) } as never) as Data;
    this.resetBase();
    this.bits = new Uint8Array((this.cap + 7) >> 3);
    return d;
  }
}

/** DECIMAL(p, s): 16 little-endian two's-complement bytes per value. */
export class DecimalBuilder extends ColumnBuilder {
  bytes: Uint8Array;
  constructor(type: SqlType, capacity?: number) {
    super(type, capacity);
    this.bytes = new Uint8Array(this.cap * 16);
  }
  /** Avro's decimal encoding: big-endian two's complement of the unscaled value. */
  bigEndian(src: Uint8Array, start: number, len: number): void {
    if (this.length === this.cap) this.growTo(this.length + 1);
    if (len > 16) throw new RangeError(`decimal of ${len} bytes does not fit DECIMAL(38)`);
    this.markValid();
    const o = this.length++ * 16;
    const fill = len > 0 && (src[start] & 0x80) !== 0 ? 0xff : 0;
    for (let k = 0; k < len; k++) this.bytes[o + k] = src[start + len - 1 - k];
    for (let k = len; k < 16; k++) this.bytes[o + k] = fill;
  }
  unscaled(v: bigint): void {
    if (this.length === this.cap) this.growTo(this.length + 1);
    this.markValid();
    const o = this.length++ * 16;
    let x = BigInt.asUintN(128, v);
    for (let k = 0; k < 16; k++) {
      this.bytes[o + k] = Number(x & 0xffn);
      x >>= 8n;
    }
  }
  nul(): void {
    if (this.length === this.cap) this.growTo(this.length + 1);
    this.nullCount++;
    this.bytes.fill(0, this.length * 16, this.length * 16 + 16);
    this.length++;
  }
  appendJs(v: unknown): void {
    if (v === null || v === undefined) return this.nul();
    const scale = (this.type as { scale: number }).scale;
    this.unscaled(typeof v === 'bigint' ? v : parseScaled(String(v), scale));
  }
  protected resize(cap: number): void {
    const next = new Uint8Array(cap * 16);
    next.set(this.bytes);
    this.bytes = next;
  }
  finish(): Data {
    const data = new Uint32Array(this.bytes.buffer, 0, this.length * 4);
    const d = makeData({ type: this.arrowType, length: this.length, nullCount: this.nullCount, nullBitmap: this.takeValidity(), data } as never) as Data;
    this.resetBase();
    this.bytes = new Uint8Array(this.cap * 16);
    return d;
  }
}

function parseScaled(text: string, scale: number): bigint {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (m === null) throw new RangeError(`'${text}' is not a decimal`);
  const frac = (m[3] ?? '').padEnd(scale, '0').slice(0, scale);
  const v = BigInt(`${m[2] || '0'}${frac}` || '0');
  return m[1] === '-' ? -v : v;
}

const encoder = new TextEncoder();

/** STRING / BYTES / BINARY: offsets plus one byte buffer; bytes are copied from the record. */
export class BytesBuilder extends ColumnBuilder {
  offsets: Int32Array;
  data: Uint8Array;
  used = 0;
  constructor(type: SqlType, capacity?: number, bytesCapacity = 16 * 1024) {
    super(type, capacity);
    this.offsets = new Int32Array(this.cap + 1);
    this.data = new Uint8Array(bytesCapacity);
  }
  bytes(src: Uint8Array, start: number, len: number): void {
    if (this.length === this.cap) this.growTo(this.length + 1);
    const used = this.used;
    if (used + len > this.data.length) this.growData(used + len);
    this.markValid();
    const d = this.data;
    if (len <= 256) for (let k = 0; k < len; k++) d[used + k] = src[start + k];
    else d.set(src.subarray(start, start + len), used);
    this.used = used + len;
    this.offsets[++this.length] = this.used;
  }
  nul(): void {
    if (this.length === this.cap) this.growTo(this.length + 1);
    this.nullCount++;
    this.offsets[++this.length] = this.used;
  }
  appendJs(v: unknown): void {
    if (v === null || v === undefined) return this.nul();
    if (v instanceof Uint8Array) return this.bytes(v, 0, v.length);
    const s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
    const b = encoder.encode(s);
    this.bytes(b, 0, b.length);
  }
  private growData(min: number): void {
    let n = this.data.length * 2;
    while (n < min) n *= 2;
    if (n > BUILDER_BYTES_MAX) throw new RangeError(`column bytes reached builderBytesMax (${BUILDER_BYTES_MAX})`);
    const next = new Uint8Array(n);
    next.set(this.data.subarray(0, this.used));
    this.data = next;
  }
  protected resize(cap: number): void {
    const next = new Int32Array(cap + 1);
    next.set(this.offsets);
    this.offsets = next;
  }
  finish(): Data {
    const d = makeData({
      type: this.arrowType, length: this.length, nullCount: this.nullCount, nullBitmap: this.takeValidity(),
      valueOffsets: this.offsets.subarray(0, this.length + 1), data: this.data.subarray(0, this.used),
    } as never) as Data;
    this.resetBase();
    this.offsets = new Int32Array(this.cap + 1);
    this.data = new Uint8Array(Math.max(1024, this.used));
    this.used = 0;
    return d;
  }
}

/** ROW: one builder per field; a NULL row appends NULL to every child. */
export class StructBuilder extends ColumnBuilder {
  constructor(type: SqlType, readonly children: ColumnBuilder[], capacity?: number) {
    super(type, capacity);
  }
  valid(): void {
    if (this.length === this.cap) this.growTo(this.length + 1);
    this.markValid();
    this.length++;
  }
  nul(): void {
    if (this.length === this.cap) this.growTo(this.length + 1);
    this.nullCount++;
    this.length++;
    for (const c of this.children) c.nul();
  }
  appendJs(v: unknown): void {
    if (v === null || v === undefined || typeof v !== 'object') return this.nul();
    this.valid();
    const o = v as Record<string, unknown>;
    const fields = (this.type as { fields: readonly { name: string }[] }).fields;
    fields.forEach((f, i) => this.children[i].appendJs(o[f.name]));
  }
  protected resize(): void {}
  finish(): Data {
    const d = makeData({ type: this.arrowType, length: this.length, nullCount: this.nullCount, nullBitmap: this.takeValidity(), children: this.children.map((c) => c.finish()) } as never) as Data;
    this.resetBase();
    return d;
  }
}

/** ARRAY and MAP (MAP's child is the entries struct of key and value). */
export class ListBuilder extends ColumnBuilder {
  offsets: Int32Array;
  constructor(type: SqlType, readonly child: ColumnBuilder, capacity?: number) {
    super(type, capacity);
    this.offsets = new Int32Array(this.cap + 1);
  }
  /** Closes the current list after its elements were appended to `child`. */
  close(): void {
    if (this.length === this.cap) this.growTo(this.length + 1);
    this.markValid();
    this.offsets[++this.length] = this.child.length;
  }
  nul(): void {
    if (this.length === this.cap) this.growTo(this.length + 1);
    this.nullCount++;
    this.offsets[++this.length] = this.child.length;
  }
  appendJs(v: unknown): void {
    if (v === null || v === undefined) return this.nul();
    if (this.type.kind === 'MAP') {
      const entries = v instanceof Map ? [...v.entries()] : Object.entries(v as Record<string, unknown>);
      const s = this.child as StructBuilder;
      for (const [k, x] of entries) {
        s.valid();
        s.children[0].appendJs(k);
        s.children[1].appendJs(x);
      }
    } else {
      for (const x of v as unknown[]) this.child.appendJs(x);
    }
    this.close();
  }
  protected resize(cap: number): void {
    const next = new Int32Array(cap + 1);
    next.set(this.offsets);
    this.offsets = next;
  }
  finish(): Data {
    const d = makeData({
      type: this.arrowType, length: this.length, nullCount: this.nullCount, nullBitmap: this.takeValidity(),
      valueOffsets: this.offsets.subarray(0, this.length + 1), child: this.child.finish(),
    } as never) as Data;
    this.resetBase();
    this.offsets = new Int32Array(this.cap + 1);
    return d;
  }
}

export class NullBuilder extends ColumnBuilder {
  nul(): void {
    this.length++;
    this.nullCount++;
  }
  appendJs(): void {
    this.nul();
  }
  protected resize(): void {}
  finish(): Data {
    const d = makeData({ type: this.arrowType, length: this.length, nullCount: this.nullCount } as never) as Data;
    this.length = 0;
    this.nullCount = 0;
    return d;
  }
}

/** A builder for any SQL type. */
export function createBuilder(type: SqlType, capacity?: number): ColumnBuilder {
  switch (type.kind) {
    case 'BOOLEAN': return new BoolBuilder(type, capacity);
    case 'TINYINT': return new NumberBuilder(type, Int8Array, capacity);
    case 'SMALLINT': return new NumberBuilder(type, Int16Array, capacity);
    case 'INT': case 'DATE': case 'TIME': case 'INTERVAL_YEAR_MONTH': return new NumberBuilder(type, Int32Array, capacity);
    case 'FLOAT': return new NumberBuilder(type, Float32Array, capacity);
    case 'DOUBLE': return new NumberBuilder(type, Float64Array, capacity);
    case 'BIGINT': case 'TIMESTAMP': case 'TIMESTAMP_LTZ': case 'INTERVAL_DAY_TIME': return new Int64Builder(type, capacity);
    case 'DECIMAL': return new DecimalBuilder(type, capacity);
    case 'CHAR': case 'VARCHAR': case 'BINARY': case 'VARBINARY': return new BytesBuilder(type, capacity);
    case 'ROW': return new StructBuilder(type, type.fields.map((f) => createBuilder(f.type, capacity)), capacity);
    case 'ARRAY': return new ListBuilder(type, createBuilder(type.element), capacity);
    case 'MAP': {
      const entries = createBuilder({ kind: 'ROW', nullable: false, fields: [{ name: 'key', type: { ...type.key, nullable: false } as SqlType }, { name: 'value', type: type.value }] });
      return new ListBuilder(type, entries, capacity);
    }
    case 'NULL': return new NullBuilder(type, capacity);
    default: {
      const never: never = type;
      throw new Error(`no builder for ${JSON.stringify(never)}`);
    }
  }
}

function timeOfDayMs(s: string): number {
  const m = /^(\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,3}))?)?/.exec(s);
  if (m === null) throw new RangeError(`'${s}' is not a time of day`);
  return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3] ?? 0)) * 1000 + Number((m[4] ?? '0').padEnd(3, '0'));
}
