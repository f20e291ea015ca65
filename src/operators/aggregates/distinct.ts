/**
 * DISTINCT aggregates. The DISTINCT aggregates of one group over the same column (Nexmark's
 * q15/q16 count distinct bidders four times, under different FILTERs) share one distinct-value
 * store, as Flink's distinct views do: the store maps each value to which aggregates (slots, at
 * most `SLOTS_MAX` per store) have seen it, and a row costs one lookup for all of them. Over an
 * append-only input a bitmask per value is enough; under retraction the store keeps a count per
 * slot, and a slot forgets the value when its count returns to zero.
 *
 * `add` and `retract` answer with the slots whose view changed (0 -> 1, 1 -> 0), so the caller
 * feeds exactly those aggregates' inner accumulators. Integer values (ids, timestamps) live in an
 * open-addressing table over typed arrays (`NumberDistinct`): no object per value, and a
 * snapshot is a copy of the arrays; other values in a Map (`ValueDistinct`).
 */
import { valueBytes } from './accumulator.ts';
import type { Accumulator } from './accumulator.ts';

/** Most aggregates one store serves (slots are bits of a 31-bit mask). */
export const SLOTS_MAX = 30;

export interface DistinctStore {
  /** Distinct values held. */
  readonly size: number;
  /** Estimated bytes held (changes only when the store grows or shrinks). */
  readonly bytes: number;
  /** Counts `v` for the slots in `mask` (`times` each); returns the slots that had not seen it. */
  add(v: unknown, mask: number, times?: number): number;
  /** Removes one count of `v` from the slots in `mask`; returns the slots that no longer see it. */
  retract(v: unknown, mask: number): number;
  /** Each value with the slots that see it and, counting, the count of `slot` (1 otherwise). */
  forEach(fn: (v: unknown, mask: number, count: (slot: number) => number) => void): void;
  save(): unknown;
  load(saved: unknown): void;
}

/** Map key of a value: byte strings by content. */
export function distinctKey(v: unknown): unknown {
  return v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('latin1') : v;
}

/** SQL types whose values are integral JS numbers (column.ts), kept by `NumberDistinct`. */
const INTEGER_KINDS = new Set(['TINYINT', 'SMALLINT', 'INT', 'BIGINT', 'DATE', 'TIME', 'TIMESTAMP', 'TIMESTAMP_LTZ']);

/** A store for `slots` aggregates over values of SQL type `kind`; `counting` under retraction. */
export function distinctStore(kind: string, slots: number, counting: boolean): DistinctStore {
  return INTEGER_KINDS.has(kind) ? new NumberDistinct(slots, counting) : new ValueDistinct(slots, counting);
}

const EMPTY_BYTES = 64;
const SAVE_HEADER = 8;

/**
 * Integral numbers -> slots, in an open-addressing table with linear probing (hand-written: a
 * Map holds one heap entry per value plus, counting, an array per value, which on q16's 1.2M
 * values costs more in GC and snapshot encoding than the lookups themselves). Per table
 * position: the key in `keys`, then `stride` Int32 cells in `cells`: the slot mask (0 = free
 * position), followed by one count per slot when counting.
 */
export class NumberDistinct implements DistinctStore {
  private keys = new Float64Array(8);
  private cells: Int32Array;
  private readonly stride: number;
  private shift = 29; // 32 - log2(capacity)
  size = 0;
  bytes: number;

  constructor(readonly slots: number, readonly counting: boolean) {
    this.stride = counting ? 1 + slots : 1;
    this.cells = new Int32Array(8 * this.stride);
    this.bytes = this.footprint();
  }

  private footprint(): number {
    return EMPTY_BYTES + this.keys.length * (8 + 4 * this.stride);
  }

  /** Table position of `v`, or of the free position where it would go. */
  private find(v: number): number {
    const keys = this.keys, cells = this.cells, stride = this.stride, m = keys.length - 1;
    // Integers beyond int32 fold their high word in; Fibonacci hashing spreads sequential ids.
    const lo = v | 0;
    const h = lo === v ? lo : lo ^ Math.imul(Math.floor(v / 4294967296) | 0, 0x85ebca6b);
    let p = Math.imul(h, 0x9e3779b1) >>> this.shift;
    while (cells[p * stride] !== 0 && keys[p] !== v) p = (p + 1) & m;
    return p;
  }

  add(x: unknown, mask: number, times = 1): number {
    if (mask === 0) return 0;
    const v = x as number;
    let p = this.find(v);
    const at = p * this.stride;
    const seen = this.cells[at];
    if (seen === 0) {
      if (4 * (this.size + 1) > 3 * this.keys.length) {
        this.rehash(this.keys.length * 2);
        p = this.find(v);
      }
      this.keys[p] = v;
      this.size++;
    }
    const cells = this.cells, base = p * this.stride;
    cells[base] = seen | mask;
    if (this.counting) for (let s = 0, m = mask; m !== 0; s++, m >>>= 1) if ((m & 1) !== 0) cells[base + 1 + s] += times;
    return mask & ~seen;
  }

