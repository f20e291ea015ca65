import { describe, expect, it } from 'vitest';
import { ConsumeSession } from '../../src/cli/consume-session.ts';

const plans = [
  { partition: 0, from: 0n, until: 3n, committed: false },
  { partition: 1, from: 5n, until: 5n, committed: false },
  { partition: 2, from: 7n, until: null, committed: true },
];

describe('ConsumeSession', () => {
  it('is done when every assigned partition reaches its end', async () => {
    const s = new ConsumeSession(plans.slice(0, 2), null, null);
    expect(s.nothingToRead()).toBe(false);
    s.onAssigned([0, 1]);
    s.advance(0, 2n);
    expect(s.stopping).toBe(false);
    s.advance(0, 3n);
    expect(s.stopping).toBe(true);
    await s.done;
  });

  it('knows before joining that empty ranges have nothing to read', () => {
    expect(new ConsumeSession([plans[1]], null, null).nothingToRead()).toBe(true);
    expect(new ConsumeSession(plans, new Set([1]), null).nothingToRead()).toBe(true);
  });

  it('counts towards --max', () => {
    const s = new ConsumeSession(plans, null, 2);
    s.countPrinted();
    expect(s.reachedMax()).toBe(false);
    s.countPrinted();
    expect(s.reachedMax()).toBe(true);
  });

  it('seeks every assignment without commits, and only uncommitted first assignments with them', () => {
    const anonymous = new ConsumeSession(plans, null, null);
    expect(anonymous.seekTarget(0, false)).toBe(0n);
    anonymous.advance(0, 2n);
    expect(anonymous.seekTarget(0, false)).toBe(2n);

    const grouped = new ConsumeSession(plans, null, null);
    expect(grouped.seekTarget(0, true)).toBe(0n);
    expect(grouped.seekTarget(0, true)).toBe(null);
    expect(grouped.seekTarget(2, true)).toBe(null);
  });

  it('ignores partitions that were not asked for', () => {
    const s = new ConsumeSession(plans, new Set([0]), null);
    expect(s.seekTarget(2, false)).toBe(null);
    s.onAssigned([0, 2]);
    s.advance(0, 3n);
    expect(s.stopping).toBe(true);
  });
});
