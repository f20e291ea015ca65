/**
 * Builds accumulator factories from aggregate calls, with Flink's result types:
 * COUNT -> BIGINT NOT NULL; SUM keeps integer and DOUBLE types and widens DECIMAL(p, s) to
 * DECIMAL(38, s); AVG keeps integer types (truncating) and gives DECIMAL(38, max(6, s)) for
 * decimals; MIN, MAX, FIRST_VALUE and LAST_VALUE keep the argument type.
 */
import { InvalidPlanError } from '../errors.ts';
import { T, displayType, isApproxKind, isIntegerKind, withNullable } from '../types.ts';
import type { SqlType } from '../types.ts';
import type { ColumnDef } from '../arrow-types.ts';
import type { Accumulator, AggregateCall, AggregateFactory } from './accumulator.ts';
import { AvgAccumulator, CountAccumulator, DecimalAvgAccumulator, DecimalSumAccumulator, SumAccumulator } from './basic.ts';
import { DistinctAccumulator } from './distinct.ts';
export { DistinctAccumulator, NumberDistinct, SLOTS_MAX, ValueDistinct, distinctKey, distinctStore } from './distinct.ts';
export type { DistinctStore } from './distinct.ts';
export { CountAccumulator } from './basic.ts';
import { FirstLastAccumulator } from './first-last.ts';
import { ExtremumAccumulator, RetractingExtremumAccumulator } from './min-max.ts';

export type { Accumulator, AggregateCall, AggregateFactory, AggregateKind } from './accumulator.ts';

/**
 * Validates `call` against the input and returns its factory. `retracting` selects the variants
 * that support retraction (needed when the input is an updating stream).
 */
export function aggregateFactory(op: string, call: AggregateCall, input: readonly ColumnDef[], retracting: boolean): AggregateFactory {
  const argType = call.arg === null ? null : input[call.arg]?.type;
  if (call.arg !== null && argType === undefined) {
    throw new InvalidPlanError('INVALID_PLAN', `${op}: aggregate ${call.name} reads column ${call.arg}, but the input has ${input.length} columns`);
  }
  if (call.filter !== undefined && call.filter !== null && input[call.filter]?.type.kind !== 'BOOLEAN') {
    throw new InvalidPlanError('INVALID_PLAN', `${op}: FILTER of ${call.name} must be a BOOLEAN column`);
  }
  if ((call.fn === 'COUNT_STAR') !== (call.arg === null)) {
    throw new InvalidPlanError('INVALID_PLAN', `${op}: ${call.fn} ${call.arg === null ? 'needs an argument' : 'takes no argument'}`);
  }
  const { resultType, make } = resolve(call, argType ?? null, retracting);
  if (call.distinct !== true) return { call, resultType, create: make, createInner: make };
  return { call, resultType, create: () => new DistinctAccumulator(make()), createInner: make };
}

function resolve(call: AggregateCall, t: SqlType | null, retracting: boolean): { resultType: SqlType; make: () => Accumulator } {
  const bad = (): never => {
    throw new InvalidPlanError('TYPE_MISMATCH', `no aggregate ${call.fn}(${t === null ? '*' : displayType(t)})`);
  };
  switch (call.fn) {
    case 'COUNT_STAR': case 'COUNT':
      return { resultType: T.bigint(false), make: () => new CountAccumulator() };
    case 'SUM': case 'AVG': {
      if (t === null) return bad();
      if (t.kind === 'DECIMAL') {
        if (call.fn === 'SUM') return { resultType: T.decimal(38, t.scale), make: () => new DecimalSumAccumulator() };
        const outScale = Math.max(6, t.scale);
        return { resultType: T.decimal(38, outScale), make: () => new DecimalAvgAccumulator(t.scale, outScale) };
      }
      if (!isIntegerKind(t.kind) && !isApproxKind(t.kind)) return bad();
      const resultType = withNullable(t, true);
      if (call.fn === 'SUM') return { resultType, make: () => new SumAccumulator() };
      return { resultType, make: () => new AvgAccumulator(isIntegerKind(t.kind)) };
    }
    case 'MIN': case 'MAX': {
      if (t === null) return bad();
      const isMin = call.fn === 'MIN';
      return {
        resultType: withNullable(t, true),
        make: retracting ? () => new RetractingExtremumAccumulator(isMin) : () => new ExtremumAccumulator(isMin),
      };
    }
    case 'FIRST_VALUE': case 'LAST_VALUE': {
      if (t === null) return bad();
      const first = call.fn === 'FIRST_VALUE';
      return { resultType: withNullable(t, true), make: () => new FirstLastAccumulator(first, retracting) };
    }
    default: {
      const never: never = call.fn;
      throw new InvalidPlanError('INVALID_PLAN', `unknown aggregate ${String(never)}`);
    }
  }
}
