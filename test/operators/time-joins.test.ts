import { describe, expect, test } from 'vitest';
import { IntervalJoinExec } from '../../src/operators/join/interval-join-exec.ts';
import { WindowJoinExec } from '../../src/operators/join/window-join-exec.ts';
import { TemporalJoinExec } from '../../src/operators/join/temporal-join-exec.ts';
import { LookupJoinExec } from '../../src/operators/join/lookup-join-exec.ts';
import { batchFromRows } from '../../src/operators/batch.ts';
import { T } from '../../src/operators/types.ts';
import { RowKind } from '../../src/operators/row-kind.ts';
import type { ColumnDef } from '../../src/operators/arrow-types.ts';
import type { Operator, StreamMessage } from '../../src/operators/message.ts';
import { batch, describe as show, wm, END } from './helpers.ts';

const L: ColumnDef[] = [{ name: 'k', type: T.bigint() }, { name: 't', type: T.timestamp(3) }];
const R: ColumnDef[] = [{ name: 'k', type: T.bigint() }, { name: 't', type: T.timestamp(3) }];
const RK: ColumnDef = { name: '$row_kind', type: T.tinyint(false) };

type Step = [number, unknown[][], number[]?] | ['wm', number, number] | ['end', number];

function feed(op: Operator, steps: Step[], cols: [ColumnDef[], ColumnDef[]] = [L, R]): string[] {
  const out: StreamMessage[] = [];
  for (const s of steps) {
    if (s[0] === 'wm') op.process(s[2], wm(s[1]), out);
    else if (s[0] === 'end') op.process(s[1], END, out);
    else op.process(s[0], batch(batchFromRows(cols[s[0]].slice(0, 2), s[1], s[2])), out);
  }
  return show(out);
}

describe('IntervalJoinExec', () => {
  // right.t BETWEEN left.t AND left.t + 10: left.t - right.t in [-10, 0]
  const make = (joinType: 'INNER' | 'LEFT' = 'INNER'): IntervalJoinExec => new IntervalJoinExec([L, R], {
    joinType, leftKeys: [0], rightKeys: [0], condition: null, leftTime: 1, rightTime: 1, lowerMs: -10, upperMs: 0, stateBytesMax: 1 << 20,
  });

  test('matches rows within the bounds from either side; the output watermark is held back by the bound', () => {
    expect(feed(make(), [
      [0, [[1, 100], [2, 100]]],
      [1, [[1, 105], [1, 111], [2, 99]]],
      ['wm', 200, 0], ['wm', 150, 1],
    ])).toEqual(['+I[1, 100, 1, 105]', 'WM(140)']);
  });

  test('state is dropped as the watermark passes; an outer row that never matched is padded then', () => {
    const op = make('LEFT');
    expect(feed(op, [
      [0, [[1, 100], [2, 100]]],
      [1, [[1, 105]]],
      ['wm', 109, 0], ['wm', 109, 1],
    ])).toEqual(['+I[1, 100, 1, 105]', 'WM(99)']);
    expect(op.metrics().stateBytes).toBeGreaterThan(0);
    expect(feed(op, [['wm', 120, 0], ['wm', 120, 1]])).toEqual(['+I[2, 100, null, null]', 'WM(110)']);
    expect(op.metrics().stateBytes).toBe(0);
  });

  test('snapshot and restore keep the waiting rows', () => {
    const op = make('LEFT');
    feed(op, [[0, [[1, 100]]]]);
    const copy = make('LEFT');
    copy.restoreState(op.snapshotState());
    expect(feed(copy, [[1, [[1, 104]]], ['end', 0], ['end', 1]])).toEqual(['+I[1, 100, 1, 104]', 'WM(Infinity)', 'END']);
  });
});

