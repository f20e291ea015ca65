import { describe, expect, test } from 'vitest';
import { decodeState, encodeState } from '../../src/operators/state/codec.ts';

describe('operator state codec', () => {
  test('plain JSON values round-trip (the fast path without a replacer)', () => {
    const v = { v: 1, groups: [['k', [1, 'a', null], 3, null, [[[[1, 2], [3, 4]], 2], 'x']]], wm: -5.5 };
    expect(decodeState(encodeState(v))).toEqual(v);
  });

  test.each<[string, unknown]>([
    ['a bigint deep inside arrays', { groups: [[1, [2, [3n * 10n ** 30n]]]] }],
    ['non-finite numbers', { wm: -Infinity, xs: [1, Infinity, 2] }],
    ['bytes', { keys: [[new Uint8Array([0, 255, 7])]] }],
    ['a bigint as an object property', { a: { b: { c: -42n } } }],
  ])('%s round-trip through the tagged path', (_name, v) => {
    expect(decodeState(encodeState(v))).toEqual(v);
  });

  test('NaN survives (plain JSON would write null)', () => {
    expect(Number.isNaN((decodeState(encodeState({ x: [NaN] })) as { x: number[] }).x[0])).toBe(true);
  });
});
