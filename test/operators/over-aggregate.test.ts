import { describe, expect, test } from 'vitest';
import { OverAggregateExec } from '../../src/operators/over-aggregate-exec.ts';
import type { OverAggregateOptions } from '../../src/operators/over-aggregate-exec.ts';
import { batchFromRows } from '../../src/operators/batch.ts';
import { T } from '../../src/operators/types.ts';
import type { ColumnDef } from '../../src/operators/arrow-types.ts';
import { batch, describe as show, run, wm } from './helpers.ts';

const cols: ColumnDef[] = [{ name: 'k', type: T.string() }, { name: 'v', type: T.bigint() }, { name: 'ts', type: T.timestamp(3) }];
const rows = (...r: unknown[][]) => batch(batchFromRows(cols, r));
const make = (frame: OverAggregateOptions['frame'], extra: Partial<OverAggregateOptions> = {}): OverAggregateExec => new OverAggregateExec(cols, {
  partitionKeys: [0], timeColumn: 2, frame, aggregates: [{ fn: 'SUM', arg: 1, name: 's' }, { fn: 'MAX', arg: 1, name: 'hi' }],
  passColumns: 3, stateBytesMax: 1 << 20, ...extra,
});

describe('OverAggregateExec', () => {
  test('rows wait for the watermark and come out in event-time order; late rows are counted and dropped', () => {
    const op = make({ units: 'ROWS', preceding: 1 });
    expect(show(run(op, [rows(['a', 5, 20], ['a', 1, 10], ['b', 2, 15]), wm(12), rows(['a', 9, 11], ['a', 3, 30]), wm(100)]))).toEqual([
      '+I[a, 1, 10, 1, 1]', 'WM(12)',
      '+I[b, 2, 15, 2, 2]', '+I[a, 5, 20, 6, 5]', '+I[a, 3, 30, 8, 5]', 'WM(100)',
    ]);
    expect(op.metrics().lateRecordsDropped).toBe(1);
  });

  test('MAX over a sliding ROWS frame is correct when the maximum leaves the frame', () => {
    const op = make({ units: 'ROWS', preceding: 1 });
    expect(show(run(op, [rows(['a', 9, 1], ['a', 1, 2], ['a', 2, 3]), wm(10)]))).toEqual([
      '+I[a, 9, 1, 9, 9]', '+I[a, 1, 2, 10, 9]', '+I[a, 2, 3, 3, 2]', 'WM(10)',
    ]);
  });

  test('RANGE frames drop a partition whose rows all aged out', () => {
    const op = make({ units: 'RANGE', preceding: 5 });
    run(op, [rows(['a', 1, 10], ['b', 1, 10]), wm(10)]);
    expect(op.metrics().stateBytes).toBeGreaterThan(0);
    run(op, [wm(16)]);
    expect(op.metrics().stateBytes).toBe(0);
    expect(show(run(op, [rows(['a', 4, 17]), wm(20)]))).toEqual(['+I[a, 4, 17, 4, 4]', 'WM(20)']);
  });

  test('a snapshot taken with rows waiting restores into a fresh operator that continues identically', () => {
    const a = make({ units: 'RANGE', preceding: null });
    run(a, [rows(['a', 1, 10], ['a', 2, 20]), wm(15)]);
    const b = make({ units: 'RANGE', preceding: null });
    b.restoreState(a.snapshotState());
    const next = [rows(['a', 4, 20]), wm(30)];
    expect(show(run(b, next))).toEqual(show(run(a, next)));
    expect(show(run(b, [wm(31)]))).toEqual(['WM(31)']);
  });

  test('state TTL drops partitions of unbounded frames not written for the TTL', () => {
    let now = 0;
    const op = make({ units: 'ROWS', preceding: null }, { stateTtlMs: 50, clock: () => now });
    run(op, [rows(['a', 1, 10]), wm(10)]);
    now = 100;
    expect(show(run(op, [rows(['a', 2, 20]), wm(20)]))).toEqual(['+I[a, 2, 20, 2, 2]', 'WM(20)']);
  });
});
