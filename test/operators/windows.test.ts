import { describe, expect, test } from 'vitest';
import { assignWindows, validateWindowSpec, windowStart } from '../../src/operators/windows.ts';
import type { WindowSpec } from '../../src/operators/windows.ts';
import { WindowAssignerExec } from '../../src/operators/window-assigner-exec.ts';
import { batchFromRows } from '../../src/operators/batch.ts';
import { T } from '../../src/operators/types.ts';
import { batch, describe as show, run } from './helpers.ts';

const windowsOf = (t: number, spec: WindowSpec): [number, number][] => {
  const w = assignWindows(Float64Array.of(t), null, 1, spec);
  return [...w.starts].map((s, i) => [s, w.ends[i]]);
};

describe('window assignment', () => {
  test.each<[string, number, WindowSpec, [number, number][]]>([
    ['tumble', 12_345, { kind: 'tumble', sizeMs: 10_000 }, [[10_000, 20_000]]],
    ['tumble at the boundary', 10_000, { kind: 'tumble', sizeMs: 10_000 }, [[10_000, 20_000]]],
    ['tumble negative time', -1, { kind: 'tumble', sizeMs: 10_000 }, [[-10_000, 0]]],
    ['tumble with offset', 12_345, { kind: 'tumble', sizeMs: 10_000, offsetMs: 3_000 }, [[3_000, 13_000]]],
    ['hop 2s/10s (Nexmark q5)', 12_345, { kind: 'hop', slideMs: 2_000, sizeMs: 10_000 },
      [[4_000, 14_000], [6_000, 16_000], [8_000, 18_000], [10_000, 20_000], [12_000, 22_000]]],
    ['cumulate 2s up to 6s', 7_500, { kind: 'cumulate', stepMs: 2_000, maxSizeMs: 6_000 }, [[6_000, 8_000], [6_000, 10_000], [6_000, 12_000]]],
    ['cumulate last step', 11_999, { kind: 'cumulate', stepMs: 2_000, maxSizeMs: 6_000 }, [[6_000, 12_000]]],
  ])('%s', (_n, t, spec, expected) => expect(windowsOf(t, spec)).toEqual(expected));

  test('NULL times get no window', () => {
    expect(assignWindows(Float64Array.of(1, 2), Uint8Array.of(1, 0), 2, { kind: 'tumble', sizeMs: 10 }).count).toBe(1);
  });
  test('windowStart', () => expect(windowStart(-15, 10)).toBe(-20));
  test.each<[WindowSpec, RegExp]>([
    [{ kind: 'tumble', sizeMs: 0 }, /positive/],
    [{ kind: 'hop', slideMs: 3, sizeMs: 10 }, /multiple of slide/],
    [{ kind: 'cumulate', stepMs: 1, maxSizeMs: 5000 }, /windows per row/],
  ])('invalid spec %j', (spec, msg) => expect(() => validateWindowSpec(spec)).toThrow(msg));

  test('WindowAssignerExec appends window_start, window_end, window_time and repeats rows for HOP', () => {
    const cols = [{ name: 'id', type: T.bigint() }, { name: 'ts', type: T.timestampLtz(3, false, 'ROWTIME') }];
    const op = new WindowAssignerExec(cols, { window: { kind: 'hop', slideMs: 5, sizeMs: 10 }, timeColumn: 1 });
    expect(op.outputColumns.map((c) => c.name)).toEqual(['id', 'ts', 'window_start', 'window_end', 'window_time']);
    expect(op.outputColumns[4].type).toEqual(T.timestampLtz(3, false, 'ROWTIME'));
    const out = run(op, [batch(batchFromRows(cols, [[1, 7], [2, 12]]))]);
    expect(show(out)).toEqual(['+I[1, 7, 0, 10, 9]', '+I[1, 7, 5, 15, 14]', '+I[2, 12, 5, 15, 14]', '+I[2, 12, 10, 20, 19]']);
  });
  test('window TVFs refuse updating input', () => {
    const cols = [{ name: 'ts', type: T.timestamp(3) }, { name: '$row_kind', type: T.tinyint(false) }];
    expect(() => new WindowAssignerExec(cols, { window: { kind: 'tumble', sizeMs: 5 }, timeColumn: 0 })).toThrow(/append-only/);
  });
});
