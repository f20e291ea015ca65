import { describe, expect, test } from 'vitest';
import { WindowAggregateExec } from '../../src/operators/window-aggregate-exec.ts';
import type { WindowAggregateOptions } from '../../src/operators/window-aggregate-exec.ts';
import { WindowAssignerExec } from '../../src/operators/window-assigner-exec.ts';
import { batchFromRows } from '../../src/operators/batch.ts';
import { T } from '../../src/operators/types.ts';
import { ResourcesExhaustedError } from '../../src/operators/errors.ts';
import type { StreamMessage } from '../../src/operators/message.ts';
import { END, batch, describe as show, run, wm } from './helpers.ts';

const bids = [{ name: 'auction', type: T.bigint() }, { name: 'price', type: T.bigint() }, { name: 'ts', type: T.timestamp(3) }];
const tumble = (): WindowAssignerExec => new WindowAssignerExec(bids, { window: { kind: 'tumble', sizeMs: 10 }, timeColumn: 2 });
// After the assigner: auction 0, price 1, ts 2, window_start 3, window_end 4, window_time 5.
const agg = (extra: Partial<WindowAggregateOptions> = {}): WindowAggregateExec => new WindowAggregateExec(tumble().outputColumns, {
  window: { kind: 'assigned', startColumn: 3, endColumn: 4 },
  groupKeys: [0],
  aggregates: [{ fn: 'COUNT_STAR', arg: null, name: 'n' }, { fn: 'SUM', arg: 1, name: 'total' }, { fn: 'MAX', arg: 1, name: 'top' }],
  stateBytesMax: 1 << 20,
  ...extra,
});

/** Runs bid rows (and watermarks) through TUMBLE(10 ms) and the window aggregate. */
function pipeline(op: WindowAggregateExec, steps: (unknown[][] | number | 'end')[]): string[] {
  const assigner = tumble();
  const out: StreamMessage[] = [];
  for (const s of steps) {
    const msg: StreamMessage = s === 'end' ? END : typeof s === 'number' ? wm(s) : batch(batchFromRows(bids, s));
    for (const m of run(assigner, [msg])) op.process(0, m, out);
  }
  return show(out);
}

describe('WindowAggregateExec (TUMBLE)', () => {
  test('emits each window once, when the watermark reaches window_end - 1', () => {
    const op = agg();
    expect(pipeline(op, [
      [[1, 10, 1], [2, 5, 3], [1, 30, 9], [1, 7, 12]],
      8, // window [0, 10) not complete
      9, // 9 = end - 1: fires
      [[2, 1, 15]],
      'end',
    ])).toEqual([
      'WM(8)',
      '+I[1, 0, 10, 9, 2, 40, 30]', '+I[2, 0, 10, 9, 1, 5, 5]', 'WM(9)',
      '+I[1, 10, 20, 19, 1, 7, 7]', '+I[2, 10, 20, 19, 1, 1, 1]', 'WM(Infinity)', 'END',
    ]);
  });

  test('late rows are counted and dropped, never silently lost', () => {
    const op = agg();
    pipeline(op, [[[1, 10, 1]], 9, [[1, 99, 5], [1, 3, 11]], 'end']);
    expect(op.metrics().lateRecordsDropped).toBe(1);
    expect(op.metrics().rowsIn).toBe(3);
  });

  test('construction validates aggregates', () => {
    expect(() => agg({ aggregates: [{ fn: 'SUM', arg: 1, filter: 6, name: 'big' }] })).toThrow(/FILTER of big must be a BOOLEAN column/);
    expect(() => agg({ aggregates: [{ fn: 'SUM', arg: 9, name: 's' }] })).toThrow(/reads column 9/);
    expect(() => agg({ aggregates: [{ fn: 'COUNT_STAR', arg: 1, name: 'n' }] })).toThrow(/takes no argument/);
  });

  test('state beyond stateBytesMax fails naming the operator', () => {
    const op = agg({ stateBytesMax: 1000 });
    const rows = Array.from({ length: 50 }, (_, i) => [i, 1, 1]);
    expect(() => pipeline(op, [rows])).toThrow(ResourcesExhaustedError);
    expect(() => pipeline(agg({ stateBytesMax: 1000 }), [rows])).toThrow(/WindowAggregateExec: state reached/);
  });

  test('snapshot and restore give identical future output', () => {
    const steps: (unknown[][] | number | 'end')[] = [[[1, 10, 1], [2, 5, 13]], 9, [[1, 4, 14]], 'end'];
    const a = agg();
    const full = pipeline(a, steps);
    const b = agg();
    const firstHalf = pipeline(b, steps.slice(0, 1));
    const c = agg();
    c.restoreState(b.snapshotState());
    expect([...firstHalf, ...pipeline(c, steps.slice(1))]).toEqual(full);
    expect(c.metrics().stateBytes).toBe(0);
  });
});

