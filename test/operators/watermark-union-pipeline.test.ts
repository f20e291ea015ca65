import { describe, expect, test } from 'vitest';
import { WatermarkAssignerExec, combineWatermarks } from '../../src/operators/watermark-assigner-exec.ts';
import { UnionExec, minWatermark } from '../../src/operators/union-exec.ts';
import { CalcExec, calcBatch, planCalc } from '../../src/operators/calc-exec.ts';
import { ValuesExec } from '../../src/operators/values-exec.ts';
import { CollectSink, Pipeline } from '../../src/operators/pipeline.ts';
import { WindowAssignerExec } from '../../src/operators/window-assigner-exec.ts';
import { WindowAggregateExec } from '../../src/operators/window-aggregate-exec.ts';
import { batchFromRows } from '../../src/operators/batch.ts';
import { E } from '../../src/operators/expr/ir.ts';
import { T } from '../../src/operators/types.ts';
import type { ColumnDef } from '../../src/operators/arrow-types.ts';
import { RowKind } from '../../src/operators/row-kind.ts';
import { END, batch, changelog, describe as show, run, wm } from './helpers.ts';

const cols: ColumnDef[] = [{ name: 'p', type: T.int(false) }, { name: 'ts', type: T.timestamp(3) }];

describe('watermarks', () => {
  test('combineWatermarks: minimum over active partitions; idle ones stop holding it back', () => {
    const parts = [{ watermarkMs: 100, lastActiveMs: 0 }, { watermarkMs: 50, lastActiveMs: 900 }];
    expect(combineWatermarks(parts, 1000, null)).toBe(50);
    expect(combineWatermarks(parts, 1000, 500)).toBe(50);
    expect(combineWatermarks([parts[0], { watermarkMs: 50, lastActiveMs: 0 }, { watermarkMs: 70, lastActiveMs: 999 }], 1000, 500)).toBe(70);
    expect(combineWatermarks(parts, 5000, 500)).toBeNull();
  });

  test('per-partition max event time - delay, combined by minimum', () => {
    let now = 0;
    const op = new WatermarkAssignerExec(cols, { timeColumn: 1, delayMs: 5, partitionColumn: 0, partitions: [0, 1], idleTimeoutMs: 1000, nowMs: () => now });
    const out = run(op, [
      batch(batchFromRows(cols, [[0, 100], [0, 90]])), // partition 1 silent: no watermark yet
      batch(batchFromRows(cols, [[1, 40]])),            // min(95, 35)
      batch(batchFromRows(cols, [[1, 30]])),            // out of order: no regression
    ]);
    expect(show(out).filter((s) => s.startsWith('WM'))).toEqual(['WM(35)']);
    now = 2000; // partition 1 idle for 1000 ms+; partition 0 too, so: nothing moves
    const idle: typeof out = [];
    op.checkIdle(idle);
    expect(idle).toEqual([]);
    const more = run(op, [batch(batchFromRows(cols, [[0, 200]]))]); // only partition 0 active now
    expect(show(more).filter((s) => s.startsWith('WM'))).toEqual(['WM(195)']);
    expect(op.metrics().watermarkMs).toBe(195);
  });

  test('PROCTIME: the processing-time timer moves the watermark to the clock - 1 ms; event-time assigners re-check idleness on it', () => {
    const proc = new WatermarkAssignerExec(cols, { timeColumn: 1, delayMs: 0, processingTime: true });
    const out: ReturnType<typeof run> = [];
    proc.onProcessingTime(5000, out);
    proc.onProcessingTime(5000, out); // no regression, no repeat
    proc.onProcessingTime(7000, out);
    expect(show(out)).toEqual(['WM(4999)', 'WM(6999)']);
    let now = 0;
    const ev = new WatermarkAssignerExec(cols, { timeColumn: 1, delayMs: 0, partitionColumn: 0, idleTimeoutMs: 100, nowMs: () => now });
    expect(show(run(ev, [batch(batchFromRows(cols, [[0, 10]]))])).filter((x) => x.startsWith('WM'))).toEqual(['WM(10)']);
    now = 50;
    expect(show(run(ev, [batch(batchFromRows(cols, [[1, 50]]))])).filter((x) => x.startsWith('WM'))).toEqual([]); // min(10, 50)
    const released: typeof out = [];
    now = 120; // partition 0 silent for 120 ms: the timer releases it, no new row needed
    ev.onProcessingTime(now, released);
    expect(show(released)).toEqual(['WM(50)']);
  });

  test('end of input releases the watermark to +Infinity', () => {
    const op = new WatermarkAssignerExec(cols, { timeColumn: 1, delayMs: 0 });
    expect(show(run(op, [END]))).toEqual(['WM(Infinity)', 'END']);
  });
});

