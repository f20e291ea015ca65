/**
 * EXPLAIN: the optimized logical plan and the physical plan, one line per node, each with its
 * changelog mode, and for stateful operators where their state lives and when it is freed.
 *
 *   == Logical Plan ==
 *   Project: auction, price changelog=append
 *     ...
 *   == Physical Plan ==
 *   Sink: results to the caller changelog=append
 *     CalcExec: select=[auction, price] where=MOD(auction, 123) = 0 changelog=append
 *       ...
 */
import type { AggregateCall } from '../operators/index.ts';
import type { InsertNode, QueryNode, Statement } from '../sql/index.ts';
import type { Catalog, CatalogTable } from './catalog.ts';
import { displayPlan } from './display.ts';
import { displayJoinExec, joinStateNote } from './display-join.ts';
import { displayDuration, displayScalar } from './display-expr.ts';
import { displayWindow } from './display.ts';
import { PlanError } from './errors.ts';
import { changelogName } from './logical-plan.ts';
import type { LogicalPlan } from './logical-plan.ts';
import { physicalInputs } from './physical-plan.ts';
import type { PhysicalNode, PhysicalPlan } from './physical-plan.ts';
import { createPhysicalPlan } from './physical-planner.ts';
import { displayOverExec, keptFor, overStateNote } from './explain-over.ts';
import type { PhysicalPlannerOptions } from './physical-planner.ts';
import type { PlannerOptions } from './binder/index.ts';

export interface ExplainHooks {
  planQuery(q: QueryNode, catalog: Catalog, options?: PlannerOptions): LogicalPlan;
  planInsert(stmt: InsertNode, catalog: Catalog, options?: PlannerOptions): { target: CatalogTable; plan: LogicalPlan };
}

export function explainStatement(stmt: Statement, catalog: Catalog, hooks: ExplainHooks, options: PlannerOptions & PhysicalPlannerOptions = {}): string {
  const inner = stmt.kind === 'Explain' ? stmt.statement : stmt;
  switch (inner.kind) {
    case 'Query': {
      const plan = hooks.planQuery(inner, catalog, options);
      return render(plan, createPhysicalPlan(plan, options), 'Sink: results to the caller');
    }
    case 'Insert': {
      const { target, plan } = hooks.planInsert(inner, catalog, options);
      return render(plan, createPhysicalPlan(plan, { ...options, target }), sinkLine(target.name, target.primaryKey));
    }
    case 'StatementSet':
      return inner.inserts.map((i) => {
        const { target, plan } = hooks.planInsert(i, catalog, options);
        return render(plan, createPhysicalPlan(plan, { ...options, target }), sinkLine(target.name, target.primaryKey));
      }).join('\n\n');
    case 'CreateTable': {
      if (inner.asQuery === undefined) throw new PlanError('EXPLAIN CREATE TABLE needs AS SELECT ...', inner.pos);
      const plan = hooks.planQuery(inner.asQuery, catalog, options);
      const name = inner.name.parts.join('.');
      return render(plan, createPhysicalPlan(plan, options), sinkLine(`${name} (new)`, inner.primaryKey?.columns.map((c) => c.value)));
    }
    default: throw new PlanError(`EXPLAIN supports queries, INSERT, statement sets and CREATE TABLE ... AS SELECT, not ${inner.kind}`, inner.pos);
  }
}

function sinkLine(table: string, pk: readonly string[] | undefined): string {
  return pk === undefined || pk.length === 0 ? `Sink: table ${table}` : `Sink: table ${table} upsert on [${pk.join(', ')}]`;
}

function render(logical: LogicalPlan, physical: PhysicalPlan, sink: string): string {
  return [
    '== Logical Plan ==',
    displayPlan(logical, { changelog: true }),
    '',
    '== Physical Plan ==',
    `${sink} changelog=${changelogName(physical.changelog)}`,
    displayPhysical(physical.root, 1),
  ].join('\n');
}

/** The physical plan, one line per operator. */
export function displayPhysical(root: PhysicalNode, indent = 0): string {
  const lines: string[] = [];
  const walk = (node: PhysicalNode, depth: number): void => {
    const state = stateNote(node);
    lines.push(`${'  '.repeat(depth)}${displayExec(node)} changelog=${changelogName(node.changelog)}${state === '' ? '' : ` ${state}`}`);
    for (const i of physicalInputs(node)) walk(i, depth + 1);
  };
  walk(root, indent);
  return lines.join('\n');
}