describe('WindowAggregateExec (FILTER, DISTINCT on TVF output)', () => {
  test('COUNT(DISTINCT) and SUM FILTER', () => {
    const cols = [...bids, { name: 'is_big', type: T.boolean() }];
    const assigner = new WindowAssignerExec(cols, { window: { kind: 'tumble', sizeMs: 10 }, timeColumn: 2 });
    const op = new WindowAggregateExec(assigner.outputColumns, {
      window: { kind: 'assigned', startColumn: 4, endColumn: 5 },
      groupKeys: [],
      aggregates: [
        { fn: 'COUNT', arg: 0, distinct: true, name: 'auctions' },
        { fn: 'SUM', arg: 1, filter: 3, name: 'big' },
        { fn: 'AVG', arg: 1, name: 'avg' },
      ],
      stateBytesMax: 1 << 20,
    });
    const rows = [[1, 10, 1, true], [1, 20, 2, false], [2, 30, 3, true], [2, 1, 4, null]];
    const out = run(op, [...run(assigner, [batch(batchFromRows(cols, rows))]), END]);
    expect(show(out)).toEqual(['+I[0, 10, 9, 2, 40, 15]', 'WM(Infinity)', 'END']);
  });
});

describe('WindowAggregateExec (SESSION)', () => {
  const session = (): WindowAggregateExec => new WindowAggregateExec(bids, {
    window: { kind: 'session', timeColumn: 2, gapMs: 10 },
    groupKeys: [0],
    aggregates: [{ fn: 'COUNT_STAR', arg: null, name: 'n' }, { fn: 'MIN', arg: 1, name: 'low' }],
    stateBytesMax: 1 << 20,
  });
  const feed = (op: WindowAggregateExec, steps: (unknown[][] | number | 'end')[]): string[] =>
    show(run(op, steps.map((s) => (s === 'end' ? END : typeof s === 'number' ? wm(s) : batch(batchFromRows(bids, s))))));

  test('sessions per key, merged when a row bridges two of them', () => {
    expect(feed(session(), [
      [[1, 5, 0], [1, 6, 25], [2, 7, 3]],   // key 1: [0,10) and [25,35); key 2: [3,13)
      [[1, 1, 12]],                          // [12,22) touches neither... 
      [[1, 2, 20]],                          // [20,30) bridges [12,22) and [25,35)
      12,                                    // fires key 1 [0,10) and key 2 [3,13)
      'end',
    ])).toEqual([
      '+I[1, 0, 10, 9, 1, 5]', '+I[2, 3, 13, 12, 1, 7]', 'WM(12)',
      '+I[1, 12, 35, 34, 3, 1]', 'WM(Infinity)', 'END',
    ]);
  });

  test('a row for a fired session is late', () => {
    const op = session();
    feed(op, [[[1, 5, 0]], 20, [[1, 6, 5]]]);
    expect(op.metrics().lateRecordsDropped).toBe(1);
  });

  test('snapshot and restore keep open sessions', () => {
    const a = session();
    feed(a, [[[1, 5, 0], [1, 3, 8]]]);
    const b = session();
    b.restoreState(a.snapshotState());
    expect(feed(b, ['end'])).toEqual(['+I[1, 0, 18, 17, 2, 3]', 'WM(Infinity)', 'END']);
  });
});
