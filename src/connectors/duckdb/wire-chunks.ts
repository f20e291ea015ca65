/**
 * The DuckDB sink's buffers for plain Avro rows (the wire fast path, see sql-sink/wire-rows.ts):
 * each record body is decoded straight into typed column buffers laid out as DuckDB's vectors
 * (int32s, int64s as two int32 halves, doubles, booleans as bytes, strings as 16-byte `string_t`
 * slots, validity bitmasks), and a write copies 2048 rows of each column into a data chunk with
 * one memcpy (`copy_data_to_vector`). No JS string, bigint or array is made per value: short
 * ASCII strings (12 bytes or fewer, DuckDB keeps those inline in the slot) are copied byte by
 * byte; longer ASCII strings keep a view of the record bytes and non-ASCII ones are decoded to
 * text (as the general path does), both assigned into the chunk after the copy.
 *
 * Hand-written rather than through @duckdb/node-api's vectors: those take one JS value per item
 * (a string costs a native call each, an int64 a bigint), which was most of the sink's time.
 *
 * In upsert mode a buffer keeps one row per key: a later row with the same key drops the earlier
 * one (dropped rows are squeezed out before the write), so the write can append without merging.
 */
import duckdb from '@duckdb/node-bindings';
import { DuckDBDataChunk, type DuckDBAppender, type DuckDBType } from '@duckdb/node-api';
import type { WireBuffer } from '../sql-sink/target-session.ts';
import { keyOf, type RowShape } from '../sql-sink/row-ops.ts';
import { bigLong, type FieldRead, type WirePlan } from '../sql-sink/wire-rows.ts';

/** DuckDB's vector size: rows per appended chunk. */
export const chunkRows = 2048;

type Slot = 'i8' | 'i16' | 'i32' | 'i64' | 'f32' | 'f64' | 'bool' | 'str';

const widths: Record<Slot, number> = { i8: 1, i16: 2, i32: 4, i64: 8, f32: 4, f64: 8, bool: 1, str: 16 };

function slotOf(read: FieldRead, kind: string): Slot {
  switch (read) {
    case 'int':
      return kind === 'int8' ? 'i8' : kind === 'int16' ? 'i16' : 'i32';
    case 'long':
      return 'i64';
    case 'float':
      return 'f32';
    case 'double':
      return 'f64';
    case 'boolean':
      return 'bool';
    case 'string':
      return 'str';
  }
}

/** One column's rows, as the bytes of a DuckDB vector (plus, for strings, the values not inlined). */
class Column {
  bytes: Uint8Array;
  i8!: Int8Array;
  i16!: Int16Array;
  i32!: Int32Array;
  u32!: Uint32Array;
  f32!: Float32Array;
  f64!: Float64Array;
  b64!: BigInt64Array;
  /** Validity bits (1 = valid), made at the first null. */
  validity: Uint8Array | null = null;
  /** Rows whose string is not inline, in row order, and their values (record bytes, or text when not ASCII). */
  longRows: number[] = [];
  longValues: (Uint8Array | string)[] = [];

  constructor(
    readonly slot: Slot,
    readonly read: FieldRead,
    readonly nullFirst: boolean | null,
    readonly pk: boolean,
    capacity: number,
  ) {
    this.bytes = new Uint8Array(capacity * widths[slot]);
    this.views();
  }

  private views(): void {
    const b = this.bytes.buffer;
    const n = this.bytes.byteLength;
    this.i8 = new Int8Array(b, 0, n);
    this.i16 = new Int16Array(b, 0, n >> 1);
    this.i32 = new Int32Array(b, 0, n >> 2);
    this.u32 = new Uint32Array(b, 0, n >> 2);
    this.f32 = new Float32Array(b, 0, n >> 2);
    this.f64 = new Float64Array(b, 0, n >> 3);
    this.b64 = new BigInt64Array(b, 0, n >> 3);
  }

