/**
 * Convenience entry points over bind + compile: evaluate one expression over a batch (or rows)
 * and get JavaScript values back. Used by tests, constant folding in the planner, and ValuesExec;
 * operators keep the compiled form instead.
 */
import type { RecordBatch } from 'apache-arrow';
import { batchFromRows } from '../batch.ts';
import { scalarAt } from '../column.ts';
import { formatDecimal } from '../functions/decimal.ts';
import type { SqlType } from '../types.ts';
import { bindExpr } from './bind.ts';
import type { BoundExpr } from './bind.ts';
import { compileCalc, readInputs } from './compile.ts';
import type { PhysicalExpr } from './ir.ts';

/** Values of `expr` for every row; DECIMAL results come back as decimal strings. */
export function evaluateOnBatch(expr: PhysicalExpr, types: readonly SqlType[], batch: RecordBatch): unknown[] {
  const bound = bindExpr(expr, types);
  return evaluateBound(bound, types, batch);
}

export function evaluateBound(bound: BoundExpr, types: readonly SqlType[], batch: RecordBatch): unknown[] {
  const calc = compileCalc(null, [bound]);
  const out = calc.run(readInputs(batch, types, calc.inputsUsed), batch.numRows);
  const col = out.columns[0];
  const values: unknown[] = [];
  for (let i = 0; i < out.count; i++) {
    const v = scalarAt(col, i);
    values.push(col.type.kind === 'DECIMAL' && v !== null ? formatDecimal(v as bigint, col.type.scale) : v);
  }
  return values;
}

/** Evaluates `expr` over rows given as JS values (column i of each row has type `types[i]`). */
export function evaluateRows(expr: PhysicalExpr, types: readonly SqlType[], rows: readonly (readonly unknown[])[]): unknown[] {
  const batch = batchFromRows(types.map((type, i) => ({ name: `c${i}`, type })), rows);
  return evaluateOnBatch(expr, types, batch);
}

/** Evaluates a constant expression (no column references). */
export function evaluateConstant(expr: PhysicalExpr): unknown {
  return evaluateRows(expr, [], [[]])[0];
}