export function displayExec(node: PhysicalNode): string {
  const inNames = (n: PhysicalNode): string[] => physicalInputs(n)[0]?.schema.map((c) => c.name) ?? [];
  switch (node.kind) {
    case 'SourceExec': return `SourceExec: ${node.table.name} columns=[${node.columns.join(', ')}]${node.deletes === true ? ' tombstones=deletes' : ''}`;
    case 'ChangelogNormalizeExec': return `ChangelogNormalizeExec: key=[${node.keys.map((k) => inNames(node)[k]).join(', ')}]`;
    case 'ValuesExec': return `ValuesExec: ${node.rows.length} row${node.rows.length === 1 ? '' : 's'}`;
    case 'WatermarkAssignerExec': {
      const col = node.input.schema[node.timeColumn].name;
      if (node.strategy.kind === 'proctime') return `WatermarkAssignerExec: proctime=${col} (wall clock)`;
      const idle = node.idleTimeoutMs === null ? '' : ` idle-timeout=${displayDuration(node.idleTimeoutMs)}`;
      return `WatermarkAssignerExec: rowtime=${col} delay=${displayDuration(node.delayMs)}${node.strategy.kind === 'source' ? ' (SOURCE_WATERMARK)' : ''}${idle}`;
    }
    case 'CalcExec': {
      const n = inNames(node);
      const select = node.projections.map((p) => {
        const t = displayScalar(p.expr, n);
        return t === p.name ? t : `${t} AS ${p.name}`;
      }).join(', ');
      return `CalcExec: select=[${select}]${node.predicate === null ? '' : ` where=${displayScalar(node.predicate, n)}`}`;
    }
    case 'WindowAssignerExec': {
      const w = node.window;
      const def = w.kind === 'tumble' ? { kind: 'tumble' as const, sizeMs: w.sizeMs, offsetMs: w.offsetMs }
        : w.kind === 'hop' ? { kind: 'hop' as const, slideMs: w.slideMs, sizeMs: w.sizeMs, offsetMs: w.offsetMs }
          : { kind: 'cumulate' as const, stepMs: w.stepMs, maxSizeMs: w.maxSizeMs, offsetMs: w.offsetMs };
      return `WindowAssignerExec: ${displayWindow(def)} time=${node.input.schema[node.timeColumn].name}`;
    }
    case 'WindowAggregateExec': {
      const n = inNames(node);
      const time = node.window.kind === 'session' ? ` time=${n[node.window.timeColumn]}` : '';
      return `WindowAggregateExec: ${displayWindow(node.windowDef)}${time} keys=[${node.groupKeys.map((k) => n[k]).join(', ')}] aggs=[${node.aggregates.map((a) => displayCall(a, n)).join(', ')}] mode=Single emit=on-watermark`;
    }
    case 'GroupAggregateExec': {
      const n = inNames(node);
      return `GroupAggregateExec: keys=[${node.groupKeys.map((k) => n[k]).join(', ')}] aggs=[${node.aggregates.map((a) => displayCall(a, n)).join(', ')}] mode=Single emit=${node.emit}`;
    }
    case 'UnionExec': return `UnionExec: ${node.inputs.length} inputs`;
    case 'JoinExec': return displayJoinExec(node);
    case 'RankExec': case 'DeduplicateExec': case 'WindowRankExec': case 'OverAggregateExec': return displayOverExec(node, inNames(node));
    default: {
      const never: never = node;
      return String(never);
    }
  }
}

/** `COUNT(DISTINCT bidder) FILTER (WHERE rank1) AS total` over the operator's input columns. */
function displayCall(c: AggregateCall, names: readonly string[]): string {
  const arg = c.arg === null ? '*' : `${c.distinct === true ? 'DISTINCT ' : ''}${names[c.arg]}`;
  const filter = c.filter === undefined || c.filter === null ? '' : ` FILTER (WHERE ${names[c.filter]})`;
  return `${c.fn === 'COUNT_STAR' ? 'COUNT' : c.fn}(${arg})${filter} AS ${c.name}`;
}

/** Where a stateful operator keeps its state, and when it shrinks. */
export function stateNote(node: PhysicalNode): string {
  const bound = (b: number): string => `bounded by stateBytesMax=${Math.round(b / (1024 * 1024))} MiB`;
  switch (node.kind) {
    case 'WindowAggregateExec':
      return `state=[in memory per window and key, freed when the watermark passes window_end; ${bound(node.stateBytesMax)}; checkpointed with the source offsets]`;
    case 'GroupAggregateExec':
      return `state=[in memory per key; ${keptFor(node.stateTtlMs)}; ${bound(node.stateBytesMax)}; checkpointed with the source offsets]`;
    case 'RankExec': case 'DeduplicateExec': case 'WindowRankExec': case 'OverAggregateExec':
      return overStateNote(node, bound(node.stateBytesMax));
    case 'ChangelogNormalizeExec':
      return `state=[in memory per key: the last row; ${keptFor(node.stateTtlMs)}; ${bound(node.stateBytesMax)}; checkpointed with the source offsets]`;
    case 'JoinExec': return joinStateNote(node);
    case 'WatermarkAssignerExec':
      return node.strategy.kind === 'proctime' ? '' : 'state=[max event time per source partition]';
    default: return '';
  }
}
