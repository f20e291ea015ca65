import { describe, expect, test } from 'vitest';
import { GroupAggregateExec } from '../../src/operators/group-aggregate-exec.ts';
import type { GroupAggregateOptions } from '../../src/operators/group-aggregate-exec.ts';
import { batchFromRows } from '../../src/operators/batch.ts';
import { T } from '../../src/operators/types.ts';
import { RowKind } from '../../src/operators/row-kind.ts';
import type { ColumnDef } from '../../src/operators/arrow-types.ts';
import { ResourcesExhaustedError } from '../../src/operators/errors.ts';
import { batch, describe as show, run } from './helpers.ts';

const { INSERT: I, UPDATE_BEFORE: UB, UPDATE_AFTER: UA, DELETE: D } = RowKind;
const appendCols: ColumnDef[] = [{ name: 'k', type: T.string() }, { name: 'v', type: T.bigint() }];
const updatingCols: ColumnDef[] = [...appendCols, { name: '$row_kind', type: T.tinyint(false) }];

const make = (cols: ColumnDef[], aggregates: GroupAggregateOptions['aggregates'], extra: Partial<GroupAggregateOptions> = {}): GroupAggregateExec =>
  new GroupAggregateExec(cols, { groupKeys: [0], aggregates, stateBytesMax: 1 << 20, ...extra });

/** Feeds rows ([k, v] or [k, v, kind]) one batch per inner array. */
function feed(op: GroupAggregateExec, cols: ColumnDef[], batches: unknown[][][]): string[] {
  const updating = cols.length === 3;
  return show(run(op, batches.map((rows) => batch(updating
    ? batchFromRows(cols.slice(0, 2), rows.map((r) => r.slice(0, 2)), rows.map((r) => r[2] as number))
    : batchFromRows(cols, rows)))));
}

describe('GroupAggregateExec changelog (per-row, Flink default)', () => {
  test('inserts: +I for a new key, -U/+U when the value changes, nothing when it does not', () => {
    const op = make(appendCols, [{ fn: 'COUNT_STAR', arg: null, name: 'n' }, { fn: 'MAX', arg: 1, name: 'hi' }]);
    expect(feed(op, appendCols, [[['a', 1], ['b', 5], ['a', 3]], [['a', 2]]])).toEqual([
      '+I[a, 1, 1]', '+I[b, 1, 5]', '-U[a, 1, 1]', '+U[a, 2, 3]',
      '-U[a, 2, 3]', '+U[a, 3, 3]',
    ]);
    const maxOnly = make(appendCols, [{ fn: 'MAX', arg: 1, name: 'hi' }]);
    expect(feed(maxOnly, appendCols, [[['a', 5], ['a', 3]]])).toEqual(['+I[a, 5]']);
  });

  test('retractions: -D when the count returns to zero', () => {
    const op = make(updatingCols, [{ fn: 'SUM', arg: 1, name: 's' }]);
    expect(feed(op, updatingCols, [[['a', 1, I], ['a', 2, I], ['a', 1, UB], ['a', 2, D]]])).toEqual([
      '+I[a, 1]', '-U[a, 1]', '+U[a, 3]', '-U[a, 3]', '+U[a, 2]', '-D[a, 2]',
    ]);
    expect(op.metrics().stateBytes).toBe(0);
  });

  test('MIN/MAX stay correct when the extremum is retracted (value multisets)', () => {
    const op = make(updatingCols, [{ fn: 'MIN', arg: 1, name: 'lo' }, { fn: 'MAX', arg: 1, name: 'hi' }]);
    expect(feed(op, updatingCols, [[
      ['a', 5, I], ['a', 1, I], ['a', 9, I], ['a', 1, I], // duplicates of the minimum
      ['a', 1, D],                                          // one 1 left: unchanged
      ['a', 1, D],                                          // min falls back to 5
      ['a', 9, UB], ['a', 7, UA],                           // max 9 -> 7
    ]])).toEqual([
      '+I[a, 5, 5]', '-U[a, 5, 5]', '+U[a, 1, 5]', '-U[a, 1, 5]', '+U[a, 1, 9]',
      '-U[a, 1, 9]', '+U[a, 5, 9]',
      '-U[a, 5, 9]', '+U[a, 5, 5]', '-U[a, 5, 5]', '+U[a, 5, 7]',
    ]);
  });

  test('COUNT(DISTINCT) under retraction', () => {
    const op = make(updatingCols, [{ fn: 'COUNT', arg: 1, distinct: true, name: 'd' }]);
    expect(feed(op, updatingCols, [[['a', 1, I], ['a', 1, I], ['a', 2, I], ['a', 1, D], ['a', 1, D]]])).toEqual([
      '+I[a, 1]', '-U[a, 1]', '+U[a, 2]', '-U[a, 2]', '+U[a, 1]',
    ]);
  });

  test('FILTER (WHERE ...) on any aggregate', () => {
    const cols: ColumnDef[] = [...appendCols, { name: 'f', type: T.boolean() }];
    const op = new GroupAggregateExec(cols, {
      groupKeys: [0], stateBytesMax: 1 << 20,
      aggregates: [{ fn: 'COUNT_STAR', arg: null, name: 'all' }, { fn: 'COUNT_STAR', arg: null, filter: 2, name: 'some' }, { fn: 'SUM', arg: 1, filter: 2, name: 's' }],
    });
    const out = run(op, [batch(batchFromRows(cols, [['a', 1, true], ['a', 2, false], ['a', 4, null]]))]);
    expect(show(out).at(-1)).toBe('+U[a, 3, 1, 1]');
  });

  test('a retraction for an unknown key is ignored and counted', () => {
    const op = make(updatingCols, [{ fn: 'COUNT_STAR', arg: null, name: 'n' }]);
    expect(feed(op, updatingCols, [[['z', 1, D]]])).toEqual([]);
    expect(op.retractionsIgnored).toBe(1);
  });

  test('NULL keys group together; SUM/AVG ignore NULL values', () => {
    const op = make(appendCols, [{ fn: 'SUM', arg: 1, name: 's' }, { fn: 'AVG', arg: 1, name: 'a' }, { fn: 'COUNT', arg: 1, name: 'c' }]);
    expect(feed(op, appendCols, [[[null, null], [null, 3], ['x', 4]]])).toEqual([
      '+I[null, null, null, 0]', '-U[null, null, null, 0]', '+U[null, 3, 3, 1]', '+I[x, 4, 4, 1]',
    ]);
  });

  test('FIRST_VALUE / LAST_VALUE with retraction', () => {
    const op = make(updatingCols, [{ fn: 'FIRST_VALUE', arg: 1, name: 'f' }, { fn: 'LAST_VALUE', arg: 1, name: 'l' }]);
    expect(feed(op, updatingCols, [[['a', 1, I], ['a', 2, I], ['a', 3, I], ['a', 1, D], ['a', 3, D]]]).slice(-2)).toEqual(['-U[a, 2, 3]', '+U[a, 2, 2]']);
  });
});

