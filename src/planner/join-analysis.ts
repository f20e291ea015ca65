/**
 * Which operator a join needs, decided from its condition and inputs as Flink decides it:
 *
 * - temporal: `JOIN t FOR SYSTEM_TIME AS OF l.time` -- event time (a rowtime attribute: the
 *   version of t valid at that time) or processing time (a proctime attribute: t as it is now);
 * - window: both inputs are windowed (window TVF or window aggregation output) by the same
 *   window and the condition equates window_start and window_end of the two sides;
 * - interval: both inputs append-only and the condition bounds one side's rowtime attribute by
 *   the other's from below and above (`l.ts BETWEEN r.ts - INTERVAL '1' MINUTE AND r.ts`);
 * - regular: everything else (state kept without bound unless retractions free it).
 *
 * Equi-conditions between the sides become keys; what is left is the residual condition.
 */
import { E, commonType, displayType, withoutTimeAttribute } from '../operators/index.ts';
import type { ColumnDef, PhysicalExpr, SqlType } from '../operators/index.ts';
import { displayWindow } from './display.ts';
import { columnsUsed, conjuncts, exprType, mapColumns } from './expr-util.ts';
import { APPEND, RETRACT } from './logical-plan.ts';
import type { ChangelogMode, JoinNode, JoinType, LogicalPlan, WindowDef } from './logical-plan.ts';
import { windowGrouping } from './window-trace.ts';

/** One equi-condition: an expression over the left input equal to one over the right input. */
export interface KeyPair {
  readonly left: PhysicalExpr;
  readonly right: PhysicalExpr;
}

interface Common {
  readonly keys: readonly KeyPair[];
  /** Over the joined row (left columns, then right). */
  readonly residual: PhysicalExpr | null;
}

export type JoinStrategy =
  | (Common & { readonly kind: 'regular' })
  /** lowerMs <= left.time - right.time <= upperMs. */
  | (Common & { readonly kind: 'interval'; readonly leftTime: number; readonly rightTime: number; readonly lowerMs: number; readonly upperMs: number })
  | (Common & {
    readonly kind: 'window'; readonly window: WindowDef;
    readonly leftEnd: number; readonly rightEnd: number;
  })
  /** rightTime: the right input's rowtime column (event time), or null (processing time). */
  | (Common & { readonly kind: 'temporal'; readonly leftTime: number; readonly rightTime: number | null; readonly rightUniqueKey: readonly number[] | null });

export function analyzeJoin(node: Pick<JoinNode, 'left' | 'right' | 'joinType' | 'condition' | 'temporal'>): JoinStrategy {
  const nLeft = node.left.schema.length;
  const parts = node.condition === null ? [] : conjuncts(node.condition);
  const keys: KeyPair[] = [];
  const keyParts: PhysicalExpr[] = [];
  const others: PhysicalExpr[] = [];
  for (const p of parts) {
    const pair = equiPair(p, nLeft);
    if (pair === null) others.push(p);
    else { keys.push(pair); keyParts.push(p); }
  }
  const residualOf = (rest: readonly PhysicalExpr[]): PhysicalExpr | null => (rest.length === 0 ? null : rest.length === 1 ? rest[0] : E.and(...rest));

  if (node.temporal !== undefined) {
    const leftTime = node.temporal.leftTimeColumn;
    const t = node.left.schema[leftTime].type;
    const proc = (t.kind === 'TIMESTAMP' || t.kind === 'TIMESTAMP_LTZ') && t.timeAttribute === 'PROCTIME';
    const rightTime = proc ? null : node.right.schema.findIndex((c) => isRowtime(c.type));
    const mode = node.right.changelog;
    const rightUniqueKey = mode.kind === 'upsert' ? mode.keys.map((k) => node.right.schema.findIndex((c) => c.name === k)) : null;
    return { kind: 'temporal', keys, residual: residualOf(others), leftTime, rightTime: rightTime === null || rightTime < 0 ? null : rightTime, rightUniqueKey };
  }

  const appendOnly = node.left.changelog.kind === 'append' && node.right.changelog.kind === 'append';
  if (appendOnly) {
    const win = windowKeys(node.left, node.right, keys);
    if (win !== null) {
      const rest = keys.filter((_, i) => !win.used.includes(i));
      return { kind: 'window', keys: rest, residual: residualOf(others), window: win.window, leftEnd: win.leftEnd, rightEnd: win.rightEnd };
    }
    const interval = intervalBounds(others, node.left.schema, node.right.schema);
    if (interval !== null) {
      return {
        kind: 'interval', keys, residual: residualOf(others.filter((p) => !interval.used.includes(p))),
        leftTime: interval.leftTime, rightTime: interval.rightTime, lowerMs: interval.lowerMs, upperMs: interval.upperMs,
      };
    }
  }
  return { kind: 'regular', keys, residual: residualOf(others) };
}