  grow(capacity: number): void {
    const bytes = new Uint8Array(capacity * widths[this.slot]);
    bytes.set(this.bytes);
    this.bytes = bytes;
    this.views();
    if (this.validity !== null) {
      const v = new Uint8Array(capacity >> 3).fill(0xff);
      v.set(this.validity);
      this.validity = v;
    }
  }

  setNull(row: number, capacity: number): void {
    if (this.validity === null) this.validity = new Uint8Array(capacity >> 3).fill(0xff);
    this.validity[row >> 3] &= ~(1 << (row & 7));
  }

  isNull(row: number): boolean {
    return this.validity !== null && (this.validity[row >> 3] & (1 << (row & 7))) === 0;
  }

  /** An integer column's value as a map key: the number, or past 2^53 the text `keyOf` gives. */
  intAt(row: number): number | string {
    switch (this.slot) {
      case 'i32':
        return this.i32[row];
      case 'i16':
        return this.i16[row];
      case 'i8':
        return this.i8[row];
      default: {
        const v = this.i32[row * 2 + 1] * 4294967296 + (this.i32[row * 2] >>> 0);
        return Number.isSafeInteger(v) ? v : String(this.b64[row]);
      }
    }
  }

  /** The row's value as the general path normalizes it (int64 as bigint), for keys and the by-value fallback. */
  value(row: number): unknown {
    if (this.isNull(row)) return null;
    switch (this.slot) {
      case 'i8':
        return this.i8[row];
      case 'i16':
        return this.i16[row];
      case 'i32':
        return this.i32[row];
      case 'i64':
        return this.b64[row];
      case 'f32':
        return this.f32[row];
      case 'f64':
        return this.f64[row];
      case 'bool':
        return this.bytes[row] === 1;
      case 'str': {
        const at = this.longAt(row);
        if (at >= 0) {
          const v = this.longValues[at];
          return typeof v === 'string' ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('latin1');
        }
        const len = this.u32[row * 4];
        return Buffer.from(this.bytes.buffer, row * 16 + 4, len).toString('latin1');
      }
    }
  }

  /** The index in `longRows` of `row`, or -1. */
  private longAt(row: number): number {
    const rows = this.longRows;
    let lo = 0;
    let hi = rows.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (rows[mid] === row) return mid;
      if (rows[mid] < row) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}

/**
 * Rows by integer key (safe integers): open addressing with linear probing over typed arrays, a
 * Map of numbers cost a third of the decode per row. Keys are never removed: a dropped key's
 * row becomes -1.
 */
class IntRows {
  private keys = new Float64Array(1024);
  /** Row + 1 (0: empty slot, and -1 + 1 for a dropped key's). */
  private rows = new Int32Array(1024);
  private size = 0;

  private slot(key: number): number {
    const mask = this.rows.length - 1;
    // Near keys (ids mostly grow) go to near slots: a scattering hash cost a cache miss per row.
    // The high bits folded in spread keys with a common stride.
    const lo = key | 0;
    let i = (lo ^ (lo >>> 17) ^ ((key / 4294967296) | 0)) & mask;
    while (this.rows[i] !== 0 && this.keys[i] !== key) i = (i + 1) & mask;
    return i;
  }

  /** Sets the key's row (-1: dropped); the row it had before, or -1. */
  set(key: number, row: number): number {
    let i = this.slot(key);
    const had = this.rows[i];
    if (had === 0) {
      if (row < 0) return -1;
      if (++this.size * 2 > this.rows.length) {
        this.grow();
        i = this.slot(key);
      }
      this.keys[i] = key;
    }
    this.rows[i] = row < 0 ? -1 : row + 1;
    return had > 0 ? had - 1 : -1;
  }

  private grow(): void {
    const keys = this.keys;
    const rows = this.rows;
    this.keys = new Float64Array(keys.length * 2);
    this.rows = new Int32Array(rows.length * 2);
    for (let i = 0; i < rows.length; i++) {
      if (rows[i] === 0) continue;
      const j = this.slot(keys[i]);
      this.keys[j] = keys[i];
      this.rows[j] = rows[i];
    }
  }

