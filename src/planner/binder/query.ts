/**
 * A query: `WITH` (CTEs are expanded where they are used), then its body -- SELECT, VALUES, or
 * a set operation. ORDER BY and LIMIT on a stream need Top-N or sorting operators (part 2).
 */
import { E, commonType, displayType, typesEqual } from '../../operators/index.ts';
import type { PhysicalExpr, SqlType } from '../../operators/index.ts';
import type { CteNode, QueryBody, QueryNode, SetOperationNode, ValuesNode } from '../../sql/index.ts';
import { aggregate, project, union, values } from '../builders.ts';
import { PlanError, unsupported } from '../errors.ts';
import type { LogicalPlan } from '../logical-plan.ts';
import type { BindContext, Bound } from './context.ts';
import { QUERY_DEPTH_MAX } from './context.ts';
import { bindScalar, typeOf } from './expression.ts';
import { Scope } from './scope.ts';
import { bindSelect, outputScope } from './select.ts';

let depth = 0;

export function bindQuery(q: QueryNode, ctx: BindContext): Bound {
  if (depth >= QUERY_DEPTH_MAX) throw new PlanError(`queries nest deeper than ${QUERY_DEPTH_MAX} levels`, q.pos);
  depth++;
  try {
    if (q.orderBy.length > 0) throw unsupported('ORDER BY on a streaming query', q.orderBy[0].pos, 'sorting and Top-N arrive with part 2');
    if (q.limit !== undefined) throw unsupported('LIMIT on a streaming query', q.limit.pos, 'Top-N arrives with part 2');
    if (q.offset !== undefined) throw unsupported('OFFSET', q.offset.pos);
    let inner = ctx;
    if (q.with.length > 0) {
      const ctes = new Map(ctx.ctes);
      for (const cte of q.with) addCte(ctes, cte);
      inner = { ...ctx, ctes };
    }
    return bindBody(q.body, inner);
  } finally {
    depth--;
  }
}

function addCte(ctes: Map<string, CteNode>, cte: CteNode): void {
  const name = cte.name.value;
  if (ctes.has(name)) throw new PlanError(`WITH query name '${name}' is used twice`, cte.pos);
  ctes.set(name, cte);
}

function bindBody(body: QueryBody, ctx: BindContext): Bound {
  switch (body.kind) {
    case 'Select': return bindSelect(body, ctx, bindQuery);
    case 'Values': return bindValues(body);
    case 'SetOperation': return bindSetOperation(body, ctx);
    case 'Query': return bindQuery(body, ctx);
    default: {
      const never: never = body;
      throw new PlanError(`unknown query ${JSON.stringify(never)}`);
    }
  }
}

function bindValues(v: ValuesNode): Bound {
  const empty = new Scope([]);
  const width = v.rows[0]?.length ?? 0;
  const rows = v.rows.map((row, r) => {
    if (row.length !== width) throw new PlanError(`VALUES row ${r + 1} has ${row.length} values, the first has ${width}`, row[0]?.pos ?? v.pos);
    return row.map((e) => bindScalar(e, { scope: empty, clause: 'VALUES' }));
  });
  const schema = Array.from({ length: width }, (_, c) => {
    const types = rows.map((row, r) => typeOf(row[c], [], v.rows[r][c].pos));
    const t = commonType(types);
    if (t === null) throw new PlanError(`VALUES column ${c + 1} mixes types that have no common type: ${types.map(displayType).join(', ')}`, v.rows[0][c].pos);
    return { name: `EXPR$${c}`, type: t };
  });
  const plan = values(rows, schema);
  return { plan, scope: outputScope(plan.schema) };
}

function bindSetOperation(s: SetOperationNode, ctx: BindContext): Bound {
  if (s.op !== 'UNION') throw unsupported(`${s.op}${s.all ? ' ALL' : ''}`, s.pos);
  const inputs: Bound[] = [];
  const flatten = (b: QueryBody): void => {
    if (b.kind === 'SetOperation' && b.op === 'UNION' && b.all === s.all) {
      flatten(b.left);
      flatten(b.right);
    } else inputs.push(bindBody(b, ctx));
  };
  flatten(s);
  const width = inputs[0].plan.schema.length;
  inputs.forEach((b, i) => {
    if (b.plan.schema.length !== width) throw new PlanError(`UNION inputs have different column counts: ${width} and ${b.plan.schema.length} (input ${i + 1})`, s.pos);
  });
  const first = inputs[0].plan.schema;
  const types: SqlType[] = first.map((c, col) => {
    const ts = inputs.map((b) => b.plan.schema[col].type);
    const t = commonType(ts);
    if (t === null) throw new PlanError(`UNION column ${col + 1} ('${c.name}') has types with no common type: ${ts.map(displayType).join(', ')}`, s.pos);
    return t;
  });
  const aligned = inputs.map((b) => castTo(b.plan, types));
  const schema = first.map((c, i) => ({ name: c.name, type: types[i] }));
  let plan: LogicalPlan = union(aligned, schema);
  if (!s.all) plan = aggregate(plan, schema.map((_, i) => E.col(i)), [], schema.map((c) => c.name));
  return { plan, scope: outputScope(plan.schema) };
}

/** Casts columns whose type differs (ignoring time attributes) to `types`. */
function castTo(plan: LogicalPlan, types: readonly SqlType[]): LogicalPlan {
  if (plan.schema.every((c, i) => typesEqual(c.type, types[i], false))) return plan;
  const exprs: PhysicalExpr[] = plan.schema.map((c, i) => (typesEqual(c.type, types[i], true) ? E.col(i) : E.cast(E.col(i), types[i])));
  return project(plan, exprs, plan.schema.map((c) => c.name), types);
}
