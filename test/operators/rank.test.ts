import { describe, expect, test } from 'vitest';
import { RankExec } from '../../src/operators/rank-exec.ts';
import type { RankOptions } from '../../src/operators/rank-exec.ts';
import { DeduplicateExec } from '../../src/operators/deduplicate-exec.ts';
import { WindowRankExec } from '../../src/operators/window-rank-exec.ts';
import { batchFromRows } from '../../src/operators/batch.ts';
import { T } from '../../src/operators/types.ts';
import { RowKind } from '../../src/operators/row-kind.ts';
import type { ColumnDef } from '../../src/operators/arrow-types.ts';
import { ResourcesExhaustedError } from '../../src/operators/errors.ts';
import { END, batch, describe as show, run, wm } from './helpers.ts';

const { INSERT: I, UPDATE_BEFORE: UB, UPDATE_AFTER: UA, DELETE: D } = RowKind;
const cols: ColumnDef[] = [{ name: 'k', type: T.string() }, { name: 'price', type: T.bigint() }, { name: 'ts', type: T.timestamp(3) }];
const updating: ColumnDef[] = [...cols, { name: '$row_kind', type: T.tinyint(false) }];

const topN = (extra: Partial<RankOptions> = {}, input = cols): RankExec => new RankExec(input, {
  partitionKeys: [0], orderKeys: [{ column: 1, descending: true, nullsFirst: false }], fn: 'ROW_NUMBER',
  rankStart: 1, rankEnd: 2, rankColumn: 'rn', stateBytesMax: 1 << 20, ...extra,
});

const rows = (...r: unknown[][]) => batch(batchFromRows(cols, r));
const changes = (...r: unknown[][]) => batch(batchFromRows(cols, r.map((x) => x.slice(0, 3)), r.map((x) => x[3] as number)));

describe('RankExec over an append-only input', () => {
  test('ROW_NUMBER with the rank column: -U/+U per rank position that changes, +I for a new position', () => {
    const op = topN();
    expect(show(run(op, [rows(['a', 10, 1], ['a', 30, 2], ['b', 5, 3], ['a', 20, 4], ['a', 5, 5])]))).toEqual([
      '+I[a, 10, 1, 1]',
      '-U[a, 10, 1, 1]', '+U[a, 30, 2, 1]', '+I[a, 10, 1, 2]',
      '+I[b, 5, 3, 1]',
      '-U[a, 10, 1, 2]', '+U[a, 20, 4, 2]',
    ]);
    // Only the top 2 rows per partition are kept.
    expect(op.metrics().stateBytes).toBeGreaterThan(0);
  });

  test('without the rank column: -D for the row pushed out, +I for the one coming in; ties keep arrival order', () => {
    const op = topN({ rankColumn: null });
    expect(show(run(op, [rows(['a', 10, 1], ['a', 10, 2], ['a', 10, 3], ['a', 11, 4])]))).toEqual([
      '+I[a, 10, 1]', '+I[a, 10, 2]', '-D[a, 10, 2]', '+I[a, 11, 4]',
    ]);
  });

  test('RANK keeps ties beyond N rows; DENSE_RANK counts distinct values', () => {
    const rank = topN({ fn: 'RANK', rankColumn: null, orderKeys: [{ column: 1, descending: false, nullsFirst: true }] });
    expect(show(run(rank, [rows(['a', 1, 1], ['a', 1, 2], ['a', 2, 3])]))).toEqual(['+I[a, 1, 1]', '+I[a, 1, 2]']);
    const dense = topN({ fn: 'DENSE_RANK', orderKeys: [{ column: 1, descending: false, nullsFirst: true }] });
    expect(show(run(dense, [rows(['a', 1, 1], ['a', 1, 2], ['a', 2, 3], ['a', 3, 4])]))).toEqual(['+I[a, 1, 1, 1]', '+I[a, 1, 2, 1]', '+I[a, 2, 3, 2]']);
  });

  test('a snapshot restores into a fresh operator that continues identically', () => {
    const a = topN();
    run(a, [rows(['a', 10, 1], ['a', 30, 2])]);
    const b = topN();
    b.restoreState(a.snapshotState());
    const next = rows(['a', 20, 3]);
    expect(show(run(b, [next]))).toEqual(show(run(a, [next])));
    expect(b.metrics().stateBytes).toBe(a.metrics().stateBytes);
  });

  test('state TTL drops idle partitions without output; a later row starts afresh', () => {
    let now = 0;
    const op = topN({ stateTtlMs: 1000, clock: () => now });
    run(op, [rows(['a', 10, 1])]);
    now = 500;
    run(op, [rows(['b', 1, 2])]);
    now = 1200;
    expect(show(run(op, [rows(['a', 5, 3])]))).toEqual(['+I[a, 5, 3, 1]']);
    expect(op.expiredKeys).toBe(1);
  });

  test('stateBytesMax is enforced', () => {
    const op = topN({ stateBytesMax: 400 });
    expect(() => run(op, [rows(...Array.from({ length: 20 }, (_, i) => [`k${i}`, i, i]))])).toThrow(ResourcesExhaustedError);
  });
});

