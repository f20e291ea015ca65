/**
 * A small, fast, seeded pseudo-random generator for the Nexmark generator: xoshiro128** (Blackman
 * and Vigna) over four 32-bit words, seeded through SplitMix32 so that any 32-bit seed gives a
 * well-mixed state. Nexmark's Java generator draws from an unseeded `SplittableRandom`; we need
 * the same kinds of draws (bounded ints, doubles in [0, 1)) but reproducible from `--seed`.
 *
 * Everything is 32-bit integer arithmetic on numbers, so a draw allocates nothing.
 *
 * @example
 *   const random = new NexmarkRandom(42);
 *   random.nextInt(6); // 0..5
 */
const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;
/** Bounds above this go through a 53-bit double so the product stays exact. */
const INT_BOUND_MAX = 2 ** 21;

/** One SplitMix32 step: the mixing function used only to expand a seed into state. */
function splitMix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export class NexmarkRandom {
  /** The four state words, in a typed array so updates stay untagged 32-bit integers. */
  private readonly s = new Int32Array(4);

  /** `seed` is any integer; only its low 32 bits and its high bits (when larger) matter. */
  constructor(seed: number) {
    let x = (seed | 0) ^ Math.floor(seed / TWO_POW_32);
    for (let i = 0; i < 4; i++) this.s[i] = x = splitMix32(x);
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1; // the all-zero state never moves
  }

  /** A uniform unsigned 32-bit integer. */
  nextUint32(): number {
    const s = this.s;
    const s1 = s[1];
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s[2] ^= s[0];
    s[3] ^= s1;
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** A uniform signed 32-bit integer, as Java's `nextInt()`. */
  nextInt32(): number {
    return this.nextUint32() | 0;
  }

  /** A uniform integer in [0, bound); `bound` is a positive integer. */
  nextInt(bound: number): number {
    if (bound <= INT_BOUND_MAX) return Math.floor((this.nextUint32() * bound) / TWO_POW_32);
    return Math.floor(this.nextDouble() * bound);
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  nextDouble(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / TWO_POW_53;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