describe('WindowJoinExec', () => {
  // columns: k, window_end
  const make = (joinType: 'INNER' | 'FULL'): WindowJoinExec => new WindowJoinExec([L, R], {
    joinType, leftKeys: [0], rightKeys: [0], condition: null, leftEnd: 1, rightEnd: 1, stateBytesMax: 1 << 20,
  });

  test('joins a window when the watermark reaches its end - 1; late rows are counted and dropped', () => {
    const op = make('FULL');
    expect(feed(op, [
      [0, [[1, 10], [2, 10], [1, 20]]],
      [1, [[1, 10], [3, 10]]],
      ['wm', 9, 0], ['wm', 9, 1],
      [1, [[1, 10]]],
    ])).toEqual(['+I[1, 10, 1, 10]', '+I[2, 10, null, null]', '+I[null, null, 3, 10]', 'WM(9)']);
    expect(op.metrics().lateRecordsDropped).toBe(1);
    expect(feed(op, [['end', 0], ['end', 1]])).toEqual(['+I[1, 20, null, null]', 'WM(Infinity)', 'END']);
  });
});

describe('TemporalJoinExec', () => {
  const V: ColumnDef[] = [{ name: 'k', type: T.bigint() }, { name: 'v', type: T.bigint() }, { name: 'vt', type: T.timestamp(3) }];
  const make = (): TemporalJoinExec => new TemporalJoinExec([L, [...V, RK]], {
    joinType: 'LEFT', leftKeys: [0], rightKeys: [0], condition: null, leftTime: 1, rightTime: 2, stateBytesMax: 1 << 20,
  });

  test('each left row joins the version valid at its time, once the watermark reaches it', () => {
    const op = make();
    const out: StreamMessage[] = [];
    op.process(1, batch(batchFromRows(V, [[1, 100, 0], [1, 110, 10], [2, 5, 0], [2, 5, 8]], [RowKind.INSERT, RowKind.UPDATE_AFTER, RowKind.INSERT, RowKind.DELETE])), out);
    op.process(0, batch(batchFromRows(L, [[1, 5], [1, 12], [2, 3], [2, 9], [3, 1]])), out);
    expect(show(out)).toEqual([]);
    op.process(0, wm(20), out);
    op.process(1, wm(20), out);
    expect(show(out)).toEqual([
      '+I[3, 1, null, null, null]', '+I[2, 3, 2, 5, 0]', '+I[1, 5, 1, 100, 0]', '+I[2, 9, null, null, null]', '+I[1, 12, 1, 110, 10]', 'WM(20)',
    ]);
    // Versions older than the one valid at the watermark are gone.
    const copy = make();
    copy.restoreState(op.snapshotState());
    const out2: StreamMessage[] = [];
    copy.process(0, batch(batchFromRows(L, [[1, 2]])), out2);
    copy.process(0, END, out2);
    copy.process(1, END, out2);
    expect(show(out2)).toEqual(['+I[1, 2, null, null, null]', 'WM(Infinity)', 'END']);
  });
});

describe('LookupJoinExec', () => {
  const C: ColumnDef[] = [{ name: 'id', type: T.bigint() }, { name: 'name', type: T.string() }];
  test('a left row sees the right table as it is when processed; right changes emit nothing', () => {
    const op = new LookupJoinExec([L, [...C, RK]], {
      joinType: 'LEFT', leftKeys: [0], rightKeys: [0], condition: null, rightUniqueKey: [0], stateBytesMax: 1 << 20,
    });
    const out: StreamMessage[] = [];
    op.process(0, batch(batchFromRows(L, [[1, 1]])), out);
    op.process(1, batch(batchFromRows(C, [[1, 'ann'], [2, 'bo'], [1, 'anne'], [2, null]], [RowKind.INSERT, RowKind.INSERT, RowKind.UPDATE_AFTER, RowKind.DELETE])), out);
    op.process(0, batch(batchFromRows(L, [[1, 2], [2, 2]])), out);
    op.process(1, wm(100), out);
    op.process(0, wm(5), out);
    expect(show(out)).toEqual(['+I[1, 1, null, null]', '+I[1, 2, 1, anne]', '+I[2, 2, null, null]', 'WM(5)']);
  });
});
