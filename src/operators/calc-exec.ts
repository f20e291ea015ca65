/**
 * CalcExec: filter and projection in one compiled pass (Flink's Calc, DataFusion's
 * FilterExec + ProjectionExec fused).
 *
 * Projections that are plain column references are not computed: their Arrow data is passed
 * through (sliced by the selection when a filter dropped rows), so strings are never decoded
 * just to be copied. Everything else is compiled once, at construction, into one function.
 * An updating input keeps its `$row_kind` column: it is carried to the output unchanged.
 *
 * @example
 *   const calc = new CalcExec(input, {
 *     predicate: E.call('=', E.call('MOD', E.col(0), E.lit(123, T.int())), E.lit(0, T.int())),
 *     projections: [{ name: 'auction', expr: E.col(0) }, { name: 'price', expr: E.col(2) }],
 *   });
 */
import type { Data, RecordBatch } from 'apache-arrow';
import type { ColumnDef } from './arrow-types.ts';
import { makeBatch } from './batch.ts';
import { toArrowData } from './column.ts';
import { InvalidPlanError } from './errors.ts';
import { bindExpr } from './expr/bind.ts';
import type { BoundExpr } from './expr/bind.ts';
import { compileCalc, readInputs } from './expr/compile.ts';
import type { CompiledCalc } from './expr/compile.ts';
import { displayExpr } from './expr/ir.ts';
import type { PhysicalExpr } from './expr/ir.ts';
import type { StreamMessage } from './message.ts';
import { BaseExec } from './operator-base.ts';
import { ROW_KIND_COLUMN } from './row-kind.ts';
import { takeData } from './take.ts';
import { evaluationWatermark } from './functions/temporal.ts';

export interface Projection {
  readonly name: string;
  readonly expr: PhysicalExpr;
}

export interface CalcOptions {
  readonly predicate?: PhysicalExpr | null;
  readonly projections: readonly Projection[];
}

/** The compiled form of a Calc: what `calcBatch` needs. */
export interface CalcPlan {
  readonly inputColumns: readonly ColumnDef[];
  readonly outputColumns: readonly ColumnDef[];
  readonly compiled: CompiledCalc;
  /** For each output column: the input column passed through, or -1 when computed. */
  readonly passThrough: readonly number[];
  /** Index into `compiled` outputs for computed columns. */
  readonly computedIndex: readonly number[];
  /** Input index of `$row_kind`, or -1. */
  readonly rowKindInput: number;
}

export function planCalc(inputColumns: readonly ColumnDef[], options: CalcOptions): CalcPlan {
  const types = inputColumns.map((c) => c.type);
  const predicate = options.predicate === undefined || options.predicate === null ? null : bindExpr(options.predicate, types);
  if (predicate !== null && predicate.type.kind !== 'BOOLEAN') {
    throw new InvalidPlanError('TYPE_MISMATCH', `CalcExec: the filter must be BOOLEAN, got ${predicate.type.kind}`);
  }
  const rowKindInput = inputColumns.findIndex((c) => c.name === ROW_KIND_COLUMN);
  const bound: BoundExpr[] = [];
  const passThrough: number[] = [];
  const computedIndex: number[] = [];
  const outputColumns: ColumnDef[] = [];
  for (const p of options.projections) {
    const b = bindExpr(p.expr, types);
    outputColumns.push({ name: p.name, type: b.type });
    if (b.kind === 'column') {
      passThrough.push(b.index);
      computedIndex.push(-1);
    } else {
      passThrough.push(-1);
      computedIndex.push(bound.length);
      bound.push(b);
    }
  }
  if (rowKindInput >= 0 && !options.projections.some((p) => p.name === ROW_KIND_COLUMN)) {
    outputColumns.push(inputColumns[rowKindInput]);
    passThrough.push(rowKindInput);
    computedIndex.push(-1);
  }
  return { inputColumns, outputColumns, compiled: compileCalc(predicate, bound), passThrough, computedIndex, rowKindInput };
}

/** Filters and projects one batch. Returns a batch with 0 rows when nothing passes. */
export function calcBatch(batch: RecordBatch, plan: CalcPlan): RecordBatch {
  const types = plan.inputColumns.map((c) => c.type);
  const n = batch.numRows;
  const out = plan.compiled.run(readInputs(batch, types, plan.compiled.inputsUsed), n);
  const data: Data[] = plan.outputColumns.map((_, j) => {
    const src = plan.passThrough[j];
    if (src >= 0) {
      const d = batch.data.children[src] as Data;
      return out.selection === null ? d : takeData(d, out.selection, out.count);
    }
    return toArrowData(out.columns[plan.computedIndex[j]]);
  });
  return makeBatch(plan.outputColumns, data, out.count);
}

export class CalcExec extends BaseExec {
  readonly name = 'CalcExec';
  readonly inputCount = 1;
  readonly outputColumns: readonly ColumnDef[];
  private readonly plan: CalcPlan;
  private readonly options: CalcOptions;

  constructor(inputColumns: readonly ColumnDef[], options: CalcOptions) {
    super();
    this.plan = planCalc(inputColumns, options);
    this.outputColumns = this.plan.outputColumns;
    this.options = options;
  }

  protected onBatch(_input: number, batch: RecordBatch, out: StreamMessage[]): void {
    if (batch.numCols !== this.plan.inputColumns.length) {
      throw new InvalidPlanError('INVALID_PLAN', `CalcExec: batch has ${batch.numCols} columns, expected ${this.plan.inputColumns.length}`);
    }
    evaluationWatermark.ms = this.watermarkMs; // CURRENT_WATERMARK: the watermark this operator has seen
    this.emitBatch(calcBatch(batch, this.plan), out);
  }

  display(): string {
    const names = this.plan.inputColumns.map((c) => c.name);
    const filter = this.options.predicate ? ` filter=${displayExpr(this.options.predicate, names)}` : '';
    return `CalcExec:${filter} project=[${this.options.projections.map((p) => `${displayExpr(p.expr, names)} AS ${p.name}`).join(', ')}]`;
  }
}
