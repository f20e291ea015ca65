import { ExecutionError } from '../errors.ts';

/** BIGINT results must stay within +-2^53 (see column.ts for why BIGINT is a float64 in memory). */
export function checkBigintResult(x: number): number {
  if (x > Number.MAX_SAFE_INTEGER || x < -Number.MAX_SAFE_INTEGER) {
    throw new ExecutionError('NUMERIC_OVERFLOW', `BIGINT overflow: ${x} lies outside +-2^53, the exact range Runnel computes in`);
  }
  return x;
}