/** Interval, window and temporal joins of append-only input are append-only; so is an inner regular join of two. */
export function joinChangelog(node: Pick<JoinNode, 'left' | 'right' | 'joinType' | 'condition' | 'temporal'>): ChangelogMode {
  const s = analyzeJoin(node);
  switch (s.kind) {
    case 'interval': case 'window': return APPEND;
    case 'temporal': return node.left.changelog.kind === 'append' ? APPEND : RETRACT;
    case 'regular': return node.joinType === 'INNER' && node.left.changelog.kind === 'append' && node.right.changelog.kind === 'append' ? APPEND : RETRACT;
    default: {
      const never: never = s;
      return never;
    }
  }
}

/**
 * Output columns: left then right; the side that may be NULL-padded becomes nullable. A regular
 * join's output has no time attributes (its rows are not ordered by time); interval and window
 * joins keep them; a temporal join keeps the left's.
 */
export function joinSchema(node: Pick<JoinNode, 'left' | 'right' | 'joinType' | 'condition' | 'temporal'>): ColumnDef[] {
  const kind = analyzeJoin(node).kind;
  const t = node.joinType;
  const side = (cols: readonly ColumnDef[], padded: boolean, keepTime: boolean): ColumnDef[] => cols.map((c) => {
    let type = keepTime ? c.type : withoutTimeAttribute(c.type);
    if (padded && !type.nullable) type = Object.freeze({ ...type, nullable: true }) as SqlType;
    return { name: c.name, type };
  });
  const keep = kind === 'interval' || kind === 'window';
  return [
    ...side(node.left.schema, t === 'RIGHT' || t === 'FULL', keep || kind === 'temporal'),
    ...side(node.right.schema, t === 'LEFT' || t === 'FULL', keep),
  ];
}

/** Joined-row columns a join's operator reads beyond its condition (time columns, upsert keys). */
export function joinColumnsKept(node: JoinNode): number[] {
  const nLeft = node.left.schema.length;
  const s = analyzeJoin(node);
  if (s.kind !== 'temporal') return [];
  return [s.leftTime, ...(s.rightTime === null ? [] : [nLeft + s.rightTime]), ...(s.rightUniqueKey ?? []).map((k) => nLeft + k)];
}

/** `l = r` with one side reading only left columns and the other only right columns. */
function equiPair(p: PhysicalExpr, nLeft: number): KeyPair | null {
  if (p.kind !== 'call' || p.name !== '=' || p.args.length !== 2) return null;
  const [a, b] = p.args;
  const sa = sideOf(a, nLeft), sb = sideOf(b, nLeft);
  if (sa === 'left' && sb === 'right') return { left: a, right: shift(b, -nLeft) };
  if (sa === 'right' && sb === 'left') return { left: b, right: shift(a, -nLeft) };
  return null;
}

function sideOf(e: PhysicalExpr, nLeft: number): 'left' | 'right' | 'both' | 'none' {
  const used = [...columnsUsed(e)];
  if (used.length === 0) return 'none';
  if (used.every((c) => c < nLeft)) return 'left';
  if (used.every((c) => c >= nLeft)) return 'right';
  return 'both';
}

export function shift(e: PhysicalExpr, by: number): PhysicalExpr {
  return mapColumns(e, (i) => E.col(i + by));
}

