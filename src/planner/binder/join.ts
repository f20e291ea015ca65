/**
 * `a [INNER|LEFT|RIGHT|FULL] JOIN b ON ...`, `a CROSS JOIN b`, `FROM a, b` and
 * `JOIN t FOR SYSTEM_TIME AS OF a.time ON ...` become a Join node whose columns are a's then b's,
 * each still addressable by its table's qualifier. The WHERE of an inner join is folded into
 * its condition (selection.ts), so `FROM a, b WHERE a.id = b.id AND ...` plans like ON.
 */
import { E } from '../../operators/index.ts';
import type { PhysicalExpr } from '../../operators/index.ts';
import type { JoinNode as JoinRef, TableNameRefNode, TableRef } from '../../sql/index.ts';
import { join } from '../builders.ts';
import { PlanError, unsupported } from '../errors.ts';
import type { JoinType } from '../logical-plan.ts';
import type { BindContext, Bound } from './context.ts';
import { bindScalar, typeOf } from './expression.ts';
import { Scope } from './scope.ts';
import { bindTableName } from './table.ts';
import type { QueryBinder } from './table.ts';

export type FromBinder = (ref: TableRef, ctx: BindContext, bindQuery: QueryBinder) => Bound;

export function bindJoin(ref: JoinRef, ctx: BindContext, bindQuery: QueryBinder, bindFrom: FromBinder): Bound {
  if (ref.natural) throw unsupported('NATURAL JOIN', ref.pos, 'write the condition with ON a.x = b.x');
  const left = bindFrom(ref.left, ctx, bindQuery);
  const asOf = ref.right.kind === 'TableName' ? ref.right.systemTimeAsOf : undefined;
  const right = asOf === undefined ? bindFrom(ref.right, ctx, bindQuery) : bindTableName(withoutAsOf(ref.right as TableNameRefNode), ctx, bindQuery);
  const scope = new Scope([...left.scope.fields, ...right.scope.fields]);
  const type: JoinType = ref.type === 'COMMA' || ref.type === 'CROSS' ? 'INNER' : ref.type;
  const parts: PhysicalExpr[] = [];
  if (ref.using.length > 0) {
    for (const u of ref.using) {
      const l = left.scope.resolve([u.value], u.pos), r = right.scope.resolve([u.value], u.pos);
      parts.push(E.call('=', E.col(l), E.col(left.scope.fields.length + r)));
    }
  }
  if (ref.on !== undefined) {
    const p = bindScalar(ref.on, { scope, clause: 'the join condition (ON)' });
    const t = typeOf(p, scope.types(), ref.on.pos);
    if (t.kind !== 'BOOLEAN' && t.kind !== 'NULL') throw new PlanError(`ON needs a BOOLEAN condition, got ${t.kind}`, ref.on.pos);
    parts.push(p);
  }
  if ((ref.type === 'LEFT' || ref.type === 'RIGHT' || ref.type === 'FULL') && parts.length === 0) {
    throw new PlanError(`${ref.type} JOIN needs a condition: add ON ...`, ref.pos);
  }
  let temporal: { leftTimeColumn: number } | undefined;
  if (asOf !== undefined) {
    if (type !== 'INNER' && type !== 'LEFT') throw unsupported(`${ref.type} JOIN ... FOR SYSTEM_TIME AS OF (temporal joins are INNER or LEFT)`, ref.pos);
    const t = bindScalar(asOf, { scope: left.scope, clause: 'FOR SYSTEM_TIME AS OF' });
    const colType = t.kind === 'column' ? left.scope.fields[t.index].type : null;
    const attr = colType !== null && (colType.kind === 'TIMESTAMP' || colType.kind === 'TIMESTAMP_LTZ') ? colType.timeAttribute : undefined;
    if (t.kind !== 'column' || attr === undefined) {
      throw new PlanError('FOR SYSTEM_TIME AS OF needs a time attribute of the left table: its rowtime column (event-time temporal join) or a PROCTIME() column (lookup join)', asOf.pos);
    }
    if (attr === 'ROWTIME' && right.plan.changelog.kind !== 'upsert') {
      throw new PlanError('an event-time temporal join needs a versioned table on the right: a table with a PRIMARY KEY and a watermark', ref.right.pos);
    }
    temporal = { leftTimeColumn: t.index };
  }
  const condition = parts.length === 0 ? null : parts.length === 1 ? parts[0] : E.and(...parts);
  const plan = join(left.plan, right.plan, type, condition, temporal);
  return { plan, scope: new Scope(scope.fields.map((f, i) => ({ ...f, type: plan.schema[i].type }))) };
}

/** The WHERE of an inner (non-temporal) join becomes part of its condition; null otherwise. */
export function whereIntoJoin(input: Bound, predicate: PhysicalExpr): Bound | null {
  const j = input.plan;
  if (j.kind !== 'Join' || j.joinType !== 'INNER' || j.temporal !== undefined) return null;
  const condition = j.condition === null ? predicate : E.and(j.condition, predicate);
  const plan = join(j.left, j.right, 'INNER', condition);
  return { plan, scope: new Scope(input.scope.fields.map((f, i) => ({ ...f, type: plan.schema[i].type }))) };
}

function withoutAsOf(ref: TableNameRefNode): TableNameRefNode {
  const { systemTimeAsOf: _asOf, ...rest } = ref;
  return rest;
}
