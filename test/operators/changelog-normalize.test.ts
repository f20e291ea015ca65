import { describe, expect, test } from 'vitest';
import { ChangelogNormalizeExec } from '../../src/operators/changelog-normalize-exec.ts';
import { batchFromRows } from '../../src/operators/batch.ts';
import { T } from '../../src/operators/types.ts';
import { RowKind } from '../../src/operators/row-kind.ts';
import type { ColumnDef } from '../../src/operators/arrow-types.ts';
import { InvalidPlanError, ResourcesExhaustedError } from '../../src/operators/errors.ts';
import { END, batch, describe as show, run, wm } from './helpers.ts';

const { UPDATE_BEFORE: UB, UPDATE_AFTER: UA, DELETE: D, INSERT: I } = RowKind;
// A product table keyed by `id`; tombstones give the key and NULL elsewhere.
const cols: ColumnDef[] = [{ name: 'id', type: T.bigint(false) }, { name: 'name', type: T.string() }, { name: 'price', type: T.double() }];
const upserts = (...r: unknown[][]) => batch(batchFromRows(cols, r.map((x) => x.slice(0, 3)), r.map((x) => x[3] as number)));
const plain = (...r: unknown[][]) => batch(batchFromRows(cols, r));
const normalize = (extra: { ttl?: { ms: number; clock: () => number }; stateBytesMax?: number } = {}) => new ChangelogNormalizeExec(
  [...cols, { name: '$row_kind', type: T.tinyint(false) }],
  { keys: [0], stateBytesMax: extra.stateBytesMax ?? 1 << 20, ...(extra.ttl === undefined ? {} : { stateTtlMs: extra.ttl.ms, clock: extra.ttl.clock }) },
);

describe('ChangelogNormalizeExec', () => {
  test('first upsert of a key is +I, a changed row -U old/+U new, an identical row nothing', () => {
    const op = normalize();
    expect(show(run(op, [upserts([1, 'pen', 2.5, UA], [2, 'ink', 9, UA], [1, 'pen', 3, UA], [1, 'pen', 3, UA], [2, 'ink', 9, I])]))).toEqual([
      '+I[1, pen, 2.5]', '+I[2, ink, 9]', '-U[1, pen, 2.5]', '+U[1, pen, 3]',
    ]);
    expect(op.outputColumns.map((c) => c.name)).toEqual(['id', 'name', 'price', '$row_kind']);
  });

  test('a delete retracts the whole stored row; a delete of an unknown key emits nothing; -U is ignored', () => {
    const op = normalize();
    expect(show(run(op, [
      upserts([1, 'pen', 2.5, UA], [1, null, null, D], [1, null, null, D], [7, null, null, D], [3, 'cap', 1, UB], [1, 'pen', 4, UA]),
    ]))).toEqual(['+I[1, pen, 2.5]', '-D[1, pen, 2.5]', '+I[1, pen, 4]']);
    expect(op.ignoredDeletes).toBe(2);
    // Only key 1 is kept.
    const one = op.metrics().stateBytes;
    run(op, [upserts([1, null, null, D])]);
    expect(op.metrics().stateBytes).toBe(0);
    expect(one).toBeGreaterThan(0);
  });

  test('an input without $row_kind is all upserts; a NULL key is dropped', () => {
    const op = new ChangelogNormalizeExec(cols, { keys: [0], stateBytesMax: 1 << 20 });
    const nullable: ColumnDef[] = [{ name: 'id', type: T.bigint() }, cols[1], cols[2]];
    const n = new ChangelogNormalizeExec(nullable, { keys: [0], stateBytesMax: 1 << 20 });
    expect(show(run(op, [plain([1, 'a', 1], [1, 'b', 1])]))).toEqual(['+I[1, a, 1]', '-U[1, a, 1]', '+U[1, b, 1]']);
    expect(show(run(n, [batch(batchFromRows(nullable, [[null, 'a', 1], [2, 'b', 1]]))]))).toEqual(['+I[2, b, 1]']);
  });

  test('outputTypes give the table\'s declared types back (a source made columns nullable for its -D rows)', () => {
    const op = new ChangelogNormalizeExec([...cols, { name: '$row_kind', type: T.tinyint(false) }], { keys: [0], stateBytesMax: 1 << 20, outputTypes: [T.bigint(false), T.string(false), T.double(false)] });
    expect(op.outputColumns.map((c) => c.type.nullable)).toEqual([false, false, false, false]);
    expect(show(run(op, [upserts([1, 'pen', 2.5, UA], [1, null, null, D])]))).toEqual(['+I[1, pen, 2.5]', '-D[1, pen, 2.5]']);
    expect(() => new ChangelogNormalizeExec(cols, { keys: [0], stateBytesMax: 1, outputTypes: [T.bigint(false)] })).toThrow(/1 output types for 3 columns/);
  });

  test('a composite key keeps one row per combination', () => {
    const two: ColumnDef[] = [{ name: 'a', type: T.string(false) }, { name: 'b', type: T.int(false) }, { name: 'v', type: T.int() }];
    const op = new ChangelogNormalizeExec(two, { keys: [0, 1], stateBytesMax: 1 << 20 });
    expect(show(run(op, [batch(batchFromRows(two, [['x', 1, 1], ['x', 2, 1], ['x', 1, 5]]))]))).toEqual([
      '+I[x, 1, 1]', '+I[x, 2, 1]', '-U[x, 1, 1]', '+U[x, 1, 5]',
    ]);
  });

  test('snapshot and restore keep every key\'s row: an update after restore retracts the row from before', () => {
    const a = normalize();
    run(a, [upserts([1, 'pen', 2.5, UA], [2, 'ink', 9, UA]), wm(10)]);
    const b = normalize();
    b.restoreState(a.snapshotState());
    expect(b.metrics().stateBytes).toBe(a.metrics().stateBytes);
    expect(show(run(b, [upserts([1, 'pen', 3, UA], [2, null, null, D]), wm(20), END]))).toEqual([
      '-U[1, pen, 2.5]', '+U[1, pen, 3]', '-D[2, ink, 9]', 'WM(20)', 'END',
    ]);
  });

  test('state TTL forgets a key: its next upsert is an insert again, its delete nothing', () => {
    let now = 0;
    const op = normalize({ ttl: { ms: 100, clock: () => now } });
    run(op, [upserts([1, 'pen', 2.5, UA], [2, 'ink', 9, UA])]);
    now = 50;
    run(op, [upserts([2, 'ink', 9, UA])]);
    now = 120;
    expect(show(run(op, [upserts([1, 'pen', 3, UA], [2, 'ink', 10, UA])]))).toEqual(['+I[1, pen, 3]', '-U[2, ink, 9]', '+U[2, ink, 10]']);
    now = 400;
    expect(show(run(op, [upserts([1, null, null, D])]))).toEqual([]);
    expect(op.expiredKeys).toBe(3);
  });

  test('state over stateBytesMax fails with the setting to change; bad plans are refused', () => {
    const op = normalize({ stateBytesMax: 500 });
    expect(() => run(op, [upserts(...Array.from({ length: 20 }, (_, i) => [i, 'x', 1, UA]))])).toThrow(ResourcesExhaustedError);
    expect(() => new ChangelogNormalizeExec(cols, { keys: [], stateBytesMax: 1 })).toThrow(InvalidPlanError);
    expect(() => new ChangelogNormalizeExec(cols, { keys: [5], stateBytesMax: 1 })).toThrow(/key/);
    expect(normalize().display()).toBe('ChangelogNormalizeExec: key=[id] stateBytesMax=1048576');
  });
});
