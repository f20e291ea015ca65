/**
 * Projection pushdown: every node computes only the columns something above it reads, and the
 * Scan asks its source for just those columns (a topic source then decodes only those fields).
 * Unused projections and aggregate-free columns disappear; a WatermarkAssigner keeps its time
 * column, a window TVF its time column, a join the columns its operator reads.
 */
import { E } from '../../operators/index.ts';
import type { PhysicalExpr } from '../../operators/index.ts';
import { columnsUsed, remap } from '../expr-util.ts';
import { joinColumnsKept } from '../join-analysis.ts';
import type { LogicalPlan } from '../logical-plan.ts';
import type { OptimizerRule } from './rule.ts';
import { pruneOver } from './prune-over.ts';

export const projectionPushdown: OptimizerRule = {
  name: 'projection-pushdown',
  apply: (plan) => prune(plan, plan.schema.map((_, i) => i)).plan,
};

export interface Pruned {
  readonly plan: LogicalPlan;
  /** Old column index -> new column index, for every column that survived. */
  readonly map: ReadonlyMap<number, number>;
}

function keep(required: Iterable<number>): number[] {
  return [...new Set(required)].sort((a, b) => a - b);
}

function identity(n: number): Map<number, number> {
  return new Map(Array.from({ length: n }, (_, i) => [i, i]));
}