describe('UnionExec', () => {
  test('watermark is the minimum of the inputs; end when all ended', () => {
    const u = new UnionExec([cols, cols]);
    const out: ReturnType<typeof run> = [];
    u.process(0, wm(10), out);
    u.process(1, wm(5), out);
    u.process(0, wm(20), out);
    u.process(1, wm(15), out);
    u.process(1, END, out);
    u.process(0, END, out);
    expect(show(out)).toEqual(['WM(5)', 'WM(15)', 'WM(20)', 'WM(Infinity)', 'END']);
    expect(minWatermark([3, 1], [false, true])).toBe(3);
  });

  test('barriers align: batches after a barrier wait for the other input', () => {
    const u = new UnionExec([cols, cols]);
    const out: ReturnType<typeof run> = [];
    u.process(0, { kind: 'barrier', checkpointId: 1 }, out);
    u.process(0, batch(batchFromRows(cols, [[0, 1]])), out);
    expect(out).toEqual([]);
    u.process(1, batch(batchFromRows(cols, [[1, 2]])), out);
    u.process(1, { kind: 'barrier', checkpointId: 1 }, out);
    expect(show(out)).toEqual(['+I[1, 2]', 'BARRIER(1)', '+I[0, 1]']);
  });

  test('barriers on an ended input are ignored: the live inputs alone align checkpoints', () => {
    const u = new UnionExec([cols, cols]);
    const out: ReturnType<typeof run> = [];
    u.process(1, END, out);
    for (const id of [1, 2]) {
      u.process(0, { kind: 'barrier', checkpointId: id }, out);
      u.process(1, { kind: 'barrier', checkpointId: id }, out);
    }
    u.process(0, batch(batchFromRows(cols, [[0, 1]])), out);
    expect(show(out).filter((m) => m !== 'WM(-Infinity)')).toEqual(['BARRIER(1)', 'BARRIER(2)', '+I[0, 1]']);
  });

  test('an input that ends while the others wait at a barrier releases it', () => {
    const u = new UnionExec([cols, cols]);
    const out: ReturnType<typeof run> = [];
    u.process(0, { kind: 'barrier', checkpointId: 1 }, out);
    u.process(0, batch(batchFromRows(cols, [[0, 1]])), out);
    u.process(1, END, out);
    expect(show(out).filter((m) => !m.startsWith('WM'))).toEqual(['BARRIER(1)', '+I[0, 1]']);
  });

  test('inputs must have the same types', () => {
    expect(() => new UnionExec([cols, [{ name: 'x', type: T.string() }, cols[1]]])).toThrow(/input 1/);
  });
});

describe('CalcExec', () => {
  const bid: ColumnDef[] = [{ name: 'auction', type: T.bigint() }, { name: 'price', type: T.bigint() }, { name: 'url', type: T.string() }];
  const rows = [[1, 100, 'a/b/c'], [123, 200, 'x/y/z'], [246, null, null], [7, 5, 'q']];

  test('Nexmark q2-style filter with pass-through and computed columns', () => {
    const plan = planCalc(bid, {
      predicate: E.call('=', E.call('MOD', E.col(0), E.lit(123, T.int())), E.lit(0, T.int())),
      projections: [{ name: 'auction', expr: E.col(0) }, { name: 'price', expr: E.col(1) }, { name: 'dir', expr: E.call('SPLIT_INDEX', E.col(2), E.lit('/', T.string()), E.lit(1, T.int())) }],
    });
    expect(plan.passThrough).toEqual([0, 1, -1]);
    expect(changelog(calcBatch(batchFromRows(bid, rows), plan))).toEqual(['+I[123, 200, y]', '+I[246, null, null]']);
  });

  test('Nexmark q1-style DECIMAL projection and the output type', () => {
    const op = new CalcExec(bid, { projections: [{ name: 'price', expr: E.call('*', E.lit('0.908', T.decimal(3, 3)), E.col(1)) }] });
    expect(op.outputColumns[0].type).toEqual(T.decimal(23, 3));
    expect(show(run(op, [batch(batchFromRows(bid, rows))]))).toEqual(['+I[90.800]', '+I[181.600]', '+I[null]', '+I[4.540]']);
  });

  test('updating input keeps its row kinds through a filter', () => {
    const op = new CalcExec([...bid, { name: '$row_kind', type: T.tinyint(false) }], {
      predicate: E.call('>', E.col(1), E.lit(50, T.int())),
      projections: [{ name: 'auction', expr: E.col(0) }],
    });
    const b = batchFromRows(bid, rows, [RowKind.INSERT, RowKind.UPDATE_BEFORE, RowKind.INSERT, RowKind.DELETE]);
    expect(show(run(op, [batch(b)]))).toEqual(['+I[1]', '-U[123]']);
  });

  test('empty output batches are dropped; control messages pass', () => {
    const op = new CalcExec(bid, { predicate: E.lit(false, T.boolean()), projections: [{ name: 'a', expr: E.col(0) }] });
    expect(show(run(op, [batch(batchFromRows(bid, rows)), wm(5), { kind: 'barrier', checkpointId: 3 }, END]))).toEqual(['WM(5)', 'BARRIER(3)', 'END']);
    expect(op.metrics()).toMatchObject({ rowsIn: 4, rowsOut: 0 });
  });

  test('a non-BOOLEAN filter is refused at construction', () => {
    expect(() => new CalcExec(bid, { predicate: E.col(0), projections: [] })).toThrow(/BOOLEAN/);
  });
});