describe('RankExec for an upsert sink keyed by (partition, rank)', () => {
  test('updateBefore=false: +U per changed rank position without -U', () => {
    const op = topN({ updateBefore: false });
    expect(show(run(op, [rows(['a', 10, 1], ['a', 30, 2], ['a', 20, 4])]))).toEqual([
      '+I[a, 10, 1, 1]', '+U[a, 30, 2, 1]', '+I[a, 10, 1, 2]', '+U[a, 20, 4, 2]',
    ]);
  });
});

describe('RankExec over an updating input', () => {
  test('a retraction in the top N pulls the next row up; unknown retractions are ignored', () => {
    const op = topN({}, updating);
    expect(show(run(op, [changes(['a', 10, 1, I], ['a', 30, 2, I], ['a', 20, 3, I], ['a', 30, 2, UB], ['a', 25, 2, UA], ['a', 99, 9, D])]))).toEqual([
      '+I[a, 10, 1, 1]',
      '-U[a, 10, 1, 1]', '+U[a, 30, 2, 1]', '+I[a, 10, 1, 2]',
      '-U[a, 10, 1, 2]', '+U[a, 20, 3, 2]',
      '-U[a, 30, 2, 1]', '+U[a, 20, 3, 1]', '-U[a, 20, 3, 2]', '+U[a, 10, 1, 2]',
      '-U[a, 20, 3, 1]', '+U[a, 25, 2, 1]', '-U[a, 10, 1, 2]', '+U[a, 20, 3, 2]',
    ]);
    expect(op.retractionsIgnored).toBe(1);
    expect(show(run(op, [changes(['a', 25, 2, D], ['a', 20, 3, D], ['a', 10, 1, D])]))).toEqual([
      '-U[a, 25, 2, 1]', '+U[a, 20, 3, 1]', '-U[a, 20, 3, 2]', '+U[a, 10, 1, 2]',
      '-U[a, 20, 3, 1]', '+U[a, 10, 1, 1]', '-D[a, 10, 1, 2]',
      '-D[a, 10, 1, 1]',
    ]);
    expect(op.metrics().stateBytes).toBe(0);
  });
});