  retract(x: unknown, mask: number): number {
    if (!this.counting) throw new Error('NumberDistinct: retraction on a store built for append-only input');
    const p = this.find(x as number);
    const cells = this.cells, base = p * this.stride;
    const seen = cells[base];
    let lost = 0;
    for (let s = 0, m = mask & seen; m !== 0; s++, m >>>= 1) {
      if ((m & 1) !== 0 && --cells[base + 1 + s] === 0) lost |= 1 << s;
    }
    if (lost !== 0) {
      cells[base] = seen & ~lost;
      if (cells[base] === 0) this.remove(p);
    }
    return lost;
  }

  /** Frees position `p`, shifting later entries of its probe run back (no tombstones). */
  private remove(p: number): void {
    const keys = this.keys, cells = this.cells, stride = this.stride, m = keys.length - 1;
    let hole = p;
    for (let q = (p + 1) & m; cells[q * stride] !== 0; q = (q + 1) & m) {
      const v = keys[q];
      const lo = v | 0;
      const h = lo === v ? lo : lo ^ Math.imul(Math.floor(v / 4294967296) | 0, 0x85ebca6b);
      const home = Math.imul(h, 0x9e3779b1) >>> this.shift;
      // Move q into the hole unless its home lies cyclically in (hole, q].
      if (((q - home) & m) >= ((q - hole) & m)) {
        keys[hole] = v;
        for (let c = 0; c < stride; c++) cells[hole * stride + c] = cells[q * stride + c];
        hole = q;
      }
    }
    for (let c = 0; c < stride; c++) cells[hole * stride + c] = 0;
    this.size--;
    if (this.size === 0 && keys.length > 8) this.rehash(8);
  }

  private rehash(capacity: number): void {
    const oldKeys = this.keys, oldCells = this.cells, stride = this.stride;
    this.keys = new Float64Array(capacity);
    this.cells = new Int32Array(capacity * stride);
    this.shift = 32 - Math.log2(capacity);
    for (let q = 0; q < oldKeys.length; q++) {
      if (oldCells[q * stride] === 0) continue;
      this.put(oldKeys[q], oldCells, q * stride);
    }
    this.bytes = this.footprint();
  }

  /** Places a key absent from the table, with its cells copied from `from` at `at`. */
  private put(v: number, from: Int32Array, at: number): void {
    const p = this.find(v), stride = this.stride, cells = this.cells;
    this.keys[p] = v;
    for (let c = 0; c < stride; c++) cells[p * stride + c] = from[at + c];
  }

  forEach(fn: (v: unknown, mask: number, count: (slot: number) => number) => void): void {
    const keys = this.keys, cells = this.cells, stride = this.stride;
    for (let p = 0; p < keys.length; p++) {
      const base = p * stride;
      if (cells[base] !== 0) fn(keys[p], cells[base], (s) => (this.counting ? cells[base + 1 + s] : 1));
    }
  }

  /**
   * The occupied positions packed, as bytes: an 8-byte header (flags: keys as int32, cells as
   * bytes), the keys (int32 when all fit, else float64), then their cells (one byte each for an
   * append-only store of at most 8 slots, else int32). Host byte order, as the snapshot is read
   * back by the same build.
   */
  save(): unknown {
    const n = this.size, stride = this.stride, cap = this.keys.length;
    const src = this.keys, srcCells = this.cells;
    let int32 = true;
    for (let p = 0; p < cap && int32; p++) if (srcCells[p * stride] !== 0 && (src[p] | 0) !== src[p]) int32 = false;
    const byteCells = !this.counting && this.slots <= 8;
    const keyBytes = int32 ? 4 : 8, cellBytes = byteCells ? 1 : 4;
    const out = new Uint8Array(SAVE_HEADER + n * keyBytes + n * stride * cellBytes);
    out[0] = (int32 ? 1 : 0) | (byteCells ? 2 : 0);
    const keys = int32 ? new Int32Array(out.buffer, SAVE_HEADER, n) : new Float64Array(out.buffer, SAVE_HEADER, n);
    const cellsAt = SAVE_HEADER + n * keyBytes;
    const cells = byteCells ? out.subarray(cellsAt) : new Int32Array(out.buffer, cellsAt, n * stride);
    let j = 0;
    for (let p = 0; p < cap; p++) {
      if (srcCells[p * stride] === 0) continue;
      keys[j] = src[p];
      for (let c = 0; c < stride; c++) cells[j * stride + c] = srcCells[p * stride + c];
      j++;
    }
    return out;
  }

