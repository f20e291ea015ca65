/**
 * Physical plan -> running Pipeline: sources from the SourceFactory (topics, or literal rows in
 * tests), one src/operators instance per `*Exec` node, and the sink from the SinkFactory.
 *
 * Contract with connectors: a source for `{ table, columns }` emits batches whose columns are
 * exactly `columns` (in that order, typed as the catalog says), plus `$row_kind` last when the
 * table is an upsert table that emits updates and deletes; a sink gets the result schema
 * (batches of updating results carry a trailing `$row_kind` column, see src/operators/row-kind.ts).
 */
import {
  CalcExec, ChangelogNormalizeExec, GroupAggregateExec, Pipeline, UnionExec, ValuesExec, WatermarkAssignerExec, WindowAggregateExec,
  WindowAssignerExec,
} from '../operators/index.ts';
import { E } from '../operators/index.ts';
import type { ColumnDef, NodeId, Operator, PhysicalExpr, Sink, Source } from '../operators/index.ts';
import { joinOperator } from './build-join.ts';
import type { CatalogTable } from './catalog.ts';
import { PlanError } from './errors.ts';
import type { PhysicalNode, PhysicalPlan } from './physical-plan.ts';
import { overOperator } from './build-over.ts';

/**
 * The table's WATERMARK strategy for the source to apply per partition: `expr` is the event time
 * over the scan's columns (the time column, or the computed column's expression), `delayMs` the
 * bound subtracted from it.
 */
export interface ScanWatermark {
  readonly expr: PhysicalExpr;
  readonly delayMs: number;
  readonly idleTimeoutMs: number | null;
}

/**
 * Makes the source of a Scan. A WatermarkAssignerExec over the scan (directly, or through the
 * projection of computed columns) hands its strategy down as `watermark`; a source that applies it
 * itself, per partition with idleness (the Kafka topic source), sets `emitsWatermarks: true` and
 * the assigner is left out, so the rows of a partition that is ahead are not judged against the
 * merged stream. Otherwise the plan assigns watermarks from the rows it sees.
 *
 * `deletes` (an upsert table under a ChangelogNormalizeExec): the source adds `$row_kind` and
 * emits a record without a value (a tombstone) as a -D row with the key columns set and the
 * others NULL; other records are +U. A source that cannot see deletes may leave it out: its rows
 * are then all upserts.
 */
export interface SourceFactory {
  (scan: { readonly table: CatalogTable; readonly columns: readonly string[]; readonly watermark?: ScanWatermark; readonly deletes?: boolean }): Source & { readonly emitsWatermarks?: boolean };
}

/** `changelogMode`: 'append' (inserts only), 'retract' (+I/-U/+U/-D), 'upsert' (write by `upsertKeys`; ignore -U, -D deletes). */
export interface SinkFactory {
  (target: {
    readonly table: CatalogTable | null;
    readonly schema: readonly ColumnDef[];
    readonly changelogMode: 'append' | 'retract' | 'upsert';
    readonly upsertKeys?: readonly string[];
  }): Sink;
}

export interface PipelineFactories {
  readonly source: SourceFactory;
  readonly sink: SinkFactory;
}

export function buildPipeline(plan: PhysicalPlan, factories: PipelineFactories): Pipeline {
  const p = new Pipeline();
  const root = instantiate(plan.root, p, factories);
  const pk = plan.target?.primaryKey;
  const sink = plan.target !== null && pk !== undefined && pk.length > 0
    ? factories.sink({ table: plan.target, schema: plan.schema, changelogMode: 'upsert', upsertKeys: pk })
    : factories.sink({
      table: plan.target, schema: plan.schema, changelogMode: plan.changelog.kind,
      ...(plan.changelog.kind === 'upsert' ? { upsertKeys: plan.changelog.keys } : {}),
    });
  p.addSink(sink, root.id);
  return p;
}

interface Built {
  readonly id: NodeId;
  readonly columns: readonly ColumnDef[];
  /** A source that emits its own watermarks. */
  readonly emitsWatermarks?: boolean;
}

