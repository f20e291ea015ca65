import { describe, expect, test } from 'vitest';
import { GroupAggregateExec } from '../../src/operators/group-aggregate-exec.ts';
import type { GroupAggregateOptions } from '../../src/operators/group-aggregate-exec.ts';
import { batchFromRows } from '../../src/operators/batch.ts';
import { T } from '../../src/operators/types.ts';
import { RowKind } from '../../src/operators/row-kind.ts';
import type { ColumnDef } from '../../src/operators/arrow-types.ts';
import { ResourcesExhaustedError } from '../../src/operators/errors.ts';
import { batch, describe as show, END, run, wm } from './helpers.ts';
import type { StreamMessage } from '../../src/operators/message.ts';

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

describe('DISTINCT aggregates sharing a column (one counts map per group)', () => {
  // k, v, f1, f2 (+ $row_kind): COUNT(DISTINCT v) plain and under two FILTERs, SUM(DISTINCT v).
  const cols: ColumnDef[] = [
    { name: 'k', type: T.string() }, { name: 'v', type: T.bigint() }, { name: 'f1', type: T.boolean() }, { name: 'f2', type: T.boolean() },
    { name: '$row_kind', type: T.tinyint(false) },
  ];
  const aggs: GroupAggregateOptions['aggregates'] = [
    { fn: 'COUNT', arg: 1, distinct: true, name: 'd' }, { fn: 'COUNT', arg: 1, distinct: true, filter: 2, name: 'd1' },
    { fn: 'COUNT', arg: 1, distinct: true, filter: 3, name: 'd2' }, { fn: 'SUM', arg: 1, distinct: true, filter: 2, name: 's1' },
    { fn: 'COUNT_STAR', arg: null, name: 'n' },
  ];
  const exec = () => new GroupAggregateExec(cols, { groupKeys: [0], aggregates: aggs, stateBytesMax: 1 << 24, emit: 'per-batch' });
  const batchOf = (rows: unknown[][]) => batch(batchFromRows(cols.slice(0, 4), rows.map((r) => r.slice(0, 4)), rows.map((r) => r[4] as number)));

  /** Random inserts, and retractions of rows inserted before (with the same filter flags). */
  function workload(seed: number): unknown[][][] {
    let x = seed;
    const rnd = (n: number) => { x = (x * 1103515245 + 12345) % 2147483648; return x % n; };
    const live: unknown[][] = [];
    return Array.from({ length: 6 }, () => Array.from({ length: 200 }, () => {
      if (live.length > 0 && rnd(3) === 0) {
        const [row] = live.splice(rnd(live.length), 1);
        return [...row.slice(0, 4), D];
      }
      const row = [`g${rnd(3)}`, rnd(7) === 0 ? null : rnd(12), rnd(4) === 0 ? null : rnd(2) === 0, rnd(2) === 0];
      live.push(row);
      return [...row, I];
    }));
  }

  /** The expected final row per key from the rows still live. */
  function model(batches: unknown[][][]): string[] {
    const live = new Map<string, unknown[][]>();
    for (const rows of batches) for (const r of rows) {
      const list = live.get(r[0] as string) ?? [];
      if (r[4] === I) list.push(r);
      else list.splice(list.findIndex((l) => l.slice(0, 4).every((v, j) => v === r[j])), 1);
      live.set(r[0] as string, list);
    }
    return [...live].filter(([, l]) => l.length > 0).map(([k, l]) => {
      const distinct = (pred: (r: unknown[]) => boolean) => new Set(l.filter((r) => r[1] !== null && pred(r)).map((r) => r[1] as number));
      const s1 = distinct((r) => r[2] === true);
      return `${k}, ${distinct(() => true).size}, ${s1.size}, ${distinct((r) => r[3] === true).size}, ${s1.size === 0 ? null : [...s1].reduce((a, b) => a + b, 0)}, ${l.length}`;
    }).sort();
  }

  /** Final row per key of a changelog. */
  function finalRows(changelog: string[]): string[] {
    const rows = new Map<string, string>();
    for (const line of changelog) {
      const m = /^([+-][IUD])\[(.*)\]$/.exec(line) as RegExpExecArray;
      const key = m[2].split(', ')[0];
      if (m[1] === '+I' || m[1] === '+U') rows.set(key, m[2]);
      else if (m[1] === '-D') rows.delete(key);
    }
    return [...rows.values()].sort();
  }

  test.each([1, 2, 3])('matches a brute-force model under FILTERs and retractions (seed %i), also across snapshot/restore', (seed) => {
    const batches = workload(seed);
    expect(finalRows(show(run(exec(), batches.map(batchOf))))).toEqual(model(batches));
    const first = exec();
    const head = show(run(first, batches.slice(0, 3).map(batchOf)));
    const restored = exec();
    restored.restoreState(first.snapshotState());
    expect(finalRows([...head, ...show(run(restored, batches.slice(3).map(batchOf)))])).toEqual(model(batches));
  });

  test.each([4, 5])('the generated batch fold ends where the per-row changelog ends: NULLs, FILTERs, BOOLEAN arguments, retractions (seed %i)', (seed) => {
    const mixed: GroupAggregateOptions['aggregates'] = [
      { fn: 'COUNT', arg: 1, name: 'c' }, { fn: 'SUM', arg: 1, filter: 2, name: 's' }, { fn: 'MIN', arg: 1, filter: 3, name: 'lo' },
      { fn: 'MAX', arg: 1, name: 'hi' }, { fn: 'COUNT', arg: 2, distinct: true, name: 'db' }, { fn: 'COUNT', arg: 3, name: 'cb' },
      { fn: 'SUM', arg: 1, distinct: true, filter: 3, name: 'sd' }, { fn: 'COUNT_STAR', arg: null, filter: 2, name: 'n' },
    ];
    const batches = workload(seed);
    const perRow = new GroupAggregateExec(cols, { groupKeys: [0], aggregates: mixed, stateBytesMax: 1 << 24, emit: 'per-row' });
    const perBatch = new GroupAggregateExec(cols, { groupKeys: [0], aggregates: mixed, stateBytesMax: 1 << 24, emit: 'per-batch' });
    const expected = finalRows(show(run(perRow, batches.map(batchOf))));
    expect(expected.length).toBeGreaterThan(0);
    expect(finalRows(show(run(perBatch, batches.map(batchOf))))).toEqual(expected);
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

describe('GroupAggregateExec mini-batch buffering (allow-latency, size)', () => {
  const count = [{ fn: 'COUNT_STAR', arg: null, name: 'n' }] as const;
  const rowsOf = (cols: ColumnDef[], rows: unknown[][]) => batch(cols.length === 3
    ? batchFromRows(cols.slice(0, 2), rows.map((r) => r.slice(0, 2)), rows.map((r) => r[2] as number))
    : batchFromRows(cols, rows));
  /** A mini-batch operator on a test clock; `at(ms)` moves it. */
  const miniBatch = (cols: ColumnDef[], latencyMs: number, size: number) => {
    let now = 1000;
    const op = make(cols, [...count], { emit: 'per-batch', miniBatch: { latencyMs, size }, clock: () => now });
    return { op, at: (ms: number) => { now = ms; } };
  };

  test('flushes when size rows are buffered, one change per dirty key across batches', () => {
    const { op } = miniBatch(appendCols, 60_000, 4);
    expect(feed(op, appendCols, [[['a', 1], ['b', 1]], [['a', 1]]])).toEqual([]);
    expect(feed(op, appendCols, [[['a', 1], ['c', 1]]])).toEqual(['+I[a, 3]', '+I[b, 1]', '+I[c, 1]']);
    expect(feed(op, appendCols, [[['a', 1]], [['a', 1], ['b', 1]], [['d', 1]]])).toEqual(['-U[a, 3]', '+U[a, 5]', '-U[b, 1]', '+U[b, 2]', '+I[d, 1]']);
  });

  test('flushes by allow-latency on the processing-time timer, also with idle input', () => {
    const { op, at } = miniBatch(appendCols, 2000, 50_000);
    expect(feed(op, appendCols, [[['a', 1]]])).toEqual([]);
    at(2500);
    expect(feed(op, appendCols, [[['a', 1], ['b', 1]]])).toEqual([]); // 1.5 s since the first buffered row
    const out: StreamMessage[] = [];
    op.onProcessingTime(2999, out);
    expect(show(out)).toEqual([]);
    op.onProcessingTime(3000, out); // idle input: the timer alone flushes
    expect(show(out)).toEqual(['+I[a, 2]', '+I[b, 1]']);
    out.length = 0;
    op.onProcessingTime(100_000, out); // nothing buffered: nothing to emit
    expect(out).toEqual([]);
    at(200_000);
    feed(op, appendCols, [[['a', 1]]]);
    op.onProcessingTime(201_999, out);
    expect(show(out)).toEqual([]);
    op.onProcessingTime(202_000, out); // the latency counts from the first row after the flush
    expect(show(out)).toEqual(['-U[a, 2]', '+U[a, 3]']);
  });

  test('a watermark passes without a flush; a barrier flushes first, so the snapshot matches the output; restore resumes', () => {
    const { op } = miniBatch(appendCols, 60_000, 50_000);
    const first = show(run(op, [rowsOf(appendCols, [['a', 1], ['b', 1]]), wm(5), rowsOf(appendCols, [['a', 1]])]));
    expect(first).toEqual(['WM(5)']);
    expect(show(run(op, [{ kind: 'barrier', checkpointId: 1 }]))).toEqual(['+I[a, 2]', '+I[b, 1]', 'BARRIER(1)']);
    const snapshot = op.snapshotState();
    // The snapshot holds what was emitted: a restored operator continues from the same values.
    const { op: restored } = miniBatch(appendCols, 60_000, 50_000);
    restored.restoreState(snapshot);
    for (const o of [op, restored]) {
      expect(show(run(o, [rowsOf(appendCols, [['a', 1], ['c', 1]]), END]))).toEqual(['-U[a, 2]', '+U[a, 3]', '+I[c, 1]', 'END']);
    }
  });

  test('end of input flushes what is buffered', () => {
    const { op } = miniBatch(appendCols, 60_000, 50_000);
    expect(show(run(op, [rowsOf(appendCols, [['a', 1]]), rowsOf(appendCols, [['b', 1]]), END]))).toEqual(['+I[a, 1]', '+I[b, 1]', 'END']);
  });

  test('a key that changes and changes back within a mini-batch emits nothing; one deleted and re-added emits its net change', () => {
    const { op } = miniBatch(updatingCols, 60_000, 50_000);
    expect(show(run(op, [rowsOf(updatingCols, [['a', 1, I], ['b', 1, I]]), END]))).toEqual(['+I[a, 1]', '+I[b, 1]', 'END']);
    const { op: op2 } = miniBatch(updatingCols, 60_000, 50_000);
    op2.restoreState(op.snapshotState());
    expect(show(run(op2, [
      rowsOf(updatingCols, [['a', 1, I]]), rowsOf(updatingCols, [['a', 1, D]]), // a: 1 -> 2 -> 1
      rowsOf(updatingCols, [['b', 1, D]]), rowsOf(updatingCols, [['b', 1, I], ['b', 1, I]]), // b: 1 -> 0 -> 2
      rowsOf(updatingCols, [['c', 1, I]]), rowsOf(updatingCols, [['c', 1, D]]), // c: new, then gone
      { kind: 'barrier', checkpointId: 7 },
    ]))).toEqual(['-U[b, 1]', '+U[b, 2]', 'BARRIER(7)']);
    expect(show(run(op2, [rowsOf(updatingCols, [['b', 1, D], ['b', 1, D], ['a', 1, D]]), END]))).toEqual(['-D[b, 2]', '-D[a, 1]', 'END']);
    expect(op2.metrics().stateBytes).toBe(0);
  });

  test('mini-batch triggers must be positive', () => {
    expect(() => make(appendCols, [...count], { emit: 'per-batch', miniBatch: { latencyMs: 0, size: 10 } })).toThrow(/must be positive/);
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
