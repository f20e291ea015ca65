/**
 * How `runnel sql` shows results: boxed tables for SHOW/DESCRIBE answers, a changelog printed
 * row by row (`+I | 1 | a`) when the output is not a terminal, and in the shell a live table
 * that applies the changelog (-U/-D remove a row, +I/+U add one) and is redrawn in place.
 */

export interface ResultColumn {
  readonly name: string;
  readonly type?: string;
}

/** Cell text: NULL for null, JSON for nested values. */
export function cell(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** A boxed table, as Flink's SQL client prints results. */
export function boxTable(headers: readonly string[], rows: readonly (readonly unknown[])[], widthMax = 80): string {
  const cells = rows.map((r) => r.map((c) => clip(cell(c), widthMax)));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const rule = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
  const line = (r: readonly string[]) => `| ${r.map((c, i) => (c ?? '').padEnd(widths[i])).join(' | ')} |`;
  return [rule, line(headers), rule, ...cells.map(line), rule].join('\n') + '\n';
}

function clip(s: string, w: number): string {
  const oneLine = s.replace(/\n/g, '\\n');
  return oneLine.length > w ? `${oneLine.slice(0, w - 1)}…` : oneLine;
}

/** The rows a changelog leaves, in arrival order (bounded: the oldest are dropped past `rowsMax`). */
export class MaterializedRows {
  readonly rows: unknown[][] = [];
  private readonly keys: string[] = [];
  changes = 0;

  constructor(private readonly rowsMax = 100_000) {}

  apply(op: string, values: unknown[]): void {
    this.changes++;
    const key = JSON.stringify(values);
    if (op === '-U' || op === '-D') {
      const at = this.keys.lastIndexOf(key);
      if (at >= 0) {
        this.keys.splice(at, 1);
        this.rows.splice(at, 1);
      }
      return;
    }
    this.keys.push(key);
    this.rows.push(values);
    if (this.rows.length > this.rowsMax) {
      this.rows.shift();
      this.keys.shift();
    }
  }
}
