/** JoinExecNode -> the join operator its spec names (src/operators/join). */
import { JoinExec } from '../operators/index.ts';
import type { ColumnDef, Operator } from '../operators/index.ts';
import { PlanError } from './errors.ts';
import type { JoinExecNode } from './physical-plan.ts';

export function joinOperator(node: JoinExecNode, left: readonly ColumnDef[], right: readonly ColumnDef[]): Operator {
  const common = {
    joinType: node.joinType, leftKeys: node.leftKeys, rightKeys: node.rightKeys, condition: node.condition,
    stateBytesMax: node.stateBytesMax, outputColumnCounts: node.outputColumnCounts,
  };
  const s = node.spec;
  switch (s.kind) {
    case 'regular': return new JoinExec([left, right], { ...common, leftUniqueKey: s.leftUniqueKey, rightUniqueKey: s.rightUniqueKey });
    default: throw new PlanError(`no join operator for ${s.kind} joins`);
  }
}
