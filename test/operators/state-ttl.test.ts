import { describe, expect, test } from 'vitest';
import { StateTtl, stateTtl } from '../../src/operators/state/ttl.ts';
import { GroupAggregateExec } from '../../src/operators/group-aggregate-exec.ts';
import { batchFromRows } from '../../src/operators/batch.ts';
import { T } from '../../src/operators/types.ts';
import type { ColumnDef } from '../../src/operators/arrow-types.ts';
import { batch, describe as show, run } from './helpers.ts';

describe('StateTtl', () => {
  test('expires keys in last-write order, stops at the first live one, and counts them', () => {
    const ttl = new StateTtl<string>(100);
    ttl.touch('a', 0);
    ttl.touch('b', 50);
    ttl.touch('a', 60);
    const gone: string[] = [];
    expect(ttl.expire(155, (k) => gone.push(k))).toBe(1);
    expect(gone).toEqual(['b']);
    expect(ttl.expire(160, (k) => gone.push(k))).toBe(1);
    expect(gone).toEqual(['b', 'a']);
    expect(ttl.size).toBe(0);
    expect(ttl.expiredKeys).toBe(2);
  });

  test('save and load keep the order; forget stops tracking', () => {
    const a = new StateTtl<number>(10);
    a.touch(1, 0);
    a.touch(2, 5);
    a.forget(1);
    const b = new StateTtl<number>(10);
    b.load(a.save(), a.expiredKeys);
    const gone: number[] = [];
    b.expire(20, (k) => gone.push(k));
    expect(gone).toEqual([2]);
  });

  test('no TTL (null, 0) means no tracker; a negative TTL is refused', () => {
    expect(stateTtl(null)).toBeNull();
    expect(stateTtl(0)).toBeNull();
    expect(() => new StateTtl(-1)).toThrow(RangeError);
  });
});

describe('GroupAggregateExec with a state TTL', () => {
  const cols: ColumnDef[] = [{ name: 'k', type: T.string() }, { name: 'v', type: T.bigint() }];
  const rows = (...r: unknown[][]) => batch(batchFromRows(cols, r));

  for (const emit of ['per-row', 'per-batch'] as const) {
    test(`an idle key's group is dropped silently and starts again from its next row (${emit})`, () => {
      let now = 0;
      const op = new GroupAggregateExec(cols, { groupKeys: [0], aggregates: [{ fn: 'SUM', arg: 1, name: 's' }], stateBytesMax: 1 << 20, emit, stateTtlMs: 1000, clock: () => now });
      expect(show(run(op, [rows(['a', 1], ['b', 2])]))).toEqual(['+I[a, 1]', '+I[b, 2]']);
      now = 600;
      run(op, [rows(['b', 3])]);
      now = 1500;
      expect(show(run(op, [rows(['a', 5], ['b', 1])]))).toEqual(['+I[a, 5]', '-U[b, 5]', '+U[b, 6]']);
      const restored = new GroupAggregateExec(cols, { groupKeys: [0], aggregates: [{ fn: 'SUM', arg: 1, name: 's' }], stateBytesMax: 1 << 20, emit, stateTtlMs: 1000, clock: () => now });
      restored.restoreState(op.snapshotState());
      now = 2600;
      expect(show(run(restored, [rows(['b', 1])]))).toEqual(['+I[b, 1]']);
    });
  }
});
