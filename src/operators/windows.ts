/**
 * Window assignment for Flink's window TVFs (Flink docs, "Windowing TVF"), as pure functions of
 * an event time in epoch ms. Windows are [start, end); window_time is end - 1 ms.
 *
 * - TUMBLE(size, offset): one window per row, start = ts - ((ts - offset) mod size).
 * - HOP(slide, size, offset): size / slide windows per row.
 * - CUMULATE(step, maxSize, offset): windows [s, s + step), [s, s + 2 step), ... [s, s + maxSize)
 *   of the max-size window s the row falls in, those whose end lies after the row.
 * - SESSION(gap): windows [ts, ts + gap) that merge when they intersect (see WindowAggregateExec).
 */
import { InvalidPlanError } from './errors.ts';

export type WindowSpec =
  | { readonly kind: 'tumble'; readonly sizeMs: number; readonly offsetMs?: number }
  | { readonly kind: 'hop'; readonly slideMs: number; readonly sizeMs: number; readonly offsetMs?: number }
  | { readonly kind: 'cumulate'; readonly stepMs: number; readonly maxSizeMs: number; readonly offsetMs?: number };

/** Most windows one row may be assigned to (HOP size/slide, CUMULATE maxSize/step). */
export const WINDOWS_PER_ROW_MAX = 1000;

export function validateWindowSpec(spec: WindowSpec): void {
  const bad = (msg: string): never => {
    throw new InvalidPlanError('INVALID_PLAN', `${spec.kind.toUpperCase()} window: ${msg}`);
  };
  const pos = (x: number, what: string): void => {
    if (!(Number.isInteger(x) && x > 0)) bad(`${what} must be a positive whole number of milliseconds, got ${x}`);
  };
  switch (spec.kind) {
    case 'tumble': pos(spec.sizeMs, 'size'); break;
    case 'hop':
      pos(spec.slideMs, 'slide'); pos(spec.sizeMs, 'size');
      if (spec.sizeMs % spec.slideMs !== 0) bad(`size ${spec.sizeMs} ms must be a multiple of slide ${spec.slideMs} ms`);
      if (spec.sizeMs / spec.slideMs > WINDOWS_PER_ROW_MAX) bad(`size/slide exceeds ${WINDOWS_PER_ROW_MAX} windows per row`);
      break;
    case 'cumulate':
      pos(spec.stepMs, 'step'); pos(spec.maxSizeMs, 'max size');
      if (spec.maxSizeMs % spec.stepMs !== 0) bad(`max size ${spec.maxSizeMs} ms must be a multiple of step ${spec.stepMs} ms`);
      if (spec.maxSizeMs / spec.stepMs > WINDOWS_PER_ROW_MAX) bad(`max size/step exceeds ${WINDOWS_PER_ROW_MAX} windows per row`);
      break;
    default: {
      const never: never = spec;
      bad(`unknown window ${JSON.stringify(never)}`);
    }
  }
}

/** Start of the window of length `size` (aligned to `offset`) containing `ts`. */
export function windowStart(ts: number, sizeMs: number, offsetMs = 0): number {
  const r = (ts - offsetMs) % sizeMs;
  return r < 0 ? ts - r - sizeMs : ts - r;
}

/** Window assignment of a column of event times: row i of the output belongs to input row rows[i]. */
export interface AssignedWindows {
  readonly count: number;
  readonly rows: Int32Array;
  readonly starts: Float64Array;
  readonly ends: Float64Array;
}

/**
 * Assigns windows to `n` event times. Rows with a NULL time (nulls[i] === 1) get no window,
 * as in Flink.
 */
export function assignWindows(ts: Float64Array, nulls: Uint8Array | null, n: number, spec: WindowSpec): AssignedWindows {
  const per = spec.kind === 'tumble' ? 1 : spec.kind === 'hop' ? spec.sizeMs / spec.slideMs : spec.maxSizeMs / spec.stepMs;
  const cap = n * per;
  const rows = new Int32Array(cap), starts = new Float64Array(cap), ends = new Float64Array(cap);
  const offset = spec.offsetMs ?? 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (nulls !== null && nulls[i] === 1) continue;
    const t = ts[i];
    if (spec.kind === 'tumble') {
      const s = windowStart(t, spec.sizeMs, offset);
      rows[k] = i; starts[k] = s; ends[k] = s + spec.sizeMs; k++;
    } else if (spec.kind === 'hop') {
      // The last window containing t starts at windowStart(t, slide); earlier ones step back by slide.
      const last = windowStart(t, spec.slideMs, offset);
      for (let s = last - spec.sizeMs + spec.slideMs; s <= last; s += spec.slideMs) {
        rows[k] = i; starts[k] = s; ends[k] = s + spec.sizeMs; k++;
      }
    } else {
      const s = windowStart(t, spec.maxSizeMs, offset);
      const firstEnd = windowStart(t, spec.stepMs, offset) + spec.stepMs;
      for (let e = firstEnd; e <= s + spec.maxSizeMs; e += spec.stepMs) {
        rows[k] = i; starts[k] = s; ends[k] = e; k++;
      }
    }
  }
  return { count: k, rows: rows.subarray(0, k), starts: starts.subarray(0, k), ends: ends.subarray(0, k) };
}

export function displayWindow(spec: WindowSpec): string {
  const off = spec.offsetMs ? `, offset=${spec.offsetMs} ms` : '';
  switch (spec.kind) {
    case 'tumble': return `TUMBLE(size=${spec.sizeMs} ms${off})`;
    case 'hop': return `HOP(slide=${spec.slideMs} ms, size=${spec.sizeMs} ms${off})`;
    case 'cumulate': return `CUMULATE(step=${spec.stepMs} ms, max=${spec.maxSizeMs} ms${off})`;
    default: return 'WINDOW';
  }
}
