/**
 * Logical Join -> JoinExecNode: the operator join-analysis.ts chose, join keys as input columns
 * (a CalcExec appends computed keys, such as `MOD(auction, 10000)` or a key cast to the other
 * side's type), and the unique keys of upsert inputs.
 */
import { E } from '../operators/index.ts';
import type { ColumnDef, PhysicalExpr } from '../operators/index.ts';
import { PlanError, unsupported } from './errors.ts';
import { exprType } from './expr-util.ts';
import { alignKeys, analyzeJoin } from './join-analysis.ts';
import type { JoinNode, LogicalPlan } from './logical-plan.ts';
import { readDeletes } from './physical-plan.ts';
import type { CalcExecNode, JoinExecNode, JoinOperatorSpec, PhysicalNode } from './physical-plan.ts';

export function planJoin(node: JoinNode, left: PhysicalNode, right: PhysicalNode, stateBytesMax: number, stateTtlMs: number | null): JoinExecNode {
  const s = analyzeJoin(node);
  const keys = alignKeys(s.keys, node.left.schema, node.right.schema);
  // An upsert side is stored by its key, so its tombstones can delete (and retract the matches).
  const byKey = (side: LogicalPlan, input: PhysicalNode, yes: boolean): PhysicalNode => (yes && side.changelog.kind === 'upsert' ? readDeletes(input) : input);
  const l = withKeyColumns(byKey(node.left, left, s.kind === 'regular'), node.left.schema, keys.map((k) => k.left));
  const r = withKeyColumns(byKey(node.right, right, s.kind === 'regular' || s.kind === 'temporal'), node.right.schema, keys.map((k) => k.right));
  let spec: JoinOperatorSpec;
  switch (s.kind) {
    case 'regular': spec = { kind: 'regular', leftUniqueKey: uniqueKey(node.left), rightUniqueKey: uniqueKey(node.right), stateTtlMs }; break;
    case 'interval': spec = { kind: 'interval', leftTime: s.leftTime, rightTime: s.rightTime, lowerMs: s.lowerMs, upperMs: s.upperMs }; break;
    case 'window': spec = { kind: 'window', leftEnd: s.leftEnd, rightEnd: s.rightEnd, window: s.window }; break;
    case 'temporal': {
      if (keys.length === 0) throw new PlanError('a temporal join needs an equality between the tables in ON (the versioned table is looked up by key)');
      if (s.rightTime !== null && node.left.changelog.kind !== 'append') throw unsupported('an event-time temporal join of an updating left input');
      spec = { kind: 'temporal', leftTime: s.leftTime, rightTime: s.rightTime, rightUniqueKey: s.rightUniqueKey };
      break;
    }
    default: {
      const never: never = s;
      return never;
    }
  }
  return {
    kind: 'JoinExec', left: l.node, right: r.node, joinType: node.joinType, leftKeys: l.keys, rightKeys: r.keys, condition: s.residual,
    outputColumnCounts: [node.left.schema.length, node.right.schema.length], spec, stateBytesMax, schema: node.schema, changelog: node.changelog,
  };
}

/** Column indexes of an upsert input's key, or null for append-only and retract inputs. */
function uniqueKey(plan: LogicalPlan): number[] | null {
  const mode = plan.changelog;
  if (mode.kind !== 'upsert' || mode.keys.length === 0) return null;
  return mode.keys.map((k) => plan.schema.findIndex((c) => c.name === k));
}

/** Key expressions as columns: plain columns as they are, others appended by a CalcExec. */
function withKeyColumns(input: PhysicalNode, schema: readonly ColumnDef[], exprs: readonly PhysicalExpr[]): { node: PhysicalNode; keys: number[] } {
  if (exprs.every((e) => e.kind === 'column')) return { node: input, keys: exprs.map((e) => (e.kind === 'column' ? e.index : -1)) };
  const extra = exprs.map((e, j) => ({ name: `$key${j}`, expr: e, type: exprType(e, schema) }));
  const calc: CalcExecNode = {
    kind: 'CalcExec', input, predicate: null,
    projections: [...schema.map((c, i) => ({ name: c.name, expr: E.col(i) })), ...extra.map((x) => ({ name: x.name, expr: x.expr }))],
    schema: [...schema, ...extra.map((x) => ({ name: x.name, type: x.type }))], changelog: input.changelog,
  };
  return { node: calc, keys: extra.map((_, j) => schema.length + j) };
}