  load(saved: unknown): void {
    const bytes = saved as Uint8Array, stride = this.stride;
    const copy = bytes.slice(); // aligned
    const int32 = (copy[0] & 1) !== 0, byteCells = (copy[0] & 2) !== 0;
    const n = (copy.length - SAVE_HEADER) / ((int32 ? 4 : 8) + stride * (byteCells ? 1 : 4));
    if (!Number.isInteger(n) || (byteCells && this.counting)) {
      throw new Error(`NumberDistinct: a saved state of ${bytes.length} bytes does not fit a store of ${this.slots} slots${this.counting ? ' with counts' : ''}`);
    }
    const keys = int32 ? new Int32Array(copy.buffer, SAVE_HEADER, n) : new Float64Array(copy.buffer, SAVE_HEADER, n);
    const cellsAt = SAVE_HEADER + n * (int32 ? 4 : 8);
    const cells = byteCells ? Int32Array.from(copy.subarray(cellsAt)) : new Int32Array(copy.buffer, cellsAt, n * stride);
    let capacity = 8;
    while (4 * n > 3 * capacity) capacity *= 2;
    this.keys = new Float64Array(capacity);
    this.cells = new Int32Array(capacity * stride);
    this.shift = 32 - Math.log2(capacity);
    for (let j = 0; j < n; j++) this.put(keys[j], cells, j * stride);
    this.size = n;
    this.bytes = this.footprint();
  }
}

/** Any values (strings, decimals, doubles, bytes by content) -> slot mask, or per-slot counts. */
export class ValueDistinct implements DistinctStore {
  private readonly map = new Map<unknown, number | number[]>();
  bytes = EMPTY_BYTES;

  constructor(readonly slots: number, readonly counting: boolean) {}

  get size(): number { return this.map.size; }

  add(v: unknown, mask: number, times = 1): number {
    if (mask === 0) return 0;
    const key = distinctKey(v);
    const e = this.map.get(key);
    if (!this.counting) {
      const seen = (e as number | undefined) ?? 0;
      if ((seen | mask) !== seen) {
        if (seen === 0) this.bytes += valueBytes(key);
        this.map.set(key, seen | mask);
      }
      return mask & ~seen;
    }
    let counts = e as number[] | undefined;
    if (counts === undefined) {
      counts = new Array<number>(this.slots).fill(0);
      this.map.set(key, counts);
      this.bytes += valueBytes(key) + 8 * this.slots;
    }
    let fresh = 0;
    for (let s = 0, m = mask; m !== 0; s++, m >>>= 1) {
      if ((m & 1) === 0) continue;
      if (counts[s] === 0) fresh |= 1 << s;
      counts[s] += times;
    }
    return fresh;
  }

  retract(v: unknown, mask: number): number {
    if (!this.counting) throw new Error('ValueDistinct: retraction on a store built for append-only input');
    const key = distinctKey(v);
    const counts = this.map.get(key) as number[] | undefined;
    if (counts === undefined) return 0;
    let lost = 0;
    for (let s = 0, m = mask; m !== 0; s++, m >>>= 1) {
      if ((m & 1) !== 0 && counts[s] > 0 && --counts[s] === 0) lost |= 1 << s;
    }
    if (lost !== 0 && counts.every((c) => c === 0)) {
      this.map.delete(key);
      this.bytes -= valueBytes(key) + 8 * this.slots;
    }
    return lost;
  }

  forEach(fn: (v: unknown, mask: number, count: (slot: number) => number) => void): void {
    for (const [k, e] of this.map) {
      if (typeof e === 'number') fn(k, e, () => 1);
      else fn(k, e.reduce((m, c, s) => (c > 0 ? m | (1 << s) : m), 0), (s) => e[s]);
    }
  }

  save(): unknown { return [...this.map]; }

  load(saved: unknown): void {
    this.map.clear();
    this.bytes = EMPTY_BYTES;
    for (const [k, e] of saved as [unknown, number | number[]][]) {
      this.map.set(k, e);
      this.bytes += valueBytes(k) + (typeof e === 'number' ? 0 : 8 * this.slots);
    }
  }
}

/**
 * One DISTINCT aggregate on its own (OVER aggregation): the inner accumulator sees a value when
 * it is first counted and loses it when its count returns to 0.
 */
export class DistinctAccumulator implements Accumulator {
  private readonly store = new ValueDistinct(1, true);
  constructor(private readonly inner: Accumulator) {}

  add(v: unknown): number {
    const b = this.store.bytes;
    const fresh = this.store.add(v, 1);
    return this.store.bytes - b + (fresh === 0 ? 0 : this.inner.add(v));
  }

  retract(v: unknown): number {
    const b = this.store.bytes;
    const lost = this.store.retract(v, 1);
    return this.store.bytes - b + (lost === 0 ? 0 : this.inner.retract(v));
  }

  merge(o: Accumulator): number {
    let d = 0;
    (o as DistinctAccumulator).store.forEach((v, _m, count) => {
      const b = this.store.bytes;
      if (this.store.add(v, 1, count(0)) !== 0) d += this.inner.add(v);
      d += this.store.bytes - b;
    });
    return d;
  }

  value(): unknown { return this.inner.value(); }
  save(): unknown { return [this.store.save(), this.inner.save()]; }
  load(s: unknown): void {
    const [store, inner] = s as [unknown, unknown];
    this.store.load(store);
    this.inner.load(inner);
  }
}