function prune(plan: LogicalPlan, requiredIn: readonly number[]): Pruned {
  const required = keep(requiredIn);
  switch (plan.kind) {
    case 'Scan': {
      // An upsert table's rows are only meaningful with their key: it stays in the scan.
      const pk = plan.changelog.kind === 'upsert' ? plan.changelog.keys.map((k) => plan.columns.indexOf(k)).filter((c) => c >= 0) : [];
      const withKey = keep([...required, ...pk]);
      const cols = withKey.length === 0 ? [0] : withKey;
      const map = new Map(cols.map((c, i) => [c, i]));
      return { plan: Object.freeze({ ...plan, columns: cols.map((c) => plan.columns[c]), schema: cols.map((c) => plan.schema[c]) }), map };
    }
    case 'Values': {
      const cols = required;
      const map = new Map(cols.map((c, i) => [c, i]));
      return { plan: Object.freeze({ ...plan, rows: plan.rows.map((r) => cols.map((c) => r[c])), schema: cols.map((c) => plan.schema[c]) }), map };
    }
    case 'WatermarkAssigner': {
      const inner = prune(plan.input, [...required, plan.timeColumn]);
      return narrow({ plan: Object.freeze({ ...plan, input: inner.plan, timeColumn: inner.map.get(plan.timeColumn) as number, schema: reschema(plan, inner) }), map: inner.map }, required);
    }
    case 'Filter': {
      const inner = prune(plan.input, [...required, ...columnsUsed(plan.predicate)]);
      return narrow({ plan: Object.freeze({ ...plan, input: inner.plan, predicate: remap(plan.predicate, inner.map), schema: reschema(plan, inner) }), map: inner.map }, required);
    }
    case 'Project': case 'Calc': {
      const used = new Set<number>();
      for (const c of required) columnsUsed(plan.exprs[c], used);
      if (plan.kind === 'Calc' && plan.predicate !== null) columnsUsed(plan.predicate, used);
      const inner = prune(plan.input, [...used]);
      const exprs = required.map((c) => remap(plan.exprs[c], inner.map));
      const map = new Map(required.map((c, i) => [c, i]));
      const schema = required.map((c) => plan.schema[c]);
      if (plan.kind === 'Calc') {
        const predicate = plan.predicate === null ? null : remap(plan.predicate, inner.map);
        return { plan: Object.freeze({ ...plan, input: inner.plan, exprs, predicate, schema }), map };
      }
      return { plan: Object.freeze({ ...plan, input: inner.plan, exprs, schema }), map };
    }
    case 'WindowTableFunction': {
      const n = plan.input.schema.length;
      const inner = prune(plan.input, [...required.filter((c) => c < n), plan.timeColumn]);
      const m = inner.plan.schema.length;
      const map = new Map(inner.map);
      for (let k = 0; k < 3; k++) map.set(n + k, m + k);
      const schema = [...inner.plan.schema.map((_, i) => plan.schema[keyOf(inner.map, i)]), ...plan.schema.slice(n)];
      return { plan: Object.freeze({ ...plan, input: inner.plan, timeColumn: inner.map.get(plan.timeColumn) as number, schema }), map };
    }
    case 'Aggregate': case 'WindowAggregate': {
      const used = new Set<number>();
      for (const e of plan.groupExprs) columnsUsed(e, used);
      for (const a of plan.aggregates) {
        if (a.arg !== null) columnsUsed(a.arg, used);
        if (a.filter !== null) columnsUsed(a.filter, used);
      }
      if (plan.kind === 'Aggregate' && plan.legacyWindow !== undefined) used.add(plan.legacyWindow.timeColumn);
      if (plan.kind === 'WindowAggregate') {
        const w = plan.windowColumns;
        if (w.kind === 'assigned') { used.add(w.startColumn); used.add(w.endColumn); } else used.add(w.timeColumn);
      }
      const inner = prune(plan.input, [...used]);
      const r = (e: PhysicalExpr): PhysicalExpr => remap(e, inner.map);
      const aggregates = plan.aggregates.map((a) => ({ ...a, arg: a.arg === null ? null : r(a.arg), filter: a.filter === null ? null : r(a.filter) }));
      const base = { ...plan, input: inner.plan, groupExprs: plan.groupExprs.map(r), aggregates };
      const at = (c: number): number => inner.map.get(c) as number;
      if (plan.kind === 'Aggregate') {
        const lw = plan.legacyWindow;
        const next = lw === undefined ? base : { ...base, legacyWindow: { window: lw.window, timeColumn: at(lw.timeColumn) } };
        return { plan: Object.freeze(next) as LogicalPlan, map: identity(plan.schema.length) };
      }
      const w = plan.windowColumns;
      const windowColumns = w.kind === 'assigned' ? { kind: 'assigned' as const, startColumn: at(w.startColumn), endColumn: at(w.endColumn) } : { kind: 'session' as const, timeColumn: at(w.timeColumn) };
      return { plan: Object.freeze({ ...base, kind: 'WindowAggregate' as const, window: plan.window, windowColumns }), map: identity(plan.schema.length) };
    }
    case 'Union': {
      const inputs = plan.inputs.map((input) => {
        const inner = prune(input, required);
        if (inner.plan.schema.length === required.length) return inner.plan;
        const exprs = required.map((c) => E.col(inner.map.get(c) as number));
        return Object.freeze({ kind: 'Project' as const, input: inner.plan, exprs, schema: required.map((c) => input.schema[c]), changelog: inner.plan.changelog });
      });
      const map = new Map(required.map((c, i) => [c, i]));
      return { plan: Object.freeze({ ...plan, inputs, schema: required.map((c) => plan.schema[c]) }), map };
    }
    case 'Join': {
      const nLeft = plan.left.schema.length;
      const used = new Set(required);
      if (plan.condition !== null) columnsUsed(plan.condition, used);
      for (const c of joinColumnsKept(plan)) used.add(c);
      const l = prune(plan.left, [...used].filter((c) => c < nLeft));
      const r = prune(plan.right, [...used].filter((c) => c >= nLeft).map((c) => c - nLeft));
      const m = l.plan.schema.length;
      const map = new Map(l.map);
      for (const [from, to] of r.map) map.set(nLeft + from, m + to);
      const schema = [...l.plan.schema.map((_, i) => plan.schema[keyOf(l.map, i)]), ...r.plan.schema.map((_, i) => plan.schema[nLeft + keyOf(r.map, i)])];
      const condition = plan.condition === null ? null : remap(plan.condition, map);
      const temporal = plan.temporal === undefined ? {} : { temporal: { leftTimeColumn: map.get(plan.temporal.leftTimeColumn) as number } };
      return narrow({ plan: Object.freeze({ ...plan, left: l.plan, right: r.plan, condition, ...temporal, schema }), map }, required);
    }
    case 'Over': case 'Rank': return pruneOver(plan, required, prune);
    default: {
      const never: never = plan;
      return never;
    }
  }
}

/**
 * Drops the columns a filter or watermark assigner needed for itself but nobody above reads,
 * with a projection that merge-calc folds into the next Calc.
 */
function narrow(p: Pruned, required: readonly number[]): Pruned {
  if (p.plan.schema.length === required.length || required.length === 0) return p;
  const exprs = required.map((c) => E.col(p.map.get(c) as number));
  const schema = required.map((c) => p.plan.schema[p.map.get(c) as number]);
  const plan = Object.freeze({ kind: 'Project' as const, input: p.plan, exprs, schema, changelog: p.plan.changelog });
  return { plan, map: new Map(required.map((c, i) => [c, i])) };
}

/** The schema of a pass-through node (same columns as its input) after its input was pruned. */
function reschema(plan: LogicalPlan, inner: Pruned): LogicalPlan['schema'] {
  return inner.plan.schema.map((_, i) => plan.schema[keyOf(inner.map, i)]);
}

function keyOf(map: ReadonlyMap<number, number>, value: number): number {
  for (const [k, v] of map) if (v === value) return k;
  throw new Error(`no column maps to ${value}`);
}
