/**
 * The non-equi part of a join condition (`ON a.id = b.id AND b.ts BETWEEN a.ts AND a.expires`:
 * the BETWEEN), compiled once and evaluated over all candidate pairs of a batch in one pass. The
 * expression reads the joined row: left columns first, then right columns.
 */
import type { ColumnDef } from '../arrow-types.ts';
import { columnFromValues } from '../batch.ts';
import type { Column } from '../column.ts';
import { bindExpr } from '../expr/bind.ts';
import { compileCalc } from '../expr/compile.ts';
import type { CompiledCalc } from '../expr/compile.ts';
import type { PhysicalExpr } from '../expr/ir.ts';
import { InvalidPlanError } from '../errors.ts';

export class JoinCondition {
  private readonly calc: CompiledCalc;
  private readonly types: readonly ColumnDef['type'][];

  constructor(readonly expr: PhysicalExpr, joined: readonly ColumnDef[]) {
    this.types = joined.map((c) => c.type);
    const bound = bindExpr(expr, this.types);
    if (bound.type.kind !== 'BOOLEAN' && bound.type.kind !== 'NULL') {
      throw new InvalidPlanError('TYPE_MISMATCH', `a join condition must be BOOLEAN, got ${bound.type.kind}`);
    }
    this.calc = compileCalc(bound, []);
  }

  /** Joined-row columns the condition reads. */
  get columnsUsed(): readonly number[] {
    return this.calc.inputsUsed;
  }

  /**
   * Which of `n` candidate pairs satisfy the condition (1 = TRUE; FALSE and NULL reject).
   * `valueAt(column, pair)` gives a joined-row column's value for a pair.
   */
  test(n: number, valueAt: (column: number, pair: number) => unknown): Uint8Array {
    const pass = new Uint8Array(n);
    if (n === 0) return pass;
    const cols = new Array<Column | undefined>(this.types.length);
    const values = new Array<unknown>(n);
    for (const c of this.calc.inputsUsed) {
      for (let p = 0; p < n; p++) values[p] = valueAt(c, p);
      cols[c] = columnFromValues(this.types[c], values);
    }
    const out = this.calc.run(cols, n);
    if (out.selection === null) {
      if (out.count === n) pass.fill(1);
      return pass;
    }
    for (let k = 0; k < out.count; k++) pass[out.selection[k]] = 1;
    return pass;
  }
}
