/**
 * Nexmark's random strings and prices, written as ASCII bytes so that generating an event makes
 * no JavaScript strings.
 *
 * Spec: nexmark/nexmark `generator/model/StringsGenerator.java` (`nextString`, `nextExactString`,
 * `nextExtra`) and `PriceGenerator.java` (`nextPrice`).
 */
import type { NexmarkRandom } from './random.ts';

/** Shortest random string before trimming (MIN_STRING_LENGTH). */
const STRING_LENGTH_MIN = 3;
const CHAR_A = 0x61;
const CHAR_SPACE = 0x20;

/** A growable byte buffer that strings of one batch are appended to; offsets index into it. */
export class ByteArena {
  bytes: Uint8Array;
  length = 0;

  constructor(capacityBytes = 64 * 1024) {
    this.bytes = new Uint8Array(capacityBytes);
  }

  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  reset(): void {
    this.length = 0;
  }
}

/**
 * Appends a random string of 3 to maxLength - 1 characters, each a lowercase letter or, one time
 * in 13, `special`; then trims surrounding spaces as Java's `trim()` does. Returns its length.
 */
export function appendNextString(random: NexmarkRandom, maxLength: number, special: number, arena: ArenaLike): number {
  let len = STRING_LENGTH_MIN + random.nextInt(maxLength - STRING_LENGTH_MIN);
  arena.reserve(len);
  const bytes = arena.bytes;
  const start = arena.length;
  let end = start;
  while (len-- > 0) bytes[end++] = random.nextInt(13) === 0 ? special : CHAR_A + random.nextInt(26);
  if (special === CHAR_SPACE) {
    let from = start;
    while (from < end && bytes[from] === CHAR_SPACE) from++;
    while (end > from && bytes[end - 1] === CHAR_SPACE) end--;
    if (from > start) bytes.copyWithin(start, from, end);
    end -= from - start;
  }
  arena.length = end;
  return end - start;
}

export interface ArenaLike {
  bytes: Uint8Array;
  length: number;
  reserve(n: number): void;
}

/**
 * The shared padding text (REUSABLE_EXTRA_STRING): `length` characters built six at a time from
 * a signed 32-bit draw, `'a' + rnd % 26` with Java's truncating `%` and `/`. Negative draws give
 * characters below 'a' (from 'H' to '`'), as in the reference.
 */
export function makeExtraPool(random: NexmarkRandom, length: number): Uint8Array {
  const pool = new Uint8Array(length);
  let rnd = 0;
  let left = 0;
  for (let i = 0; i < length; i++) {
    if (left === 0) {
      rnd = random.nextInt32();
      left = 6; // log_26(2^31)
    }
    pool[i] = CHAR_A + (rnd % 26);
    rnd = (rnd / 26) | 0;
    left--;
  }
  return pool;
}

export const EXTRA_POOL_BYTES = 1024 * 1024;

/**
 * `nextExtra`: the length of padding that brings an event of `currentSize` bytes to
 * `desiredAverageSize` on average (uniform within +-20%), 0 when it is already larger.
 */
export function nextExtraLength(random: NexmarkRandom, currentSize: number, desiredAverageSize: number): number {
  if (currentSize > desiredAverageSize) return 0;
  const wanted = desiredAverageSize - currentSize;
  const delta = Math.round(wanted * 0.2);
  return wanted - delta + (delta === 0 ? 0 : random.nextInt(2 * delta));
}

/** `nextExactString` over the pool: where a random window of `length` bytes starts. */
export function nextExtraStart(random: NexmarkRandom, length: number, poolBytes: number): number {
  return random.nextInt(poolBytes - length);
}

const LN_10_TIMES_6 = Math.LN10 * 6;

/** `nextPrice`: log-uniform cents from 100 to 10^8, round(10^(6u) * 100); exp is faster than pow. */
export function nextPrice(random: NexmarkRandom): number {
  return Math.round(Math.exp(random.nextDouble() * LN_10_TIMES_6) * 100);
}
