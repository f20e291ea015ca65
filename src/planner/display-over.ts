/**
 * One-line displays of the OVER family for EXPLAIN (display.ts handles the other nodes):
 *
 *   Over: partition=[auction] order=[price DESC] ROWS UNBOUNDED PRECEDING calls=[ROW_NUMBER()]
 *   Rank: ROW_NUMBER partition=[auction] order=[price DESC] range=[1, 10] rank=rank_number strategy=topn
 */
import { displaySortKey } from '../operators/index.ts';
import type { SortKey } from '../operators/index.ts';
import { displayDuration } from './display-expr.ts';
import { displayAggregate } from './display.ts';
import { rankStrategy } from './logical-over.ts';
import type { OverFrame, OverNode, RankNode, RankStrategy } from './logical-over.ts';

export function displayOverNode(node: OverNode | RankNode): string {
  const n = node.input.schema.map((c) => c.name);
  const keys = `partition=[${node.partitionKeys.map((k) => n[k]).join(', ')}] order=[${displayOrder(node.orderKeys, n)}]`;
  if (node.kind === 'Rank') {
    const rank = node.outputRank ? node.schema[node.schema.length - 1].name : 'hidden';
    return `Rank: ${node.fn} ${keys} range=[${node.rankStart}, ${node.rankEnd}] rank=${rank} strategy=${displayStrategy(rankStrategy(node), n)}`;
  }
  const calls = node.calls.map((c) => (c.kind === 'rank' ? `${c.fn}()` : displayAggregate(c.aggregate, n)));
  return `Over: ${keys} ${displayFrame(node.frame)} calls=[${calls.join(', ')}]`;
}

export function displayOrder(keys: readonly SortKey[], names: readonly string[]): string {
  return keys.map((k) => displaySortKey(k, names[k.column])).join(', ');
}

export function displayFrame(f: OverFrame): string {
  if (f.preceding === null) return `${f.units} UNBOUNDED PRECEDING`;
  if (f.preceding === 0) return `${f.units} CURRENT ROW`;
  return f.units === 'ROWS' ? `ROWS ${f.preceding} PRECEDING` : `RANGE ${displayDuration(f.preceding)} PRECEDING`;
}

export function displayStrategy(s: RankStrategy, names: readonly string[]): string {
  switch (s.kind) {
    case 'deduplicate': return `deduplicate(keep ${s.keepLast ? 'last' : 'first'} row by ${names[s.timeColumn]})`;
    case 'window': return `window(${names[s.startColumn]}, ${names[s.endColumn]})`;
    case 'topn': return 'topn';
    default: {
      const never: never = s;
      return String(never);
    }
  }
}
