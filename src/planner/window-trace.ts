/**
 * Where a column comes from, for window recognition: follows a column down through filters,
 * watermark assigners and column-passing projections to a window TVF's window_start,
 * window_end or window_time.
 */
import type { PhysicalExpr } from '../operators/index.ts';
import type { LogicalPlan, WindowTableFunctionNode } from './logical-plan.ts';

export interface TracedWindowColumn {
  readonly tvf: WindowTableFunctionNode;
  /** 0 window_start, 1 window_end, 2 window_time. */
  readonly which: number;
}

export function traceWindowColumn(plan: LogicalPlan, index: number): TracedWindowColumn | null {
  const at = columnOrigin(plan, index);
  if (at === null) return null;
  const p = at.plan, i = at.index;
  switch (p.kind) {
    case 'WindowTableFunction': {
      const n = p.input.schema.length;
      return i >= n ? { tvf: p, which: i - n } : traceWindowColumn(p.input, i);
    }
    case 'WindowAggregate': {
      // A window aggregation's output keeps its windows: grouping it again by window_start and
      // window_end is a window aggregation too (Flink's windowing attached to the input).
      const k = p.groupExprs.length;
      return i >= k && i <= k + 2 && p.window.kind !== 'session' ? { tvf: attachedWindows(p, k, k + 1, k + 2), which: i - k } : null;
    }
    case 'Aggregate': {
      const g = p.legacyWindow === undefined ? windowGrouping(p.groupExprs, p.input) : null;
      if (g === null || g.tvf.window.kind === 'session') return null;
      return i === g.start || i === g.end ? { tvf: attachedWindows(p, g.start, g.end, g.end), which: i === g.start ? 0 : 1 } : null;
    }
    default: return null;
  }
}

/**
 * Follows column `index` down through filters, watermark assigners and column-passing
 * projections to the node that makes it; null when a projection computes it.
 */
export function columnOrigin(plan: LogicalPlan, index: number): { plan: LogicalPlan; index: number } | null {
  switch (plan.kind) {
    case 'Filter': case 'WatermarkAssigner': return columnOrigin(plan.input, index);
    case 'Project': case 'Calc': {
      const e = plan.exprs[index];
      return e.kind === 'column' ? columnOrigin(plan.input, e.index) : null;
    }
    default: return { plan, index };
  }
}

const attached = new WeakMap<LogicalPlan, WindowTableFunctionNode>();

/**
 * The windows a windowed aggregation's rows already carry, as a window TVF over its output
 * (window_start, window_end, window_time at `start`, `end`, `time`). Only its window and column
 * types are read; it never becomes part of a plan. One object per node, so both bounds of the
 * same aggregation trace to the same windows.
 */
function attachedWindows(plan: (LogicalPlan & { kind: 'WindowAggregate' | 'Aggregate' }), start: number, end: number, time: number): WindowTableFunctionNode {
  let tvf = attached.get(plan);
  if (tvf === undefined) {
    const window = plan.kind === 'WindowAggregate' ? plan.window : (windowGrouping(plan.groupExprs, plan.input) as { tvf: WindowTableFunctionNode }).tvf.window;
    const cols = [plan.schema[start], plan.schema[end], plan.schema[time]];
    tvf = Object.freeze({
      kind: 'WindowTableFunction' as const, input: plan, timeColumn: time, window, changelog: plan.changelog,
      schema: Object.freeze([...plan.schema, { name: 'window_start', type: cols[0].type }, { name: 'window_end', type: cols[1].type }, { name: 'window_time', type: cols[2].type }]),
    });
    attached.set(plan, tvf);
  }
  return tvf;
}

/** Group keys `start` and `end` that are window_start and window_end of one TVF, if any. */
export function windowGrouping(groupExprs: readonly PhysicalExpr[], input: LogicalPlan): { tvf: WindowTableFunctionNode; start: number; end: number } | null {
  const traced = groupExprs.map((e) => (e.kind === 'column' ? traceWindowColumn(input, e.index) : null));
  for (let s = 0; s < traced.length; s++) {
    const t = traced[s];
    if (t === null || t.which !== 0) continue;
    const end = traced.findIndex((x) => x !== null && x.which === 1 && x.tvf === t.tvf);
    if (end >= 0) return { tvf: t.tvf, start: s, end };
  }
  return null;
}