/**
 * Key expressions typed alike on both sides: where the two sides' types differ (INT = BIGINT),
 * both are cast to their common type so equal values produce equal keys.
 */
export function alignKeys(keys: readonly KeyPair[], left: readonly ColumnDef[], right: readonly ColumnDef[]): KeyPair[] {
  return keys.map((k) => {
    const lt = withoutTimeAttribute(exprType(k.left, left)), rt = withoutTimeAttribute(exprType(k.right, right));
    const bare = (t: SqlType): string => displayType(Object.freeze({ ...t, nullable: true }) as SqlType);
    if (bare(lt) === bare(rt)) return k;
    const common = commonType([lt, rt]);
    if (common === null) return k;
    return { left: bare(lt) === bare(common) ? k.left : E.cast(k.left, common), right: bare(rt) === bare(common) ? k.right : E.cast(k.right, common) };
  });
}

function isRowtime(t: SqlType): boolean {
  return (t.kind === 'TIMESTAMP' || t.kind === 'TIMESTAMP_LTZ') && t.timeAttribute === 'ROWTIME';
}

// ------------------------------------------------------------------------------ window joins

interface TracedWindow { readonly window: WindowDef; readonly which: 0 | 1 }

/** Follows a column down to window_start (0) or window_end (1) of a window TVF or window aggregation. */
export function traceWindowBound(plan: LogicalPlan, index: number): TracedWindow | null {
  switch (plan.kind) {
    case 'Filter': case 'WatermarkAssigner': return traceWindowBound(plan.input, index);
    case 'Project': case 'Calc': {
      const e = plan.exprs[index];
      return e.kind === 'column' ? traceWindowBound(plan.input, e.index) : null;
    }
    case 'WindowTableFunction': {
      const n = plan.input.schema.length;
      if (index < n) return traceWindowBound(plan.input, index);
      return index - n <= 1 ? { window: plan.window, which: (index - n) as 0 | 1 } : null;
    }
    case 'WindowAggregate': {
      const k = plan.groupExprs.length;
      return index === k || index === k + 1 ? { window: plan.window, which: (index - k) as 0 | 1 } : null;
    }
    case 'Aggregate': {
      const k = plan.groupExprs.length;
      if (plan.legacyWindow !== undefined) return index === k || index === k + 1 ? { window: plan.legacyWindow.window, which: (index - k) as 0 | 1 } : null;
      const g = windowGrouping(plan.groupExprs, plan.input);
      if (g === null) return null;
      return index === g.start ? { window: g.tvf.window, which: 0 } : index === g.end ? { window: g.tvf.window, which: 1 } : null;
    }
    default: return null;
  }
}

function windowKeys(left: LogicalPlan, right: LogicalPlan, keys: readonly KeyPair[]): { window: WindowDef; leftEnd: number; rightEnd: number; used: number[] } | null {
  let start: { i: number; window: WindowDef } | null = null;
  let end: { i: number; l: number; r: number; window: WindowDef } | null = null;
  keys.forEach((k, i) => {
    if (k.left.kind !== 'column' || k.right.kind !== 'column') return;
    const l = traceWindowBound(left, k.left.index), r = traceWindowBound(right, k.right.index);
    if (l === null || r === null || l.which !== r.which || displayWindow(l.window) !== displayWindow(r.window)) return;
    if (l.which === 0) start = { i, window: l.window };
    else end = { i, l: k.left.index, r: k.right.index, window: l.window };
  });
  if (start === null || end === null) return null;
  const s: { i: number; window: WindowDef } = start, e: { i: number; l: number; r: number; window: WindowDef } = end;
  if (s.window.kind === 'session') return null;
  return { window: e.window, leftEnd: e.l, rightEnd: e.r, used: [s.i, e.i] };
}

// ---------------------------------------------------------------------------- interval joins

interface TimeRef { readonly column: number; readonly offsetMs: number }

