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
  if (at === null || at.plan.kind !== 'WindowTableFunction') return null;
  const n = at.plan.input.schema.length;
  return at.index >= n ? { tvf: at.plan, which: at.index - n } : traceWindowColumn(at.plan.input, at.index);
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
