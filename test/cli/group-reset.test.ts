import { describe, expect, it } from 'vitest';
import { newOffset, parseScenario, parseTopicScope } from '../../src/cli/group-reset.ts';
import { planPartitions } from '../../src/cli/consume-plan.ts';
import { parseOffsetSpec } from '../../src/cli/offset-spec.ts';

const P = { low: 5n, high: 50n, current: 20n, atTimestamp: 30n };

describe('reset-offsets', () => {
  it('computes new offsets within the log', () => {
    expect(newOffset(parseScenario({ toEarliest: true }), P)).toBe(5n);
    expect(newOffset(parseScenario({ toLatest: true }), P)).toBe(50n);
    expect(newOffset(parseScenario({ toOffset: '7' }), P)).toBe(7n);
    expect(newOffset(parseScenario({ toOffset: '70' }), P)).toBe(50n);
    expect(newOffset(parseScenario({ toOffset: '0' }), P)).toBe(5n);
    expect(newOffset(parseScenario({ toDatetime: '2024-05-01' }), P)).toBe(30n);
    expect(newOffset(parseScenario({ shiftBy: '-3' }), P)).toBe(17n);
    expect(newOffset(parseScenario({ shiftBy: '+100' }), P)).toBe(50n);
  });

  it('needs exactly one scenario', () => {
    expect(() => parseScenario({})).toThrow(/choose --to-earliest/);
    expect(() => parseScenario({ toEarliest: true, toLatest: true })).toThrow(/choose only one of/);
    expect(() => parseScenario({ toOffset: '-1' })).toThrow(/expected an offset/);
    expect(() => parseScenario({ toDatetime: 'tuesday' })).toThrow(/--to-datetime tuesday/);
  });

  it('parses topic scopes', () => {
    expect(parseTopicScope('orders')).toEqual({ topic: 'orders', partitions: null });
    expect(parseTopicScope('orders:0,2')).toEqual({ topic: 'orders', partitions: [0, 2] });
    expect(() => parseTopicScope('orders:x')).toThrow(/not a partition number/);
  });
});

describe('planPartitions', () => {
  const inputs = {
    watermarks: new Map([
      [0, { low: 0n, high: 10n }],
      [1, { low: 0n, high: 0n }],
    ]),
    byTimestamp: new Map(),
    committed: new Map([[0, 4n]]),
  };

  it('lets a committed offset win the start and -e cap the end', () => {
    expect(planPartitions(parseOffsetSpec('start'), inputs, true)).toEqual([
      { partition: 0, from: 4n, until: 10n, committed: true },
      { partition: 1, from: 0n, until: 0n, committed: false },
    ]);
    expect(planPartitions(parseOffsetSpec('-2'), { ...inputs, committed: new Map() }, false)).toEqual([
      { partition: 0, from: 8n, until: null, committed: false },
      { partition: 1, from: 0n, until: null, committed: false },
    ]);
  });
});
