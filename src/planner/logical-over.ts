/**
 * Logical nodes of OVER windows, and the Top-N / deduplication they become:
 *
 * - `Over`: what the binder makes of `f(...) OVER (PARTITION BY p ORDER BY o [frame])` in a
 *   select list: the input's columns plus one column per call. Ranking calls (ROW_NUMBER, RANK,
 *   DENSE_RANK) only run once the rank rule turned them into a Rank; aggregate calls run as an
 *   OVER aggregation ordered by a rowtime attribute.
 * - `Rank`: Top-N, `rank BETWEEN rankStart AND rankEnd` per partition (the rank rule's output),
 *   with the rank column appended when something above reads it. Its physical form is a
 *   deduplication, a window Top-N, or a general Top-N (see rankStrategy).
 */
import type { ColumnDef, RankFunction, SortKey } from '../operators/index.ts';
import { T } from '../operators/index.ts';
import type { AggregateExpr, ChangelogMode, LogicalPlan } from './logical-plan.ts';
import { APPEND, RETRACT } from './logical-plan.ts';
import { columnOrigin, traceWindowColumn } from './window-trace.ts';

/** `ROWS|RANGE BETWEEN <preceding> PRECEDING AND CURRENT ROW`; null preceding is UNBOUNDED (RANGE: in ms). */
export interface OverFrame {
  readonly units: 'ROWS' | 'RANGE';
  readonly preceding: number | null;
}

export type OverCall =
  | { readonly kind: 'rank'; readonly fn: RankFunction }
  | { readonly kind: 'aggregate'; readonly aggregate: AggregateExpr };

interface Base {
  readonly schema: readonly ColumnDef[];
  readonly changelog: ChangelogMode;
}

export interface OverNode extends Base {
  readonly kind: 'Over';
  readonly input: LogicalPlan;
  readonly partitionKeys: readonly number[];
  readonly orderKeys: readonly SortKey[];
  readonly frame: OverFrame;
  readonly calls: readonly OverCall[];
}

export interface RankNode extends Base {
  readonly kind: 'Rank';
  readonly input: LogicalPlan;
  readonly partitionKeys: readonly number[];
  readonly orderKeys: readonly SortKey[];
  readonly fn: RankFunction;
  readonly rankStart: number;
  readonly rankEnd: number;
  /** Whether the rank column is the last output column. */
  readonly outputRank: boolean;
}

/** How a Rank runs. */
export type RankStrategy =
  | { readonly kind: 'deduplicate'; readonly keepLast: boolean; readonly timeColumn: number }
  | { readonly kind: 'window'; readonly startColumn: number; readonly endColumn: number }
  | { readonly kind: 'topn' };

/**
 * Flink's recognition: ROW_NUMBER = 1 ordered by one rowtime attribute over an append-only input
 * is a deduplication (ASC keeps the first row, DESC the last); partitioning by window_start and
 * window_end of a window TVF is a window Top-N (emitted when the window closes); anything else is
 * a Top-N over the whole stream.
 */
export function rankStrategy(node: Pick<RankNode, 'input' | 'partitionKeys' | 'orderKeys' | 'fn' | 'rankStart' | 'rankEnd' | 'outputRank'>): RankStrategy {
  const append = node.input.changelog.kind === 'append';
  if (append) {
    const traced = node.partitionKeys.map((k) => ({ k, t: windowBound(node.input, k) }));
    const start = traced.find((x) => x.t?.which === 0);
    const end = traced.find((x) => x.t?.which === 1 && x.t.from === start?.t?.from);
    if (start !== undefined && end !== undefined) return { kind: 'window', startColumn: start.k, endColumn: end.k };
  }
  const [o] = node.orderKeys;
  const t = node.orderKeys.length === 1 ? node.input.schema[o.column].type : undefined;
  const rowtime = t !== undefined && (t.kind === 'TIMESTAMP' || t.kind === 'TIMESTAMP_LTZ') && t.timeAttribute === 'ROWTIME';
  if (append && rowtime && node.fn === 'ROW_NUMBER' && node.rankStart === 1 && node.rankEnd === 1 && !node.outputRank) {
    return { kind: 'deduplicate', keepLast: o.descending, timeColumn: o.column };
  }
  return { kind: 'topn' };
}

export function rankChangelog(node: Pick<RankNode, 'input' | 'partitionKeys' | 'orderKeys' | 'fn' | 'rankStart' | 'rankEnd' | 'outputRank'>): ChangelogMode {
  const s = rankStrategy(node);
  // LIMIT without ORDER BY over an append-only input: rows only ever enter the first n.
  if (s.kind === 'topn' && node.orderKeys.length === 0 && node.input.changelog.kind === 'append' && !node.outputRank) return APPEND;
  return s.kind === 'window' || (s.kind === 'deduplicate' && !s.keepLast) ? APPEND : RETRACT;
}

export function rankNode(
  input: LogicalPlan, partitionKeys: readonly number[], orderKeys: readonly SortKey[], fn: RankFunction,
  rankStart: number, rankEnd: number, rankName: string | null,
): RankNode {
  const outputRank = rankName !== null;
  const schema = outputRank ? [...input.schema, { name: rankName, type: T.bigint(false) }] : input.schema;
  const base = { input, partitionKeys, orderKeys, fn, rankStart, rankEnd, outputRank };
  return Object.freeze({ kind: 'Rank', ...base, schema: Object.freeze(schema), changelog: rankChangelog(base) });
}

export function overNode(
  input: LogicalPlan, partitionKeys: readonly number[], orderKeys: readonly SortKey[], frame: OverFrame,
  calls: readonly OverCall[], callColumns: readonly ColumnDef[],
): OverNode {
  return Object.freeze({
    kind: 'Over', input, partitionKeys, orderKeys, frame, calls,
    schema: Object.freeze([...input.schema, ...callColumns]), changelog: input.changelog,
  });
}

/**
 * Whether column `index` is window_start (0) or window_end (1) of a window TVF or of a window
 * aggregation's output, followed through filters and column-passing projections.
 */
function windowBound(plan: LogicalPlan, index: number): { from: LogicalPlan; which: number } | null {
  const at = columnOrigin(plan, index);
  if (at?.plan.kind === 'WindowAggregate') {
    const which = at.index - at.plan.groupExprs.length;
    return which === 0 || which === 1 ? { from: at.plan, which } : null;
  }
  const t = traceWindowColumn(plan, index);
  return t === null ? null : { from: t.tvf, which: t.which };
}
