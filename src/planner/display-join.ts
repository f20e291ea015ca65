/**
 * The one-line display of a logical Join: its type, which operator it needs, and its condition
 * over the joined columns (left names, then right names), e.g.
 *
 *   Join: INNER regular on=[seller = id AND category = 10]
 *   Join: INNER interval on=[auction = id AND dateTime BETWEEN dateTime0 - INTERVAL '10' SECOND AND dateTime0]
 */
import type { ColumnDef } from '../operators/index.ts';
import { displayDuration, displayScalar } from './display-expr.ts';
import { displayWindow } from './display.ts';
import { analyzeJoin } from './join-analysis.ts';
import type { JoinNode } from './logical-plan.ts';
import type { JoinExecNode } from './physical-plan.ts';

/** Column names of a join's output, right names made distinct from left ones (`dateTime0`). */
export function joinedNames(left: readonly ColumnDef[], right: readonly ColumnDef[]): string[] {
  const names = left.map((c) => c.name);
  const seen = new Set(names);
  for (const c of right) {
    let n = c.name;
    for (let k = 0; seen.has(n); k++) n = `${c.name}${k}`;
    seen.add(n);
    names.push(n);
  }
  return names;
}

export function displayJoin(node: JoinNode): string {
  const kind = analyzeJoin(node).kind;
  const names = joinedNames(node.left.schema, node.right.schema);
  const on = node.condition === null ? '' : ` on=[${displayScalar(node.condition, names)}]`;
  const asOf = node.temporal === undefined ? '' : ` for system_time as of ${names[node.temporal.leftTimeColumn]}`;
  return `Join: ${node.joinType} ${kind}${asOf}${on}`;
}

/** The physical join's line in EXPLAIN: the operator, its keys and what else it checks. */
export function displayJoinExec(node: JoinExecNode): string {
  const ln = node.left.schema.map((c) => c.name), rn = node.right.schema.map((c) => c.name);
  const out = joinedNames(node.left.schema.slice(0, node.outputColumnCounts[0]), node.right.schema.slice(0, node.outputColumnCounts[1]));
  const keys = `keys=[${node.leftKeys.map((k, i) => `${ln[k]} = ${rn[node.rightKeys[i]]}`).join(', ')}]`;
  const residual = node.condition === null ? '' : ` where=${displayScalar(node.condition, out)}`;
  const s = node.spec;
  switch (s.kind) {
    case 'regular': {
      const input = (n: JoinExecNode['left'], u: readonly number[] | null): string => (u !== null ? 'upsert' : n.changelog.kind === 'append' ? 'append-only' : 'updating');
      return `JoinExec: ${node.joinType} ${keys}${residual} left=${input(node.left, s.leftUniqueKey)} right=${input(node.right, s.rightUniqueKey)}`;
    }
    case 'interval':
      return `IntervalJoinExec: ${node.joinType} ${keys} time=[${ln[s.leftTime]} - ${rn[s.rightTime]} BETWEEN ${displayDuration(s.lowerMs)} AND ${displayDuration(s.upperMs)}]${residual} emit=on-match, padded rows when the watermark passes`;
    case 'window':
      return `WindowJoinExec: ${node.joinType} ${displayWindow(s.window)} ${keys} window_end=[${ln[s.leftEnd]} = ${rn[s.rightEnd]}]${residual} emit=on-watermark`;
    case 'temporal':
      return s.rightTime === null
        ? `LookupJoinExec: ${node.joinType} processing-time as of ${ln[s.leftTime]} ${keys}${residual}`
        : `TemporalJoinExec: ${node.joinType} event-time as of ${ln[s.leftTime]} version=${rn[s.rightTime]} ${keys}${residual} emit=on-watermark`;
    default: {
      const never: never = s;
      return String(never);
    }
  }
}

/** Where a join keeps its state and when it shrinks (EXPLAIN). */
export function joinStateNote(node: JoinExecNode): string {
  const bound = `bounded by stateBytesMax=${Math.round(node.stateBytesMax / (1024 * 1024))} MiB; checkpointed with the source offsets`;
  const s = node.spec;
  switch (s.kind) {
    case 'regular': return s.stateTtlMs === null
      ? `state=[in memory: rows of both inputs per join key, UNBOUNDED: kept forever, grows without bound (set 'sql.state-ttl' to expire idle keys); ${bound}]`
      : `state=[in memory: rows of both inputs per join key, expired ${displayDuration(s.stateTtlMs)} after the key's last write (state TTL); ${bound}]`;
    case 'interval': return `state=[in memory: rows of both inputs per join key, freed when the watermark passes their time bound; ${bound}]`;
    case 'window': return `state=[in memory: rows of both inputs per window, freed when the watermark passes window_end; ${bound}]`;
    case 'temporal':
      return s.rightTime === null
        ? `state=[in memory: the current right row per key, kept forever: grows with the right table; ${bound}]`
        : `state=[in memory: left rows until the watermark passes their time, right versions per key (older versions freed as the watermark passes); ${bound}]`;
    default: {
      const never: never = s;
      return String(never);
    }
  }
}
