import { describe, expect, test } from 'vitest';
import { JoinExec } from '../../src/operators/join/join-exec.ts';
import type { JoinOptions } from '../../src/operators/join/join-exec.ts';
import { batchFromRows } from '../../src/operators/batch.ts';
import { E } from '../../src/operators/expr/ir.ts';
import { T } from '../../src/operators/types.ts';
import { RowKind } from '../../src/operators/row-kind.ts';
import type { ColumnDef } from '../../src/operators/arrow-types.ts';
import { ResourcesExhaustedError } from '../../src/operators/errors.ts';
import type { StreamMessage } from '../../src/operators/message.ts';
import { batch, describe as show, wm, END } from './helpers.ts';

const { INSERT: I, UPDATE_BEFORE: UB, UPDATE_AFTER: UA, DELETE: D } = RowKind;
const L: ColumnDef[] = [{ name: 'id', type: T.bigint() }, { name: 'name', type: T.string() }];
const R: ColumnDef[] = [{ name: 'seller', type: T.bigint() }, { name: 'price', type: T.bigint() }];
const RK: ColumnDef = { name: '$row_kind', type: T.tinyint(false) };

function make(joinType: JoinOptions['joinType'], extra: Partial<JoinOptions> = {}, updating: [boolean, boolean] = [false, false]): JoinExec {
  return new JoinExec([updating[0] ? [...L, RK] : L, updating[1] ? [...R, RK] : R], {
    joinType, leftKeys: [0], rightKeys: [0], condition: null, stateBytesMax: 1 << 20, ...extra,
  });
}

/** Feeds [side, rows, kinds?] steps and returns the changelog. */
function feed(op: JoinExec, steps: [number, unknown[][], number[]?][]): string[] {
  const out: StreamMessage[] = [];
  for (const [side, rows, kinds] of steps) {
    const cols = side === 0 ? L : R;
    op.process(side, batch(batchFromRows(cols, rows, kinds)), out);
  }
  return show(out);
}