  clear(): void {
    this.rows.fill(0);
    this.size = 0;
  }
}

/** Whether `cols` are the table's columns, in order (then chunks append as they are). */
function sameColumns(tableColumns: readonly string[], shape: RowShape): boolean {
  return tableColumns.length === shape.columns.length && tableColumns.every((c, i) => c.toLowerCase() === shape.columns[i].name.toLowerCase());
}

export class DuckDBWireRows implements WireBuffer {
  private readonly cols: Column[];
  private capacity: number;
  /** Rows decoded, dropped ones included. */
  private count = 0;
  private dropped = 0;
  /**
   * upsert: the row of each key, and each row's drop flag. A key of one integer column is kept
   * as its number (a string per row cost more than the decode), others as `keyOf` text.
   */
  private readonly keys: Map<string, number> | null;
  private readonly intKey: Column | null;
  private readonly ints: IntRows | null;
  private drops: Uint8Array | null = null;
  private readonly keyValues: unknown[];
  private lastRow = -1;

  constructor(
    readonly plan: WirePlan,
    readonly shape: RowShape,
    readonly upsert: boolean,
    capacity: number,
  ) {
    this.capacity = Math.max(chunkRows, Math.ceil(capacity / chunkRows) * chunkRows);
    const pk = new Set(shape.pkIndexes);
    this.cols = plan.reads.map((read, k) => new Column(slotOf(read, shape.columns[k].kind), read, plan.nulls[k], pk.has(k), this.capacity));
    this.keys = upsert && shape.pkIndexes.length > 0 ? new Map() : null;
    const only = shape.pkIndexes.length === 1 ? this.cols[shape.pkIndexes[0]] : null;
    this.intKey = this.keys !== null && only !== null && (only.slot === 'i8' || only.slot === 'i16' || only.slot === 'i32' || only.slot === 'i64') ? only : null;
    this.ints = this.intKey !== null ? new IntRows() : null;
    this.keyValues = new Array(shape.pkIndexes.length);
  }

  get rows(): number {
    return this.count - this.dropped;
  }

