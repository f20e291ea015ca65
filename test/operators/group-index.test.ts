import { describe, expect, test } from 'vitest';
import { Utf8Interner } from '../../src/operators/utf8-intern.ts';
import { readColumn, toArrowData } from '../../src/operators/column.ts';
import { columnFromValues } from '../../src/operators/batch.ts';
import { GroupAggregateExec } from '../../src/operators/group-aggregate-exec.ts';
import { batchFromRows } from '../../src/operators/batch.ts';
import { T } from '../../src/operators/types.ts';
import { RowKind } from '../../src/operators/row-kind.ts';
import type { ColumnDef } from '../../src/operators/arrow-types.ts';
import { batch, describe as show, run } from './helpers.ts';

describe('Utf8Interner', () => {
  const data = (values: (string | null)[]) => toArrowData(columnFromValues(T.string(), values));

  test('reads what readColumn reads: NULLs, empty, non-ASCII and long values', () => {
    const long = 'x'.repeat(200);
    const values = ['Google', null, '', 'Baidu', 'Ünïcödé', long, 'Google', '日本', null, 'Baidu', ''];
    const interner = new Utf8Interner();
    for (let round = 0; round < 2; round++) {
      const col = interner.read(data(values), T.string());
      const plain = readColumn(data(values), T.string());
      expect(col.nulls).toEqual(plain.nulls);
      expect([...(col.values as string[])]).toEqual([...(plain.values as string[])]);
    }
  });

  test('hands out one string object per value across batches, and tells values with equal hashes apart', () => {
    const interner = new Utf8Interner();
    const a = interner.read(data(['channel-1', 'channel-2']), T.string()).values as string[];
    const b = interner.read(data(['channel-2', 'channel-1']), T.string()).values as string[];
    expect(Object.is(a[0], b[1]) && Object.is(a[1], b[0])).toBe(true);
    // Many distinct values: some share a 30-bit hash slot; each must still read back as itself.
    const many = Array.from({ length: 100_000 }, (_, i) => `k${i}`);
    expect([...(interner.read(data(many), T.string()).values as string[])]).toEqual(many);
    expect([...(interner.read(data(many), T.string()).values as string[])]).toEqual(many);
  });
});

describe('GroupAggregateExec over several key columns (one index level per column)', () => {
  // Keys of each physical kind the index supports, NULL included.
  const cols: ColumnDef[] = [
    { name: 's', type: T.string() }, { name: 'b', type: T.boolean() }, { name: 'x', type: T.double() }, { name: 'd', type: T.int() },
    { name: 'v', type: T.bigint() }, { name: '$row_kind', type: T.tinyint(false) },
  ];
  const exec = () => new GroupAggregateExec(cols, {
    groupKeys: [0, 1, 2, 3], aggregates: [{ fn: 'COUNT_STAR', arg: null, name: 'n' }, { fn: 'SUM', arg: 4, name: 'total' }], stateBytesMax: 1 << 20, emit: 'per-batch',
  });
  const rows: unknown[][] = [
    ['a', true, 1.5, 7, 1, RowKind.INSERT],
    ['a', false, 1.5, 7, 2, RowKind.INSERT],
    [null, null, null, null, 3, RowKind.INSERT],
    ['a', true, 1.5, 7, 4, RowKind.INSERT],
    ['a', true, -0.25, 7, 5, RowKind.INSERT],
    [null, null, null, null, 6, RowKind.INSERT],
  ];
  const batchOf = (rs: unknown[][]) => batch(batchFromRows(cols.slice(0, 5), rs.map((r) => r.slice(0, 5)), rs.map((r) => r[5] as number)));

  test('rows find their group by every key column, across snapshot/restore and deletes', () => {
    const op = exec();
    expect(show(run(op, [batchOf(rows)]))).toEqual([
      '+I[a, true, 1.5, 7, 2, 5]', '+I[a, false, 1.5, 7, 1, 2]', '+I[null, null, null, null, 2, 9]', '+I[a, true, -0.25, 7, 1, 5]',
    ]);
    const restored = exec();
    restored.restoreState(op.snapshotState());
    const retract = (r: unknown[]) => [...r.slice(0, 5), RowKind.DELETE];
    expect(show(run(restored, [batchOf([retract(rows[1]), retract(rows[2]), rows[0]])]))).toEqual([
      '-D[a, false, 1.5, 7, 1, 2]', '-U[null, null, null, null, 2, 9]', '+U[null, null, null, null, 1, 6]', '-U[a, true, 1.5, 7, 2, 5]', '+U[a, true, 1.5, 7, 3, 6]',
    ]);
    // The deleted group starts over.
    expect(show(run(restored, [batchOf([rows[1]])]))).toEqual(['+I[a, false, 1.5, 7, 1, 2]']);
  });
});
