/**
 * Aggregate functions as accumulators with add / retract / merge / value, so one definition
 * serves window aggregation (add, merge for sessions), updating group aggregation (add and
 * retract) and checkpoints (save / load).
 *
 * Accumulators see only non-NULL argument values (SQL aggregates ignore NULLs); COUNT(*) is
 * called for every row. `add`, `retract` and `merge` return the change in estimated state bytes,
 * so operators can enforce `stateBytesMax` without walking their state.
 */
import type { SqlType } from '../types.ts';

export interface Accumulator {
  add(v: unknown): number;
  retract(v: unknown): number;
  merge(other: Accumulator): number;
  /** The current result; null for SQL NULL. */
  value(): unknown;
  save(): unknown;
  load(saved: unknown): void;
}

export type AggregateKind = 'COUNT_STAR' | 'COUNT' | 'SUM' | 'AVG' | 'MIN' | 'MAX' | 'FIRST_VALUE' | 'LAST_VALUE';

/**
 * One aggregate in a plan: `COUNT(DISTINCT $3) FILTER (WHERE $5)` is
 * `{ fn: 'COUNT', arg: 3, distinct: true, filter: 5, name: 'n' }`. Arguments and filters are
 * input columns: the planner projects expressions into columns first (a CalcExec below).
 */
export interface AggregateCall {
  readonly fn: AggregateKind;
  /** Input column of the argument; null for COUNT(*). */
  readonly arg: number | null;
  readonly distinct?: boolean;
  /** BOOLEAN input column; the row counts for this aggregate only when it is TRUE. */
  readonly filter?: number | null;
  readonly name: string;
}

export interface AggregateFactory {
  readonly call: AggregateCall;
  readonly resultType: SqlType;
  create(): Accumulator;
  /** The aggregate without DISTINCT (a DISTINCT one's inner accumulator, fed from a shared distinct store). */
  createInner(): Accumulator;
}

/** Rough bytes of one value held in a multiset or list: a Map entry plus the value. */
export function valueBytes(v: unknown): number {
  if (typeof v === 'string') return 48 + 2 * v.length;
  if (typeof v === 'bigint') return 64;
  if (v instanceof Uint8Array) return 64 + v.length;
  return 40;
}