  add(buf: Buffer): boolean {
    if (this.count === this.capacity) this.grow();
    const row = this.count;
    const cols = this.cols;
    const end = buf.length;
    let pos = 5;
    for (let k = 0; k < cols.length; k++) {
      const c = cols[k];
      if (c.nullFirst !== null) {
        // The union's branch index: 0 or 1, one byte as a zig-zag varint (0 → 0, 1 → 2).
        if (pos >= end) return this.abort(row);
        const b = buf[pos++];
        if (b !== 0 && b !== 2) return this.abort(row);
        if ((b === 0) === c.nullFirst) {
          if (c.pk) return this.abort(row);
          c.setNull(row, this.capacity);
          continue;
        }
      }
      const read = c.read;
      if (read === 'double') {
        if (pos + 8 > end) return this.abort(row);
        c.f64[row] = buf.readDoubleLE(pos);
        pos += 8;
        continue;
      }
      if (read === 'float') {
        if (pos + 4 > end) return this.abort(row);
        c.f32[row] = buf.readFloatLE(pos);
        pos += 4;
        continue;
      }
      if (read === 'boolean') {
        if (pos >= end) return this.abort(row);
        c.bytes[row] = buf[pos++] === 1 ? 1 : 0;
        continue;
      }
      // int, long, and string's length: a zig-zag varint. Up to 7 bytes (49 bits) in float arithmetic.
      const start = pos;
      let z = 0;
      let m = 1;
      let b: number;
      do {
        if (pos >= end) return this.abort(row);
        if (pos - start === 7) break;
        b = buf[pos++];
        z += (b & 0x7f) * m;
        m *= 128;
      } while (b & 0x80);
      if (pos - start === 7 && (buf[pos - 1] & 0x80) !== 0) {
        // A long past 49 bits: exact through bigint.
        if (read !== 'long') return this.abort(row);
        const out = [0n];
        pos = bigLong(buf, start, end, out, 0);
        if (pos < 0) return this.abort(row);
        c.b64[row] = out[0] as bigint;
        continue;
      }
      const v = z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      if (read === 'long') {
        c.i32[row * 2] = v | 0;
        c.i32[row * 2 + 1] = Math.floor(v / 4294967296);
      } else if (read === 'int') {
        if (c.slot === 'i32') c.i32[row] = v;
        else if (c.slot === 'i16') {
          if (v < -32768 || v > 32767) return this.abort(row);
          c.i16[row] = v;
        } else {
          if (v < -128 || v > 127) return this.abort(row);
          c.i8[row] = v;
        }
      } else {
        if (v < 0 || pos + v > end) return this.abort(row);
        const bytes = c.bytes;
        const at = row * 16;
        let high = 0;
        if (v <= 12) {
          c.u32[row * 4] = v;
          for (let i = 0; i < v; i++) high |= bytes[at + 4 + i] = buf[pos + i];
          for (let i = v; i < 12; i++) bytes[at + 4 + i] = 0;
        } else for (let i = 0; i < v; i++) high |= buf[pos + i];
        if (v > 12 || high >= 0x80) {
          c.longRows.push(row);
          c.longValues.push(high < 0x80 ? buf.subarray(pos, pos + v) : (buf as Buffer & { utf8Slice(s: number, e: number): string }).utf8Slice(pos, pos + v));
        }
        pos += v;
      }
    }
    if (pos !== end) return this.abort(row);
    if (this.keys !== null) this.keep(row);
    this.count++;
    return true;
  }

  /** upsert: notes the row's key, dropping an earlier row with the same key. */
  private keep(row: number): void {
    const key = this.intKey !== null ? this.intKey.intAt(row) : this.keyAt(row);
    const prev = typeof key === 'number' ? this.ints!.set(key, row) : this.setKey(key, row);
    if (prev >= 0) this.dropRow(prev);
    this.lastRow = row;
  }

  /** Notes the row of a key kept as text; the row it had before, or -1. */
  private setKey(key: string, row: number): number {
    const keys = this.keys!;
    const prev = keys.get(key);
    keys.set(key, row);
    return prev ?? -1;
  }

  /** The row's key as `keyOf` gives it. */
  private keyAt(row: number): string {
    const idx = this.shape.pkIndexes;
    for (let i = 0; i < idx.length; i++) this.keyValues[i] = this.cols[idx[i]].value(row);
    return keyOf(this.keyValues);
  }

  get lastKey(): string {
    return this.keyAt(this.lastRow);
  }

  drop(key: string): void {
    if (this.keys === null) return;
    const n = Number(key);
    let row: number;
    if (this.ints !== null && Number.isSafeInteger(n)) row = this.ints.set(n, -1);
    else {
      row = this.keys.get(key) ?? -1;
      this.keys.delete(key);
    }
    if (row >= 0) this.dropRow(row);
  }

  private dropRow(row: number): void {
    if (this.drops === null) this.drops = new Uint8Array(this.capacity);
    this.drops[row] = 1;
    this.dropped++;
  }

  /** Undoes what a record that did not fit wrote into `row`. */
  private abort(row: number): false {
    for (const c of this.cols) {
      if (c.validity !== null) c.validity[row >> 3] |= 1 << (row & 7);
      if (c.longRows.length > 0 && c.longRows[c.longRows.length - 1] === row) {
        c.longRows.pop();
        c.longValues.pop();
      }
    }
    return false;
  }

  private grow(): void {
    this.capacity *= 2;
    for (const c of this.cols) c.grow(this.capacity);
    if (this.drops !== null) {
      const d = new Uint8Array(this.capacity);
      d.set(this.drops);
      this.drops = d;
    }
  }