describe('GroupAggregateExec per-batch (mini-batch) mode', () => {
  test('one change per key per batch', () => {
    const op = make(appendCols, [{ fn: 'COUNT_STAR', arg: null, name: 'n' }], { emit: 'per-batch' });
    expect(feed(op, appendCols, [[['a', 1], ['a', 1], ['b', 1]], [['a', 1]]])).toEqual([
      '+I[a, 2]', '+I[b, 1]', '-U[a, 2]', '+U[a, 3]',
    ]);
  });
  test('a key inserted and deleted in one batch emits nothing', () => {
    const op = make(updatingCols, [{ fn: 'COUNT_STAR', arg: null, name: 'n' }], { emit: 'per-batch' });
    expect(feed(op, updatingCols, [[['a', 1, I], ['a', 1, D]]])).toEqual([]);
  });
});

describe('GroupAggregateExec state', () => {
  test('stateBytesMax fails with ResourcesExhaustedError naming the operator', () => {
    const op = make(appendCols, [{ fn: 'COUNT_STAR', arg: null, name: 'n' }], { stateBytesMax: 2000 });
    const rows = Array.from({ length: 100 }, (_, i) => [`key-${i}`, i]);
    let err: unknown;
    try { feed(op, appendCols, [rows]); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(ResourcesExhaustedError);
    expect((err as ResourcesExhaustedError).operator).toBe('GroupAggregateExec');
    expect((err as Error).message).toMatch(/stateBytesMax=2000/);
  });

  test('snapshot/restore: the restored operator continues the same changelog', () => {
    const aggs: GroupAggregateOptions['aggregates'] = [
      { fn: 'MIN', arg: 1, name: 'lo' }, { fn: 'COUNT', arg: 1, distinct: true, name: 'd' }, { fn: 'AVG', arg: 1, name: 'avg' },
    ];
    const batches = [[['a', 5, I], ['b', 1, I], ['a', 2, I]], [['a', 2, D], ['b', 1, UB], ['b', 4, UA]], [['a', 9, I]]];
    const full = feed(make(updatingCols, aggs), updatingCols, batches);
    const first = make(updatingCols, aggs);
    const head = feed(first, updatingCols, batches.slice(0, 1));
    const restored = make(updatingCols, aggs);
    restored.restoreState(first.snapshotState());
    expect([...head, ...feed(restored, updatingCols, batches.slice(1))]).toEqual(full);
  });

  test('display names the modes', () => {
    expect(make(updatingCols, [{ fn: 'COUNT_STAR', arg: null, name: 'n' }]).display())
      .toBe('GroupAggregateExec: keys=[k] aggs=[COUNT(*) AS n] mode=Single input=updating emit=per-row changelog=retract stateBytesMax=1048576');
  });
});
