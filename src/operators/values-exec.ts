/**
 * ValuesExec: literal rows (`VALUES (1, 'a'), (2, 'b')`). Each cell is a constant expression,
 * evaluated once at construction; the operator is a bounded source that emits one batch, then
 * `end`. It implements `Source`, so the pipeline drives it like any connector.
 */
import type { RecordBatch } from 'apache-arrow';
import type { ColumnDef } from './arrow-types.ts';
import { batchFromRows } from './batch.ts';
import { InvalidPlanError } from './errors.ts';
import { coerce, bindExpr } from './expr/bind.ts';
import { evaluateBound } from './expr/evaluate.ts';
import type { PhysicalExpr } from './expr/ir.ts';
import { parseDecimal } from './functions/decimal.ts';
import type { StreamMessage } from './message.ts';
import type { Source, SourceOffsets } from './pipeline.ts';

/** Evaluates literal rows into one batch with the given columns. */
export function valuesBatch(columns: readonly ColumnDef[], rows: readonly (readonly PhysicalExpr[])[]): RecordBatch {
  const one = batchFromRows([], [[]]);
  const values = rows.map((row, r) => {
    if (row.length !== columns.length) throw new InvalidPlanError('INVALID_PLAN', `ValuesExec: row ${r} has ${row.length} values, expected ${columns.length}`);
    return row.map((e, c) => {
      const v = evaluateBound(coerce(bindExpr(e, []), columns[c].type), [], one)[0];
      const t = columns[c].type;
      return t.kind === 'DECIMAL' && typeof v === 'string' ? parseDecimal(v, t.scale) : v;
    });
  });
  return batchFromRows(columns, values);
}

export class ValuesExec implements Source {
  readonly name = 'ValuesExec';
  readonly outputColumns: readonly ColumnDef[];
  private readonly batch: RecordBatch;
  private done = false;

  constructor(columns: readonly ColumnDef[], rows: readonly (readonly PhysicalExpr[])[]) {
    this.outputColumns = columns;
    this.batch = valuesBatch(columns, rows);
  }

  poll(): Promise<StreamMessage[]> {
    if (this.done) return Promise.resolve([]);
    this.done = true;
    return Promise.resolve([{ kind: 'batch', batch: this.batch }, { kind: 'end' }]);
  }

  offsets(): SourceOffsets {
    return { done: this.done ? '1' : '0' };
  }

  restoreOffsets(offsets: SourceOffsets): void {
    this.done = offsets.done === '1';
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
