/**
 * `INSERT INTO t [(cols)] query`: the query's columns map by position onto the target's
 * physical columns (or the listed ones; the rest get NULL), converted where the types differ
 * within a family (numbers to numbers, timestamps to timestamps; strings pass as they are). An
 * updating query needs a target with a PRIMARY KEY (an upsert table).
 */
import { E, displayType, isCharacterKind, isNumericKind, isTimestampKind, typesEqual, withNullable } from '../../operators/index.ts';
import type { PhysicalExpr, SqlType } from '../../operators/index.ts';
import type { InsertNode } from '../../sql/index.ts';
import { project } from '../builders.ts';
import type { CatalogTable } from '../catalog.ts';
import { PlanError, didYouMean } from '../errors.ts';
import type { LogicalPlan } from '../logical-plan.ts';
import type { BindContext } from './context.ts';
import { bindQuery } from './query.ts';

export function bindInsert(stmt: InsertNode, ctx: BindContext): { target: CatalogTable; plan: LogicalPlan } {
  const name = stmt.table.parts[stmt.table.parts.length - 1];
  if (stmt.overwrite) throw new PlanError('INSERT OVERWRITE is not supported on streaming tables; use INSERT INTO', stmt.pos);
  const target = ctx.catalog.getTable(name);
  if (target === undefined) {
    if (ctx.catalog.getView?.(name) !== undefined) throw new PlanError(`cannot INSERT INTO view '${name}'`, stmt.table.pos);
    throw new PlanError(`unknown table '${stmt.table.parts.join('.')}'${didYouMean(name, ctx.catalog.listTables())}`, stmt.table.pos);
  }
  const writable = target.columns.filter((c) => c.kind === 'physical');
  const listed = stmt.columns.length === 0 ? writable : stmt.columns.map((id) => {
    const col = writable.find((c) => c.name === id.value);
    if (col === undefined) throw new PlanError(`table ${name} has no writable column '${id.value}'${didYouMean(id.value, writable.map((c) => c.name))}`, id.pos);
    return col;
  });
  const query = bindQuery(stmt.query, ctx);
  const out = query.plan.schema;
  if (out.length !== listed.length) {
    throw new PlanError(`the query gives ${out.length} columns, but table ${name} expects ${listed.length} (${listed.map((c) => c.name).join(', ')})`, stmt.query.pos);
  }
  const exprs: PhysicalExpr[] = writable.map((col) => {
    const at = listed.indexOf(col);
    if (at < 0) {
      if (!col.type.nullable) throw new PlanError(`column '${col.name}' of ${name} is NOT NULL and must be given a value`, stmt.pos);
      return E.lit(null, col.type);
    }
    return convert(E.col(at), out[at].type, col.type, `column '${col.name}' of table ${name}`, stmt);
  });
  const plan = project(query.plan, exprs, writable.map((c) => c.name), writable.map((c) => withNullable(c.type, true)));
  if (plan.changelog.kind !== 'append' && target.changelogMode === 'append') {
    throw new PlanError(`table ${name} is append-only, but the query produces an updating (${plan.changelog.kind}) result; declare PRIMARY KEY (...) NOT ENFORCED on ${name} to write it as an upsert table`, stmt.pos);
  }
  return { target, plan };
}

function convert(e: PhysicalExpr, from: SqlType, to: SqlType, what: string, stmt: InsertNode): PhysicalExpr {
  if (from.kind === 'NULL' || typesEqual(from, to, true)) return e;
  // Strings are written as they are: Flink's sink length enforcer is off by default (no truncation).
  if (isCharacterKind(from.kind) && isCharacterKind(to.kind)) return e;
  const same = (isNumericKind(from.kind) && isNumericKind(to.kind))
    || (isCharacterKind(from.kind) && isCharacterKind(to.kind))
    || (isTimestampKind(from.kind) && isTimestampKind(to.kind))
    || (from.kind === 'DATE' && isTimestampKind(to.kind));
  if (!same) throw new PlanError(`${what} is ${displayType(to)}, but the query gives ${displayType(from)}; add a CAST`, stmt.query.pos);
  return E.cast(e, withNullable(to, from.nullable));
}
