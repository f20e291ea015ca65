/** JoinExecNode -> the join operator its spec names (src/operators/join). */
import { IntervalJoinExec, JoinExec, LookupJoinExec, TemporalJoinExec, WindowJoinExec } from '../operators/index.ts';
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
    case 'regular': return new JoinExec([left, right], { ...common, leftUniqueKey: s.leftUniqueKey, rightUniqueKey: s.rightUniqueKey, stateTtlMs: s.stateTtlMs });
    case 'interval': return new IntervalJoinExec([left, right], { ...common, leftTime: s.leftTime, rightTime: s.rightTime, lowerMs: s.lowerMs, upperMs: s.upperMs });
    case 'window': return new WindowJoinExec([left, right], { ...common, leftEnd: s.leftEnd, rightEnd: s.rightEnd });
    case 'temporal': {
      if (node.joinType !== 'INNER' && node.joinType !== 'LEFT') throw new PlanError(`a temporal join is INNER or LEFT, not ${node.joinType}`);
      const t = { ...common, joinType: node.joinType };
      return s.rightTime === null
        ? new LookupJoinExec([left, right], { ...t, rightUniqueKey: s.rightUniqueKey })
        : new TemporalJoinExec([left, right], { ...t, leftTime: s.leftTime, rightTime: s.rightTime });
    }
    default: {
      const never: never = s;
      throw new PlanError(`unknown join operator ${JSON.stringify(never)}`);
    }
  }
}