describe('DeduplicateExec', () => {
  const dedup = (keepLast: boolean, ttl?: { ms: number; clock: () => number }) => new DeduplicateExec(cols, {
    keys: [0], timeColumn: 2, keepLast, stateBytesMax: 1 << 20, ...(ttl === undefined ? {} : { stateTtlMs: ttl.ms, clock: ttl.clock }),
  });

  test('keep last: a row at or after the kept time replaces it (-U/+U); an older row changes nothing', () => {
    expect(show(run(dedup(true), [rows(['a', 1, 10], ['a', 2, 10], ['a', 3, 5], ['b', 4, 1], ['a', 5, 11])]))).toEqual([
      '+I[a, 1, 10]', '-U[a, 1, 10]', '+U[a, 2, 10]', '+I[b, 4, 1]', '-U[a, 2, 10]', '+U[a, 5, 11]',
    ]);
  });

  test('keep last for an upsert sink (updateBefore=false): +U without -U, and only the time is stored', () => {
    const upsert = new DeduplicateExec(cols, { keys: [0], timeColumn: 2, keepLast: true, stateBytesMax: 1 << 20, updateBefore: false });
    const full = dedup(true);
    const input = [rows(['a', 1, 10], ['a', 2, 10], ['a', 3, 5], ['b', 4, 1], ['a', 5, 11])];
    expect(show(run(upsert, input))).toEqual(['+I[a, 1, 10]', '+U[a, 2, 10]', '+I[b, 4, 1]', '+U[a, 5, 11]']);
    run(full, input);
    expect(upsert.metrics().stateBytes).toBeLessThan(full.metrics().stateBytes);
  });

  test('keep first: the earliest row per key, emitted once the watermark passes it (append-only)', () => {
    const op = dedup(false);
    expect(show(run(op, [rows(['a', 1, 10], ['a', 2, 8], ['b', 3, 20]), wm(9), rows(['a', 4, 9]), wm(10), rows(['a', 5, 1], ['c', 6, 2]), wm(30), END]))).toEqual([
      '+I[a, 2, 8]', 'WM(9)', 'WM(10)', '+I[c, 6, 2]', '+I[b, 3, 20]', 'WM(30)', 'END',
    ]);
    expect(op.outputColumns.map((c) => c.name)).toEqual(['k', 'price', 'ts']);
  });

  test('snapshot and restore keep pending rows and emitted keys', () => {
    const a = dedup(false);
    run(a, [rows(['a', 1, 10], ['b', 2, 3]), wm(5)]);
    const b = dedup(false);
    b.restoreState(a.snapshotState());
    expect(show(run(b, [rows(['b', 7, 4], ['a', 8, 11]), wm(20)]))).toEqual(['+I[a, 1, 10]', 'WM(20)']);
  });

  test('state TTL forgets a key: its next row counts as a first row again', () => {
    let now = 0;
    const op = dedup(false, { ms: 100, clock: () => now });
    run(op, [rows(['a', 1, 1]), wm(5)]);
    now = 200;
    expect(show(run(op, [rows(['a', 2, 6]), wm(10)]))).toEqual(['+I[a, 2, 6]', 'WM(10)']);
  });
});

describe('WindowRankExec', () => {
  const wcols: ColumnDef[] = [{ name: 'k', type: T.string() }, { name: 'price', type: T.bigint() }, { name: 'window_end', type: T.timestamp(3, false) }];
  test('top N per window emitted when the watermark reaches window_end - 1; late rows are counted and dropped', () => {
    const op = new WindowRankExec(wcols, {
      partitionKeys: [2], orderKeys: [{ column: 1, descending: true, nullsFirst: false }], fn: 'ROW_NUMBER', rankStart: 1, rankEnd: 2,
      rankColumn: 'rn', endColumn: 2, stateBytesMax: 1 << 20,
    });
    const b = (...r: unknown[][]) => batch(batchFromRows(wcols, r));
    expect(show(run(op, [b(['a', 1, 10], ['b', 3, 10], ['c', 2, 10], ['d', 9, 20]), wm(8), wm(9), b(['e', 50, 10], ['f', 1, 20]), wm(30)]))).toEqual([
      'WM(8)', '+I[b, 3, 10, 1]', '+I[c, 2, 10, 2]', 'WM(9)', '+I[d, 9, 20, 1]', '+I[f, 1, 20, 2]', 'WM(30)',
    ]);
    expect(op.metrics().lateRecordsDropped).toBe(1);
    expect(op.metrics().stateBytes).toBe(0);
  });
});
