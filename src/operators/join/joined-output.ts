/**
 * The output side every join shares: the joined columns (left then right, the side that may be
 * NULL-padded made nullable), an optional `$row_kind`, and writing one joined row.
 */
import type { ColumnDef } from '../arrow-types.ts';
import { InvalidPlanError } from '../errors.ts';
import type { PhysicalExpr } from '../expr/ir.ts';
import { GroupKeyReader } from '../group-key.ts';
import { checkColumn } from '../operator-base.ts';
import { JoinCondition } from './join-condition.ts';
import { ROW_KIND_COLUMN } from '../row-kind.ts';
import { RowsBuilder } from '../rows-builder.ts';
import { withNullable } from '../types.ts';

export type JoinType = 'INNER' | 'LEFT' | 'RIGHT' | 'FULL';

/** [left padded-side is outer, right is outer]: LEFT pads the right side, and so on. */
export function outerSides(t: JoinType): [boolean, boolean] {
  return [t === 'LEFT' || t === 'FULL', t === 'RIGHT' || t === 'FULL'];
}

export class JoinedOutput {
  readonly rows: RowsBuilder;
  readonly columns: readonly ColumnDef[];
  readonly joined: readonly ColumnDef[];

  /** `counts`: leading columns of each input that are output. */
  constructor(inputs: readonly [readonly ColumnDef[], readonly ColumnDef[]], readonly counts: readonly [number, number], joinType: JoinType, updating: boolean) {
    const outer = outerSides(joinType);
    const left = inputs[0].slice(0, counts[0]).map((c) => (outer[1] ? { name: c.name, type: withNullable(c.type, true) } : c));
    const right = inputs[1].slice(0, counts[1]).map((c) => (outer[0] ? { name: c.name, type: withNullable(c.type, true) } : c));
    this.joined = [...left, ...right];
    this.rows = new RowsBuilder(this.joined, updating);
    this.columns = updating ? [...this.joined, { name: ROW_KIND_COLUMN, type: { kind: 'TINYINT', nullable: false } }] : this.joined;
  }

  /** Writes left ++ right (NULLs for a missing side) with `kind`. */
  write(left: readonly unknown[] | null, right: readonly unknown[] | null, kind: number): void {
    const nLeft = this.counts[0], nRight = this.counts[1];
    for (let c = 0; c < nLeft; c++) this.rows.set(c, left === null ? null : left[c]);
    for (let c = 0; c < nRight; c++) this.rows.set(nLeft + c, right === null ? null : right[c]);
    this.rows.endRow(kind);
  }

  /** A column value of the joined row of `left` and `right` (for residual conditions). */
  valueOf(column: number, left: readonly unknown[], right: readonly unknown[]): unknown {
    return column < this.counts[0] ? left[column] : right[column - this.counts[0]];
  }
}

export function dataColumnCount(cols: readonly ColumnDef[]): number {
  const rk = cols.findIndex((c) => c.name === ROW_KIND_COLUMN);
  return rk >= 0 ? rk : cols.length;
}

/** What the keyed joins take from their options. */
export interface KeyedJoinOptions {
  readonly joinType: JoinType;
  readonly leftKeys: readonly number[];
  readonly rightKeys: readonly number[];
  readonly condition: PhysicalExpr | null;
  readonly stateBytesMax: number;
  readonly outputColumnCounts?: readonly [number, number];
}

/** The parts every keyed join builds from its inputs and options, checked. */
export interface KeyedJoinParts {
  readonly counts: [number, number];
  readonly readers: [GroupKeyReader, GroupKeyReader];
  readonly output: JoinedOutput;
  readonly condition: JoinCondition | null;
  readonly outer: [boolean, boolean];
}

/**
 * Checks and builds the shared parts: keys and `columns` (name -> [left, right] index) exist,
 * inputs are append-only when `appendOnly`, `updating` adds `$row_kind` to the output.
 */
export function keyedJoinParts(name: string, inputs: readonly [readonly ColumnDef[], readonly ColumnDef[]], o: KeyedJoinOptions,
  columns: Readonly<Record<string, readonly [number | null, number | null]>>, appendOnly: readonly [boolean, boolean], updating: boolean): KeyedJoinParts {
  if (!(o.stateBytesMax > 0)) throw new InvalidPlanError('INVALID_PLAN', `${name}: stateBytesMax must be positive`);
  const counts: [number, number] = [dataColumnCount(inputs[0]), dataColumnCount(inputs[1])];
  [0, 1].forEach((s) => {
    if (appendOnly[s] && counts[s] < inputs[s].length) throw new InvalidPlanError('INVALID_PLAN', `${name}: the ${s === 0 ? 'left' : 'right'} input must be append-only`);
    (s === 0 ? o.leftKeys : o.rightKeys).forEach((k) => checkColumn(name, inputs[s].slice(0, counts[s]), k, 'a join key'));
    for (const [what, at] of Object.entries(columns)) if (at[s] !== null) checkColumn(name, inputs[s], at[s] as number, what);
  });
  const output = new JoinedOutput(inputs, o.outputColumnCounts ?? counts, o.joinType, updating);
  return {
    counts,
    readers: [new GroupKeyReader(o.leftKeys, inputs[0].map((c) => c.type)), new GroupKeyReader(o.rightKeys, inputs[1].map((c) => c.type))],
    output,
    condition: o.condition === null ? null : new JoinCondition(o.condition, output.joined),
    outer: outerSides(o.joinType),
  };
}
