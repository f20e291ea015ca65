/**
 * One line per logical plan node, indented by depth (STYLE rule 7); planner tests compare this
 * text. `EXPLAIN` adds changelog modes and state (explain.ts).
 *
 *   Project: auction, price
 *     Filter: MOD(auction, 123) = 0
 *       WatermarkAssigner: rowtime=dateTime watermark=dateTime - INTERVAL '4' SECOND
 *         Scan: bid columns=[auction, price, dateTime]
 */
import type { ColumnDef, PhysicalExpr } from '../operators/index.ts';
import { T } from '../operators/index.ts';
import { displayDuration, displayLiteral, displayScalar } from './display-expr.ts';
import { displayJoin } from './display-join.ts';
import { changelogName, inputsOf } from './logical-plan.ts';
import { displayOverNode } from './display-over.ts';
import type { AggregateExpr, LogicalPlan, WindowDef } from './logical-plan.ts';

export interface DisplayOptions {
  /** Append `changelog=...` to every line. */
  readonly changelog?: boolean;
  /** Extra text per node (EXPLAIN's state notes). */
  readonly annotate?: (node: LogicalPlan) => string;
}

export function displayPlan(plan: LogicalPlan, options: DisplayOptions = {}): string {
  const lines: string[] = [];
  const walk = (node: LogicalPlan, depth: number): void => {
    let line = `${'  '.repeat(depth)}${displayNode(node)}`;
    if (options.changelog === true) line += ` changelog=${changelogName(node.changelog)}`;
    const note = options.annotate?.(node);
    if (note !== undefined && note !== '') line += ` ${note}`;
    lines.push(line);
    for (const input of inputsOf(node)) walk(input, depth + 1);
  };
  walk(plan, 0);
  return lines.join('\n');
}

export function displayNode(node: LogicalPlan): string {
  switch (node.kind) {
    case 'Scan': return `Scan: ${node.table.name} columns=[${node.columns.join(', ')}]`;
    case 'Values': return `Values: ${node.rows.length} row${node.rows.length === 1 ? '' : 's'} columns=[${node.schema.map((c) => c.name).join(', ')}]`;
    case 'WatermarkAssigner': {
      const col = node.input.schema[node.timeColumn].name;
      const s = node.strategy;
      if (s.kind === 'proctime') return `WatermarkAssigner: proctime=${col}`;
      const wm = s.kind === 'source' ? 'SOURCE_WATERMARK()' : s.delayMs === 0 ? col : `${col} - ${displayLiteral(s.delayMs, T.intervalDayTime())}`;
      return `WatermarkAssigner: rowtime=${col} watermark=${wm}`;
    }
    case 'Project': return `Project: ${projections(node.exprs, node.input.schema, node.schema)}`;
    case 'Filter': return `Filter: ${displayScalar(node.predicate, names(node.input.schema))}`;
    case 'Calc': {
      const where = node.predicate === null ? '' : ` where=${displayScalar(node.predicate, names(node.input.schema))}`;
      return `Calc: select=[${projections(node.exprs, node.input.schema, node.schema)}]${where}`;
    }
    case 'WindowTableFunction':
      return `WindowTableFunction: ${displayWindow(node.window)} time=${node.input.schema[node.timeColumn].name}`;
    case 'Aggregate': {
      const n = names(node.input.schema);
      const win = node.legacyWindow === undefined ? '' : `group window=${displayWindow(node.legacyWindow.window)} time=${n[node.legacyWindow.timeColumn]} `;
      return `Aggregate: ${win}keys=[${node.groupExprs.map((e) => displayScalar(e, n)).join(', ')}] aggs=[${node.aggregates.map((a) => displayAggregate(a, n)).join(', ')}]`;
    }
    case 'WindowAggregate': {
      const n = names(node.input.schema);
      const time = node.windowColumns.kind === 'session' ? ` time=${n[node.windowColumns.timeColumn]}` : '';
      return `WindowAggregate: ${displayWindow(node.window)}${time} keys=[${node.groupExprs.map((e) => displayScalar(e, n)).join(', ')}] aggs=[${node.aggregates.map((a) => displayAggregate(a, n)).join(', ')}]`;
    }
    case 'Union': return `Union: all, ${node.inputs.length} inputs`;
    case 'Join': return displayJoin(node);
    case 'Over': case 'Rank': return displayOverNode(node);
    default: {
      const never: never = node;
      return String(never);
    }
  }
}

function names(schema: readonly ColumnDef[]): string[] {
  return schema.map((c) => c.name);
}

function projections(exprs: readonly PhysicalExpr[], input: readonly ColumnDef[], output: readonly ColumnDef[]): string {
  const n = names(input);
  return exprs.map((e, i) => {
    const text = displayScalar(e, n);
    return text === output[i].name ? text : `${text} AS ${output[i].name}`;
  }).join(', ');
}

export function displayWindow(w: WindowDef): string {
  const off = 'offsetMs' in w && w.offsetMs !== undefined && w.offsetMs !== 0 ? `, offset ${displayDuration(w.offsetMs)}` : '';
  switch (w.kind) {
    case 'tumble': return `TUMBLE(${displayDuration(w.sizeMs)}${off})`;
    case 'hop': return `HOP(slide ${displayDuration(w.slideMs)}, size ${displayDuration(w.sizeMs)}${off})`;
    case 'cumulate': return `CUMULATE(step ${displayDuration(w.stepMs)}, size ${displayDuration(w.maxSizeMs)}${off})`;
    case 'session': return `SESSION(gap ${displayDuration(w.gapMs)})`;
    default: {
      const never: never = w;
      return String(never);
    }
  }
}

export function displayAggregate(a: AggregateExpr, n: readonly string[]): string {
  const fn = a.fn === 'COUNT_STAR' ? 'COUNT' : a.fn;
  const arg = a.arg === null ? '*' : `${a.distinct ? 'DISTINCT ' : ''}${displayScalar(a.arg, n)}`;
  const f = a.filter === null ? '' : ` FILTER (WHERE ${displayScalar(a.filter, n)})`;
  return `${fn}(${arg})${f}`;
}
