import { describe, expect, it } from 'vitest';
import { murmur2, partitionForKey } from '../../src/client/partitioner.ts';

describe('murmur2 partitioner', () => {
  // Values from the Java client's UtilsTest.testMurmur2.
  const cases: [string, number][] = [
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ];
  for (const [key, expected] of cases) {
    it(`murmur2('${key}') = ${expected}`, () => {
      expect(murmur2(Buffer.from(key))).toBe(expected);
    });
  }
  it('maps keys to a partition in range', () => {
    expect(partitionForKey(Buffer.from('foobar'), 3)).toBe((-790332482 & 0x7fffffff) % 3);
  });
});