/** `col`, `col + INTERVAL`, `col - INTERVAL` over a rowtime attribute. */
function timeRef(e: PhysicalExpr, schema: readonly ColumnDef[]): TimeRef | null {
  if (e.kind === 'column') return isRowtime(schema[e.index].type) ? { column: e.index, offsetMs: 0 } : null;
  if (e.kind === 'call' && (e.name === '+' || e.name === '-') && e.args.length === 2) {
    const [a, b] = e.args;
    const inner = timeRef(a, schema);
    const ms = intervalMs(b);
    if (inner !== null && ms !== null) return { column: inner.column, offsetMs: inner.offsetMs + (e.name === '+' ? ms : -ms) };
    if (e.name === '+') {
      const inner2 = timeRef(b, schema);
      const ms2 = intervalMs(a);
      if (inner2 !== null && ms2 !== null) return { column: inner2.column, offsetMs: inner2.offsetMs + ms2 };
    }
  }
  return null;
}

function intervalMs(e: PhysicalExpr): number | null {
  return e.kind === 'literal' && e.type.kind === 'INTERVAL_DAY_TIME' && typeof e.value === 'number' ? e.value : null;
}

interface Bound { readonly leftTime: number; readonly rightTime: number; readonly lower?: number; readonly upper?: number }

/** `a op b` as a bound on left.time - right.time, or null. */
function comparisonBound(op: string, a: PhysicalExpr, b: PhysicalExpr, schema: readonly ColumnDef[], nLeft: number): Bound | null {
  const ra = timeRef(a, schema), rb = timeRef(b, schema);
  if (ra === null || rb === null) return null;
  let l: TimeRef, r: TimeRef, o = op;
  if (ra.column < nLeft && rb.column >= nLeft) { l = ra; r = rb; } else if (rb.column < nLeft && ra.column >= nLeft) {
    l = rb; r = ra;
    o = ({ '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as Record<string, string>)[op] ?? op;
  } else return null;
  // l.t + lo  op  r.t + ro   <=>   l.t - r.t  op  ro - lo
  const d = r.offsetMs - l.offsetMs;
  const at = { leftTime: l.column, rightTime: r.column - nLeft };
  switch (o) {
    case '>=': return { ...at, lower: d };
    case '>': return { ...at, lower: d + 1 };
    case '<=': return { ...at, upper: d };
    case '<': return { ...at, upper: d - 1 };
    default: return null;
  }
}

function intervalBounds(parts: readonly PhysicalExpr[], left: readonly ColumnDef[], right: readonly ColumnDef[]): { leftTime: number; rightTime: number; lowerMs: number; upperMs: number; used: PhysicalExpr[] } | null {
  const schema = [...left, ...right];
  const nLeft = left.length;
  const found: { part: PhysicalExpr; bounds: Bound[] }[] = [];
  for (const p of parts) {
    if (p.kind === 'call' && ['<', '<=', '>', '>='].includes(p.name) && p.args.length === 2) {
      const b = comparisonBound(p.name, p.args[0], p.args[1], schema, nLeft);
      if (b !== null) found.push({ part: p, bounds: [b] });
    } else if (p.kind === 'between' && !p.negated && !p.symmetric) {
      const lo = comparisonBound('>=', p.arg, p.low, schema, nLeft), hi = comparisonBound('<=', p.arg, p.high, schema, nLeft);
      if (lo !== null && hi !== null) found.push({ part: p, bounds: [lo, hi] });
    }
  }
  const all = found.flatMap((f) => f.bounds);
  for (const b of all) {
    const same = all.filter((x) => x.leftTime === b.leftTime && x.rightTime === b.rightTime);
    const lowers = same.flatMap((x) => (x.lower === undefined ? [] : [x.lower]));
    const uppers = same.flatMap((x) => (x.upper === undefined ? [] : [x.upper]));
    if (lowers.length === 0 || uppers.length === 0) continue;
    const used = found.filter((f) => f.bounds.some((x) => x.leftTime === b.leftTime && x.rightTime === b.rightTime)).map((f) => f.part);
    return { leftTime: b.leftTime, rightTime: b.rightTime, lowerMs: Math.max(...lowers), upperMs: Math.min(...uppers), used };
  }
  return null;
}

export function joinTypeName(t: JoinType): string {
  return t === 'INNER' ? 'INNER' : `${t} OUTER`;
}
