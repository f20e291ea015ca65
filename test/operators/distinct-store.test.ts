import { describe, expect, test } from 'vitest';
import { NumberDistinct, ValueDistinct } from '../../src/operators/aggregates/index.ts';
import type { DistinctStore } from '../../src/operators/aggregates/index.ts';
import { decodeState, encodeState } from '../../src/operators/state/codec.ts';

/** Value -> per-slot counts, the obvious way. */
class Model {
  readonly counts = new Map<unknown, number[]>();
  constructor(private readonly slots: number) {}
  add(v: unknown, mask: number): number {
    const c = this.counts.get(v) ?? new Array<number>(this.slots).fill(0);
    this.counts.set(v, c);
    let fresh = 0;
    for (let s = 0; s < this.slots; s++) if ((mask & (1 << s)) !== 0 && c[s]++ === 0) fresh |= 1 << s;
    return fresh;
  }
  retract(v: unknown, mask: number): number {
    const c = this.counts.get(v);
    if (c === undefined) return 0;
    let lost = 0;
    for (let s = 0; s < this.slots; s++) if ((mask & (1 << s)) !== 0 && c[s] > 0 && --c[s] === 0) lost |= 1 << s;
    if (c.every((x) => x === 0)) this.counts.delete(v);
    return lost;
  }
  /** value -> mask of slots that see it */
  view(): Map<unknown, number> {
    return new Map([...this.counts].map(([v, c]) => [v, c.reduce((m, x, s) => (x > 0 ? m | (1 << s) : m), 0)]));
  }
}

function view(store: DistinctStore): Map<unknown, number> {
  const m = new Map<unknown, number>();
  store.forEach((v, mask) => m.set(v, mask));
  return m;
}

/** A snapshot round trip through the operators' codec. */
function roundTrip<S extends DistinctStore>(store: S, fresh: S): S {
  fresh.load((decodeState(encodeState({ s: store.save() })) as { s: unknown }).s);
  return fresh;
}

describe('distinct stores', () => {
  // Values: small ids (one probe run), ids past 2^32 and negatives (the high word hashed in).
  const pick = (rnd: () => number): number => {
    const r = rnd() % 10;
    if (r < 6) return 1000 + (rnd() % 300);
    if (r < 8) return 2 ** 40 + (rnd() % 50) * 2 ** 33;
    return -(rnd() % 40);
  };

  test.each([1, 2, 3, 4])('NumberDistinct with counts matches the model under add/retract, growth, removal and snapshots (seed %i)', (seed) => {
    let x = seed;
    const rnd = (): number => { x = (x * 1103515245 + 12345) % 2147483648; return x; };
    let store = new NumberDistinct(3, true);
    const model = new Model(3);
    const live: [number, number][] = [];
    for (let step = 0; step < 20_000; step++) {
      if (live.length > 0 && rnd() % 5 < 2) {
        const [v, mask] = live.splice(rnd() % live.length, 1)[0];
        expect(store.retract(v, mask)).toBe(model.retract(v, mask));
      } else {
        const v = pick(rnd), mask = 1 + (rnd() % 7);
        live.push([v, mask]);
        expect(store.add(v, mask)).toBe(model.add(v, mask));
      }
      if (step % 5000 === 4999) store = roundTrip(store, new NumberDistinct(3, true));
    }
    expect(view(store)).toEqual(model.view());
    expect(store.size).toBe(model.counts.size);
    // Retracting everything empties the table (and shrinks it back).
    for (const [v, mask] of live) store.retract(v, mask);
    expect(store.size).toBe(0);
    expect(view(store).size).toBe(0);
    expect(store.bytes).toBe(new NumberDistinct(3, true).bytes);
  });

  test('append-only stores keep a bitmask: the slots that see a value for the first time', () => {
    for (const store of [new NumberDistinct(4, false), new ValueDistinct(4, false)]) {
      expect(store.add(7, 0b0101)).toBe(0b0101);
      expect(store.add(7, 0b0011)).toBe(0b0010);
      expect(store.add(7, 0b0111)).toBe(0);
      expect(store.add(8, 0)).toBe(0);
      expect(store.size).toBe(1);
      expect(() => store.retract(7, 1)).toThrow(/append-only/);
    }
    // Snapshots pack int32 keys and byte masks, or float64 keys and int32 masks (wide sets).
    for (const [slots, values] of [[4, [1, -5, 2 ** 31 - 1]], [4, [1, 2 ** 40, -(2 ** 35)]], [20, [3, 2 ** 45]]] as const) {
      const store = new NumberDistinct(slots, false);
      values.forEach((v, i) => store.add(v, 1 << (i + slots - 3)));
      const restored = roundTrip(store, new NumberDistinct(slots, false));
      expect(view(restored)).toEqual(view(store));
      expect(restored.add(values[0], 1)).toBe(1);
    }
  });

  test('ValueDistinct keeps strings, bytes by content and doubles (NaN, -0) as SQL DISTINCT does', () => {
    const store = new ValueDistinct(2, true);
    expect(store.add('a', 0b11)).toBe(0b11);
    expect(store.add(new Uint8Array([1, 2]), 0b01)).toBe(0b01);
    expect(store.add(new Uint8Array([1, 2]), 0b01)).toBe(0);
    expect(store.add(NaN, 0b10)).toBe(0b10);
    expect(store.add(NaN, 0b10)).toBe(0);
    expect(store.add(-0, 0b01)).toBe(0b01);
    expect(store.add(0, 0b01)).toBe(0);
    const restored = roundTrip(store, new ValueDistinct(2, true));
    expect(restored.retract(new Uint8Array([1, 2]), 0b01)).toBe(0);
    expect(restored.retract(new Uint8Array([1, 2]), 0b01)).toBe(0b01);
    expect(restored.retract('a', 0b10)).toBe(0b10);
    expect(view(restored)).toEqual(new Map<unknown, number>([['a', 0b01], [NaN, 0b10], [0, 0b01]]));
  });
});
