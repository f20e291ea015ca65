/**
 * A query: `WITH` (CTEs are expanded where they are used), then its body -- SELECT, VALUES, or
 * a set operation. ORDER BY and LIMIT on a stream need Top-N or sorting operators (part 2).
 */
import { E, commonType, displayType, typesEqual } from '../../operators/index.ts';
import type { PhysicalExpr, SortKey, SqlType } from '../../operators/index.ts';
import { rankNode } from '../logical-over.ts';
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
    if (q.orderBy.length > 0 && q.limit === undefined) {
      throw unsupported('ORDER BY on a stream without LIMIT', q.orderBy[0].pos, 'a stream has no end to sort up to; ORDER BY … LIMIT n keeps the top n rows as they change');
    }
    if (q.offset !== undefined) throw unsupported('OFFSET', q.offset.pos);
    let inner = ctx;
    if (q.with.length > 0) {
      const ctes = new Map(ctx.ctes);
      for (const cte of q.with) addCte(ctes, cte);
      inner = { ...ctx, ctes };
    }
    const bound = bindBody(q.body, inner);
    return q.limit === undefined ? bound : bindLimit(q, bound);
  } finally {
    depth--;
  }
}

/**
 * `LIMIT n` on a stream is Flink's streaming limit, a Top-N over the whole stream: without ORDER
 * BY the first n rows (append-only; a transient SELECT ends after them), with ORDER BY the n
 * smallest rows by its keys so far, retracted and replaced as smaller ones arrive.
 */
function bindLimit(q: QueryNode, bound: Bound): Bound {
  const limit = q.limit as NonNullable<QueryNode['limit']>;
  const n = limit.kind === 'NumericLiteral' ? Number(limit.text) : NaN;
  if (!Number.isSafeInteger(n) || n < 0 || n > LIMIT_ROWS_MAX) throw new PlanError(`LIMIT takes a whole number of rows from 0 to ${LIMIT_ROWS_MAX}`, limit.pos);
  const orderKeys: SortKey[] = q.orderBy.map((o) => {
    const e = bindScalar(o.expr, { scope: bound.scope, clause: 'ORDER BY' });
    if (e.kind !== 'column') throw unsupported('expressions in ORDER BY (select the value and order by its name)', o.pos);
    const descending = o.direction === 'DESC';
    return { column: e.index, descending, nullsFirst: o.nulls === undefined ? !descending : o.nulls === 'FIRST' };
  });
  return { plan: rankNode(bound.plan, [], orderKeys, 'ROW_NUMBER', 1, n, null), scope: bound.scope };
}

/** Rows a streaming LIMIT keeps at most (it holds them as state). */
export const LIMIT_ROWS_MAX = 1_000_000;

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
