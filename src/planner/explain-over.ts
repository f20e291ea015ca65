/**
 * EXPLAIN lines of the OVER family's operators (explain.ts handles the rest), and the state
 * notes that say which state can grow without bound:
 *
 *   RankExec: ROW_NUMBER partition=[auction] order=[price DESC] range=[1, 10] rank=rank_number
 *     ... state=[in memory per partition: its top 10 rows; UNBOUNDED: one entry per partition key, kept forever ...]
 */
import { displayDuration } from './display-expr.ts';
import { displayFrame, displayOrder } from './display-over.ts';
import type { OverExecNode } from './physical-over.ts';

export function displayOverExec(node: OverExecNode, n: readonly string[]): string {
  switch (node.kind) {
    case 'RankExec': case 'WindowRankExec': {
      const end = node.kind === 'WindowRankExec' ? ` emit=on-window-end(${n[node.endColumn]})` : '';
      const upsert = node.kind === 'RankExec' && node.updateBefore === false ? ' updates=upsert (no -U)' : '';
      return `${node.kind}: ${node.fn} partition=[${node.partitionKeys.map((k) => n[k]).join(', ')}] order=[${displayOrder(node.orderKeys, n)}] range=[${node.rankStart}, ${node.rankEnd}] rank=${node.rankColumn ?? 'hidden'}${upsert}${end}`;
    }
    case 'DeduplicateExec':
      return `DeduplicateExec: keep=${node.keepLast ? 'last' : 'first'} row${node.updateBefore === false ? ' updates=upsert (no -U)' : ''} keys=[${node.keys.map((k) => n[k]).join(', ')}] order=${n[node.timeColumn]}${node.keepLast ? '' : ' emit=on-watermark'}`;
    case 'OverAggregateExec': {
      const aggs = node.aggregates.map((a) => `${a.fn === 'COUNT_STAR' ? 'COUNT' : a.fn}(${a.arg === null ? '*' : n[a.arg]})${a.filter === undefined || a.filter === null ? '' : ` FILTER (WHERE ${n[a.filter]})`} AS ${a.name}`);
      return `OverAggregateExec: partition=[${node.partitionKeys.map((k) => n[k]).join(', ')}] order=${n[node.timeColumn]} ${displayFrame(node.frame)} aggs=[${aggs.join(', ')}] emit=on-watermark`;
    }
    default: {
      const never: never = node;
      return String(never);
    }
  }
}

/** How long per-key state lives: 'UNBOUNDED: kept forever' marks state that can grow without bound. */
export function keptFor(ttlMs: number | null): string {
  return ttlMs === null
    ? "UNBOUNDED: one entry per key, kept forever (set 'sql.state-ttl' to expire idle keys)"
    : `one entry per key, expired ${displayDuration(ttlMs)} after its last write (state TTL)`;
}

export function overStateNote(node: OverExecNode, bound: string): string {
  switch (node.kind) {
    case 'RankExec': {
      const rows = node.input.changelog.kind === 'append' ? `its top ${node.rankEnd} rows` : 'all its rows (the input retracts)';
      return `state=[in memory per partition: ${rows}; ${keptFor(node.stateTtlMs)}; ${bound}]`;
    }
    case 'DeduplicateExec':
      const kept = !node.keepLast ? 'the first row until the watermark passes it, then the key only' : node.updateBefore === false ? 'the last row\'s time' : 'the last row';
      return `state=[in memory per key: ${kept}; ${keptFor(node.stateTtlMs)}; ${bound}]`;
    case 'WindowRankExec':
      return `state=[in memory per window and partition: its top ${node.rankEnd} rows, freed when the watermark passes window_end; ${bound}]`;
    case 'OverAggregateExec': {
      const f = node.frame;
      if (f.units === 'RANGE' && f.preceding !== null) {
        return `state=[rows waiting for the watermark; per partition the rows of the last ${displayDuration(f.preceding)}, dropped as they age out; ${bound}]`;
      }
      const rows = f.preceding === null ? 'the accumulators' : `the accumulators and the last ${f.preceding} rows`;
      return `state=[rows waiting for the watermark; per partition ${rows}, ${keptFor(node.stateTtlMs)}; ${bound}]`;
    }
    default: {
      const never: never = node;
      return String(never);
    }
  }
}