describe('JoinExec (regular join)', () => {
  test('inner join of append-only inputs: append-only output, rows matched from either side', () => {
    const op = make('INNER');
    expect(op.outputColumns.map((c) => c.name)).toEqual(['id', 'name', 'seller', 'price']);
    expect(feed(op, [
      [1, [[1, 10], [2, 20]]],
      [0, [[1, 'ann'], [3, 'cy']]],
      [1, [[1, 11], [3, 30], [null, 5]]],
    ])).toEqual(['+I[1, ann, 1, 10]', '+I[1, ann, 1, 11]', '+I[3, cy, 3, 30]']);
    expect(op.metrics().stateBytes).toBeGreaterThan(0);
  });

  test('left outer join: NULL padding first, retracted when the first match arrives, restored when it goes', () => {
    const op = make('LEFT', {}, [false, true]);
    expect(feed(op, [
      [0, [[1, 'ann'], [null, 'nil']]],
      [1, [[1, 10]], [I]],
      [1, [[1, 11]], [I]],
      [1, [[1, 10]], [D]],
      [1, [[1, 11]], [UB]],
    ])).toEqual([
      '+I[1, ann, null, null]', '+I[null, nil, null, null]',
      '-D[1, ann, null, null]', '+I[1, ann, 1, 10]',
      '+I[1, ann, 1, 11]',
      '-D[1, ann, 1, 10]',
      '-D[1, ann, 1, 11]', '+I[1, ann, null, null]',
    ]);
  });

  test('full outer join pads both sides; a retracted left row restores the right padding', () => {
    const op = make('FULL', {}, [true, false]);
    expect(feed(op, [
      [1, [[1, 10]]],
      [0, [[1, 'ann']], [I]],
      [0, [[2, 'bo']], [I]],
      [0, [[1, 'ann']], [D]],
    ])).toEqual([
      '+I[null, null, 1, 10]',
      '-D[null, null, 1, 10]', '+I[1, ann, 1, 10]',
      '+I[2, bo, null, null]',
      '-D[1, ann, 1, 10]', '+I[null, null, 1, 10]',
    ]);
  });

  test('right outer join mirrors the left one', () => {
    const op = make('RIGHT');
    expect(feed(op, [[1, [[1, 10]]], [0, [[1, 'ann']]]])).toEqual(['+I[null, null, 1, 10]', '-D[null, null, 1, 10]', '+I[1, ann, 1, 10]']);
  });

  test('a residual condition filters matches; an outer row with only failing candidates stays padded', () => {
    // ON id = seller AND price > 15
    const op = make('LEFT', { condition: E.call('>', E.col(3), E.lit(15, T.int())) });
    expect(feed(op, [
      [1, [[1, 10], [1, 20]]],
      [0, [[1, 'ann'], [2, 'bo']]],
      [1, [[2, 5]]],
    ])).toEqual(['+I[1, ann, 1, 20]', '+I[2, bo, null, null]']);
  });

  test('updating input: -U/+U of a row retract and re-emit its joined rows', () => {
    const op = make('INNER', {}, [true, false]);
    expect(feed(op, [
      [1, [[1, 10]]],
      [0, [[1, 'ann']], [I]],
      [0, [[1, 'ann'], [1, 'anne']], [UB, UA]],
    ])).toEqual(['+I[1, ann, 1, 10]', '-D[1, ann, 1, 10]', '+I[1, anne, 1, 10]']);
  });

  test('upsert input: a new row for a unique key replaces the old one; -D deletes it', () => {
    const op = make('INNER', { rightUniqueKey: [1] }, [false, true]);
    expect(feed(op, [
      [0, [[1, 'ann'], [2, 'bo']]],
      [1, [[1, 10]], [I]],
      [1, [[2, 10]], [UA]],
      [1, [[null, 10]], [D]],
    ])).toEqual(['+I[1, ann, 1, 10]', '-D[1, ann, 1, 10]', '+I[2, bo, 2, 10]', '-D[2, bo, 2, 10]']);
  });

  test('watermarks combine by minimum; end follows both inputs', () => {
    const op = make('INNER');
    const out: StreamMessage[] = [];
    op.process(0, wm(100), out);
    op.process(1, wm(50), out);
    op.process(0, wm(200), out);
    op.process(0, END, out);
    op.process(1, END, out);
    expect(show(out)).toEqual(['WM(50)', 'WM(Infinity)', 'END']);
  });

  test('barriers are aligned: rows after one input\'s barrier wait for the other', () => {
    const op = make('INNER');
    const out: StreamMessage[] = [];
    op.process(0, { kind: 'barrier', checkpointId: 1 }, out);
    op.process(0, batch(batchFromRows(L, [[1, 'ann']])), out);
    op.process(1, batch(batchFromRows(R, [[1, 10]])), out);
    expect(show(out)).toEqual([]);
    op.process(1, { kind: 'barrier', checkpointId: 1 }, out);
    expect(show(out)).toEqual(['BARRIER(1)', '+I[1, ann, 1, 10]']);
  });

  test('after one input ended, its barriers are ignored and the live input alone drives checkpoints', () => {
    // The pipeline injects a barrier at every source, ended ones too (a side input read to its end
    // first): those must not open an alignment the live input already completed.
    const op = make('INNER');
    const out: StreamMessage[] = [];
    op.process(1, END, out);
    for (const id of [1, 2, 3]) {
      op.process(0, { kind: 'barrier', checkpointId: id }, out);
      op.process(1, { kind: 'barrier', checkpointId: id }, out);
    }
    expect(show(out).filter((m) => m.startsWith('BARRIER'))).toEqual(['BARRIER(1)', 'BARRIER(2)', 'BARRIER(3)']);
  });

  test('snapshot and restore resume with the same state', () => {
    const op = make('LEFT', {}, [false, true]);
    feed(op, [[0, [[1, 'ann']]], [1, [[1, 10]], [I]]]);
    const copy = make('LEFT', {}, [false, true]);
    copy.restoreState(op.snapshotState());
    expect(copy.metrics().stateBytes).toBe(op.metrics().stateBytes);
    expect(feed(copy, [[1, [[1, 10]], [D]]])).toEqual(['-D[1, ann, 1, 10]', '+I[1, ann, null, null]']);
  });

  test('state past stateBytesMax fails with a resources error naming the limit', () => {
    const op = make('INNER', { stateBytesMax: 500 });
    expect(() => feed(op, [[0, Array.from({ length: 20 }, (_, i) => [i, `name-${i}`])]])).toThrow(ResourcesExhaustedError);
  });

  test('state TTL: a key idle for the TTL is dropped on that side, with all its rows, without output', () => {
    let now = 0;
    const op = make('INNER', { stateTtlMs: 100, clock: () => now });
    expect(feed(op, [[0, [[1, 'ann'], [2, 'bo']]]])).toEqual([]);
    now = 60;
    expect(feed(op, [[0, [[2, 'bob']]]])).toEqual([]);
    now = 150;
    // Key 1 was last written at 0 and is gone; key 2 was written at 60 and keeps both rows.
    expect(feed(op, [[1, [[1, 10], [2, 20]]]])).toEqual(['+I[2, bo, 2, 20]', '+I[2, bob, 2, 20]']);
    const copy = make('INNER', { stateTtlMs: 100, clock: () => now });
    copy.restoreState(op.snapshotState());
    now = 400;
    expect(feed(copy, [[0, [[2, 'cy']]]])).toEqual([]);
  });
});
