/**
 * The operators of the OVER family's physical nodes (build-pipeline.ts instantiates the rest); each
 * physical node carries exactly its operator's options.
 */
import { DeduplicateExec, OverAggregateExec, RankExec, WindowRankExec } from '../operators/index.ts';
import type { ColumnDef, Operator } from '../operators/index.ts';
import type { OverExecNode } from './physical-over.ts';
import { PlanError } from './errors.ts';

export function overOperator(node: OverExecNode, input: readonly ColumnDef[]): Operator {
  switch (node.kind) {
    case 'RankExec': return new RankExec(input, node);
    case 'DeduplicateExec':
      return new DeduplicateExec(input, node);
    case 'WindowRankExec': return new WindowRankExec(input, node);
    case 'OverAggregateExec':
      return new OverAggregateExec(input, node);
    default: {
      const never: never = node;
      throw new PlanError(`unknown physical node ${JSON.stringify(never)}`);
    }
  }
}