  /** Moves the rows kept down over the dropped ones, in order. */
  private squeeze(): void {
    if (this.dropped === 0) return;
    const drops = this.drops!;
    const remap = new Int32Array(this.count).fill(-1);
    let to = 0;
    for (let row = 0; row < this.count; row++) if (drops[row] === 0) remap[row] = to++;
    for (const c of this.cols) {
      const w = widths[c.slot];
      for (let row = 0; row < this.count; row++) {
        const t = remap[row];
        if (t < 0 || t === row) continue;
        c.bytes.copyWithin(t * w, row * w, row * w + w);
        if (c.validity !== null) {
          if (c.isNull(row)) c.validity[t >> 3] &= ~(1 << (t & 7));
          else c.validity[t >> 3] |= 1 << (t & 7);
        }
      }
      if (c.validity !== null) for (let row = to; row < this.count; row++) c.validity[row >> 3] |= 1 << (row & 7);
      const rows: number[] = [];
      const values: (Uint8Array | string)[] = [];
      c.longRows.forEach((row, i) => {
        if (remap[row] >= 0) {
          rows.push(remap[row]);
          values.push(c.longValues[i]);
        }
      });
      c.longRows = rows;
      c.longValues = values;
    }
    this.count = to;
    this.dropped = 0;
    this.drops = null;
    this.keys?.clear();
    this.ints?.clear();
  }

  /** Empties the buffer for another batch (its column buffers are kept: fresh ones per batch cost more in GC than the decode). */
  reset(): void {
    this.count = 0;
    this.dropped = 0;
    this.drops = null;
    this.keys?.clear();
    this.ints?.clear();
    for (const c of this.cols) {
      c.validity = null;
      c.longRows = [];
      c.longValues = [];
    }
  }

  /** Whether the chunks can go to a table with these columns as they are (else `values()`). */
  fits(tableColumns: readonly string[]): boolean {
    return sameColumns(tableColumns, this.shape);
  }

  /**
   * Appends the rows kept, columns `which` (indexes into the shape, in the appender's order), in
   * data chunks of the given types.
   */
  appendTo(appender: DuckDBAppender, which: readonly number[], types: readonly DuckDBType[]): void {
    this.squeeze();
    const chunk = DuckDBDataChunk.create(types as DuckDBType[]);
    const longAt = which.map(() => 0);
    for (let base = 0; base < this.count; base += chunkRows) {
      const n = Math.min(chunkRows, this.count - base);
      chunk.reset();
      duckdb.data_chunk_set_size(chunk.chunk, n);
      for (let i = 0; i < which.length; i++) {
        const c = this.cols[which[i]];
        const vector = duckdb.data_chunk_get_vector(chunk.chunk, i);
        const w = widths[c.slot];
        duckdb.copy_data_to_vector(vector, 0, c.bytes.buffer as ArrayBuffer, base * w, n * w);
        if (c.validity !== null) {
          duckdb.vector_ensure_validity_writable(vector);
          duckdb.copy_data_to_vector_validity(vector, 0, c.validity.buffer as ArrayBuffer, base >> 3, (n + 7) >> 3);
        }
        const rows = c.longRows;
        let at = longAt[i];
        for (; at < rows.length && rows[at] < base + n; at++) {
          const v = c.longValues[at];
          if (typeof v === 'string') duckdb.vector_assign_string_element(vector, rows[at] - base, v);
          else duckdb.vector_assign_string_element_len(vector, rows[at] - base, v);
        }
        longAt[i] = at;
      }
      appender.appendDataChunk(chunk);
    }
  }

  /** The rows kept, column by column, as the general path buffers them (for a table whose columns differ). */
  values(): unknown[][] {
    this.squeeze();
    return this.cols.map((c) => Array.from({ length: this.count }, (_, row) => c.value(row)));
  }
}