/** `watermark`: a strategy handed down from a WatermarkAssignerExec above, in this node's output columns. */
function instantiate(node: PhysicalNode, p: Pipeline, f: PipelineFactories, watermark?: ScanWatermark): Built {
  const op = (o: Operator, inputs: readonly Built[]): Built => ({ id: p.addOperator(o, inputs.map((i) => i.id)), columns: o.outputColumns });
  switch (node.kind) {
    case 'SourceExec': {
      const source = f.source({ table: node.table, columns: node.columns, ...(watermark === undefined ? {} : { watermark }), ...(node.deletes === true ? { deletes: true } : {}) });
      // An upsert table's source may add a trailing `$row_kind` column (+I/+U/-D).
      const names = source.outputColumns.map((c) => c.name).filter((n) => n !== '$row_kind');
      if (names.length !== node.columns.length || names.some((n, i) => n !== node.columns[i])) {
        throw new PlanError(`source for ${node.table.name} gave columns [${names.join(', ')}], expected [${node.columns.join(', ')}]`);
      }
      return { id: p.addSource(source), columns: source.outputColumns, emitsWatermarks: source.emitsWatermarks === true };
    }
    case 'ValuesExec': {
      const source = new ValuesExec(node.schema, node.rows);
      return { id: p.addSource(source), columns: source.outputColumns };
    }
    case 'WatermarkAssignerExec': {
      const handDown = node.strategy.kind === 'proctime' ? undefined
        : { expr: E.col(node.timeColumn), delayMs: node.delayMs, idleTimeoutMs: node.idleTimeoutMs };
      const input = instantiate(node.input, p, f, handDown);
      if (input.emitsWatermarks === true && handDown !== undefined) return input;
      return op(new WatermarkAssignerExec(input.columns, {
        timeColumn: node.timeColumn, delayMs: node.delayMs, idleTimeoutMs: node.idleTimeoutMs, processingTime: node.strategy.kind === 'proctime',
      }), [input]);
    }
    case 'CalcExec': {
      // A projection (of computed columns) passes the strategy on, rewritten over its input; a
      // filter does not: the source would see rows the assigner never sees.
      const below = watermark !== undefined && node.predicate === null && watermark.expr.kind === 'column'
        ? { ...watermark, expr: node.projections[watermark.expr.index].expr } : undefined;
      const input = instantiate(node.input, p, f, below);
      const built = op(new CalcExec(input.columns, { predicate: node.predicate, projections: node.projections }), [input]);
      return { ...built, emitsWatermarks: below !== undefined && input.emitsWatermarks === true };
    }
    case 'WindowAssignerExec': {
      const input = instantiate(node.input, p, f);
      return op(new WindowAssignerExec(input.columns, { window: node.window, timeColumn: node.timeColumn }), [input]);
    }
    case 'WindowAggregateExec': {
      const input = instantiate(node.input, p, f);
      return op(new WindowAggregateExec(input.columns, {
        window: node.window, groupKeys: node.groupKeys, aggregates: node.aggregates, stateBytesMax: node.stateBytesMax,
      }), [input]);
    }
    case 'GroupAggregateExec': {
      const input = instantiate(node.input, p, f);
      return op(new GroupAggregateExec(input.columns, {
        groupKeys: node.groupKeys, aggregates: node.aggregates, stateBytesMax: node.stateBytesMax, emit: node.emit, stateTtlMs: node.stateTtlMs,
        ...(node.miniBatch === null ? {} : { miniBatch: node.miniBatch }),
      }), [input]);
    }
    case 'UnionExec': {
      const inputs = node.inputs.map((i) => instantiate(i, p, f));
      return op(new UnionExec(inputs.map((i) => i.columns)), inputs);
    }
    case 'JoinExec': {
      const left = instantiate(node.left, p, f), right = instantiate(node.right, p, f);
      return op(joinOperator(node, left.columns, right.columns), [left, right]);
    }
    case 'ChangelogNormalizeExec': {
      const input = instantiate(node.input, p, f);
      return op(new ChangelogNormalizeExec(input.columns, {
        keys: node.keys, stateBytesMax: node.stateBytesMax, stateTtlMs: node.stateTtlMs, outputTypes: node.schema.map((c) => c.type),
      }), [input]);
    }
    case 'RankExec': case 'DeduplicateExec': case 'WindowRankExec': case 'OverAggregateExec': {
      const input = instantiate(node.input, p, f);
      return op(overOperator(node, input.columns), [input]);
    }
    default: {
      const never: never = node;
      throw new PlanError(`unknown physical node ${JSON.stringify(never)}`);
    }
  }
}
