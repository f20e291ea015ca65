/**
 * PlanError: the SQL parsed but cannot be planned -- an unknown table or column, a type error,
 * a construct that is not supported yet. The message starts with the line and column of the
 * AST node at fault, as syntax errors do, and suggests the nearest name where one exists:
 *
 *   line 1, column 8: unknown column 'prise' in table bid; did you mean 'price'?
 */
import { RunnelError } from '../sql/index.ts';
import type { Pos } from '../sql/index.ts';

export class PlanError extends RunnelError {
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(message: string, pos?: Pos, options?: { cause?: unknown }) {
    super('PLAN_ERROR', pos === undefined ? message : `line ${pos.line}, column ${pos.column}: ${message}`, options);
    this.line = pos?.line;
    this.column = pos?.column;
  }
}

/** A construct part 1 does not plan; the message names it so users know it is not a typo. */
export function unsupported(construct: string, pos?: Pos, note?: string): PlanError {
  return new PlanError(`${construct} is not supported yet${note === undefined ? '' : `; ${note}`}`, pos);
}

/** The closest candidate to `name` (case-insensitive edit distance), if one is close enough. */
export function nearestName(name: string, candidates: readonly string[]): string | undefined {
  const target = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(target, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/** `; did you mean 'x'?` or nothing. */
export function didYouMean(name: string, candidates: readonly string[]): string {
  const n = nearestName(name, candidates);
  return n === undefined ? '' : `; did you mean '${n}'?`;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length];
}