describe('Pipeline', () => {
  test('values -> watermark -> tumble -> window aggregate -> sink, with a checkpoint', async () => {
    const src = new ValuesExec(cols, [
      [E.lit(1, T.int()), E.cast(E.lit('2024-01-01 00:00:01', T.string()), T.timestamp(3))],
      [E.lit(2, T.int()), E.cast(E.lit('2024-01-01 00:00:04', T.string()), T.timestamp(3))],
      [E.lit(3, T.int()), E.cast(E.lit('2024-01-01 00:00:12', T.string()), T.timestamp(3))],
    ]);
    const p = new Pipeline();
    const s = p.addSource(src);
    const w = new WatermarkAssignerExec(cols, { timeColumn: 1, delayMs: 1000 });
    const wn = p.addOperator(w, [s]);
    const tumble = new WindowAssignerExec(cols, { window: { kind: 'tumble', sizeMs: 10_000 }, timeColumn: 1 });
    const tn = p.addOperator(tumble, [wn]);
    const agg = new WindowAggregateExec(tumble.outputColumns, {
      window: { kind: 'assigned', startColumn: 2, endColumn: 3 }, groupKeys: [],
      aggregates: [{ fn: 'COUNT_STAR', arg: null, name: 'n' }, { fn: 'SUM', arg: 0, name: 's' }], stateBytesMax: 1 << 20,
    });
    const an = p.addOperator(agg, [tn]);
    const sink = new CollectSink();
    p.addSink(sink, an);
    const checkpoints: number[] = [];
    await p.run({ checkpointEveryRounds: 1, onCheckpoint: async (cp) => { checkpoints.push(cp.id); } });
    const base = Date.UTC(2024, 0, 1);
    expect(sink.batches.flatMap(changelog)).toEqual([
      `+I[${base}, ${base + 10_000}, ${base + 9_999}, 2, 3]`,
      `+I[${base + 10_000}, ${base + 20_000}, ${base + 19_999}, 1, 3]`,
    ]);
    expect(sink.finished).toBe(true);
    expect(Object.keys(p.metrics())).toHaveLength(3);
    expect(p.display()).toContain('WindowAggregateExec');
  });

  test("a state too large for a snapshot fails the checkpoint with an error naming what to set, not V8's", async () => {
    /** V8 throws RangeError('Invalid string length') when a JSON snapshot passes ~512 MiB. */
    class HugeStateExec extends CalcExec {
      override snapshotState(): Uint8Array {
        throw new RangeError('Invalid string length');
      }
    }
    const p = new Pipeline();
    const s = p.addSource(new ValuesExec(cols, [[E.lit(1, T.int()), E.cast(E.lit('2024-01-01 00:00:01', T.string()), T.timestamp(3))]]));
    const calc = p.addOperator(new HugeStateExec(cols, { projections: [{ name: 'p', expr: E.col(0) }] }), [s]);
    p.addSink(new CollectSink(), calc);
    await expect(p.run({ checkpointEveryRounds: 1, onCheckpoint: async () => {} }))
      .rejects.toThrow(/too large to checkpoint.*'sql\.state-ttl'.*'sql\.state\.max-size'/);
  });
});
