/**
 * A small sqllogictest-style runner. A `.slt` file is a list of records separated by blank
 * lines; `#` starts a comment line.
 *
 *   statement ok                 CREATE TABLE / CREATE VIEW, or INSERT INTO t VALUES (...):
 *   CREATE TABLE t (...)         each INSERT becomes one batch of t's literal-row source,
 *                                which ends (final watermark) after the last batch.
 *
 *   query [rowsort|ordered|changelog]
 *   SELECT ...
 *   ----
 *   expected rows, columns separated by one space
 *
 * `rowsort` (default) applies the changelog and compares the final rows sorted; `ordered`
 * keeps emission order; `changelog` prints every row with its kind (+I, -U, +U, -D).
 *
 *   error                        the statement must fail with exactly this message
 *   SELECT ...
 *   ----
 *   line 1, column 8: unknown column ...
 *
 *   explain [logical|physical]   EXPLAIN text (or just the optimized logical plan, or just the
 *                                physical plan)
 */
import { readFileSync } from 'node:fs';
import type { RecordBatch } from 'apache-arrow';
import {
  CollectSink, ROW_KIND_COLUMN, ROW_KIND_SHORT, batchToRows, valuesBatch,
} from '../../src/operators/index.ts';
import type { ColumnDef, PhysicalExpr, SqlType, Source, SourceOffsets, StreamMessage } from '../../src/operators/index.ts';
import {
  MemoryCatalog, buildPipeline, createPhysicalPlan, displayPlan, explain, planInsert, planQuery, tableFromCreate,
} from '../../src/planner/index.ts';
import type { CatalogTable, LogicalPlan } from '../../src/planner/index.ts';
import { parseSql } from '../../src/sql/index.ts';
import type { InsertNode, QueryNode, Statement } from '../../src/sql/index.ts';

export interface SltRecord {
  readonly kind: 'statement' | 'query' | 'error' | 'explain';
  readonly mode: string;
  readonly sql: string;
  readonly expected: readonly string[];
  readonly line: number;
}

export function parseSlt(text: string): SltRecord[] {
  const records: SltRecord[] = [];
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) { i++; continue; }
    const [kind, mode = ''] = line.split(/\s+/, 2);
    if (kind !== 'statement' && kind !== 'query' && kind !== 'error' && kind !== 'explain') throw new Error(`line ${i + 1}: unknown record '${line}'`);
    const start = i + 1;
    i++;
    const sql: string[] = [];
    while (i < lines.length && lines[i].trim() !== '' && lines[i].trim() !== '----') sql.push(lines[i++]);
    const expected: string[] = [];
    if (i < lines.length && lines[i].trim() === '----') {
      i++;
      while (i < lines.length && lines[i].trim() !== '') expected.push(lines[i++].trimEnd());
    }
    records.push({ kind, mode, sql: sql.join('\n'), expected, line: start });
  }
  return records;
}

/** Literal rows per table, one batch per INSERT. */
interface TableData { readonly batches: { columns: string[]; rows: PhysicalExpr[][] }[] }

export class SltSession {
  readonly catalog = new MemoryCatalog();
  private readonly data = new Map<string, TableData>();

  async run(r: SltRecord): Promise<string[]> {
    switch (r.kind) {
      case 'statement': {
        for (const stmt of parseSql(r.sql)) this.statement(stmt);
        return [];
      }
      case 'query': return this.query(parseSql(r.sql)[0], r.mode);
      case 'error': {
        try {
          const stmts = parseSql(r.sql);
          for (const s of stmts) {
            if (s.kind === 'Query' || s.kind === 'Insert') await this.query(s, 'rowsort');
            else if (s.kind === 'Explain') explain(s, this.catalog);
            else this.statement(s);
          }
        } catch (err) {
          return [(err as Error).message];
        }
        return ['(no error)'];
      }
      case 'explain': {
        const stmt = parseSql(r.sql)[0];
        if (r.mode === 'logical') return displayPlan(planQuery(stmt as QueryNode, this.catalog)).split('\n');
        const lines = explain(stmt, this.catalog).split('\n');
        return r.mode === 'physical' ? lines.slice(lines.indexOf('== Physical Plan ==') + 1) : lines;
      }
      default: throw new Error(`unknown record kind ${String(r.kind)}`);
    }
  }

  private statement(stmt: Statement): void {
    switch (stmt.kind) {
      case 'CreateTable': this.catalog.addTable(tableFromCreate(stmt)); return;
      case 'CreateView': this.catalog.addView(stmt.name.parts[stmt.name.parts.length - 1], stmt.query); return;
      case 'Insert': this.insertValues(stmt); return;
      default: throw new Error(`statement ${stmt.kind} is not supported by the runner`);
    }
  }

  private insertValues(stmt: InsertNode): void {
    const name = stmt.table.parts[stmt.table.parts.length - 1];
    const table = this.catalog.getTable(name);
    if (table === undefined) throw new Error(`unknown table ${name}`);
    const values = planQuery(stmt.query, this.catalog);
    if (values.kind !== 'Values') throw new Error('the runner only inserts VALUES');
    const columns = stmt.columns.length > 0 ? stmt.columns.map((c) => c.value) : table.columns.filter((c) => c.kind === 'physical').map((c) => c.name);
    const d = this.data.get(name) ?? { batches: [] };
    d.batches.push({ columns, rows: values.rows.map((r) => [...r]) });
    this.data.set(name, d);
  }

  async query(stmt: Statement, mode: string): Promise<string[]> {
    let plan: LogicalPlan;
    let target: CatalogTable | null = null;
    if (stmt.kind === 'Query') plan = planQuery(stmt, this.catalog);
    else if (stmt.kind === 'Insert') ({ plan, target } = planInsert(stmt, this.catalog));
    else throw new Error(`query records take SELECT or INSERT, got ${stmt.kind}`);
    const physical = createPhysicalPlan(plan, { target });
    const sink = new CollectSink();
    const pipeline = buildPipeline(physical, { source: (scan) => this.source(scan.table, scan.columns), sink: () => sink });
    await pipeline.run({ idleWaitMs: 0 });
    return formatResult(sink.batches, plan.schema, mode);
  }

  private source(table: CatalogTable, columns: readonly string[]): Source {
    const defs: ColumnDef[] = columns.map((c) => {
      const col = table.columns.find((x) => x.name === c);
      if (col === undefined) throw new Error(`no column ${c}`);
      return { name: c, type: col.type };
    });
    const batches = (this.data.get(table.name)?.batches ?? []).map((b) =>
      valuesBatch(defs, b.rows.map((row) => defs.map((d) => {
        const at = b.columns.indexOf(d.name);
        if (at >= 0) return row[at];
        return d.name === '$rowtime' ? { kind: 'literal', value: 0, type: d.type } : { kind: 'literal', value: null, type: d.type };
      }))));
    return new ListSource(table.name, defs, batches);
  }
}

/** Emits its batches one per poll, then `end`. */
export class ListSource implements Source {
  private next = 0;
  constructor(readonly name: string, readonly outputColumns: readonly ColumnDef[], private readonly batches: readonly RecordBatch[]) {}
  poll(): Promise<StreamMessage[]> {
    if (this.next > this.batches.length) return Promise.resolve([]);
    const i = this.next++;
    return Promise.resolve(i < this.batches.length ? [{ kind: 'batch', batch: this.batches[i] }] : [{ kind: 'end' }]);
  }
  offsets(): SourceOffsets { return { next: String(this.next) }; }
  restoreOffsets(o: SourceOffsets): void { this.next = Number(o.next); }
  close(): Promise<void> { return Promise.resolve(); }
}

export function formatValue(v: unknown, t: SqlType): string {
  if (v === null || v === undefined) return 'NULL';
  switch (t.kind) {
    case 'TIMESTAMP': case 'TIMESTAMP_LTZ': return new Date(Number(v)).toISOString().replace('T', ' ').replace('Z', '');
    case 'DATE': return new Date(Number(v) * 86_400_000).toISOString().slice(0, 10);
    case 'BOOLEAN': return v === true || v === 1 ? 'true' : 'false';
    case 'CHAR': case 'VARCHAR': return v === '' ? "''" : String(v);
    default: return String(v);
  }
}

export function formatResult(batches: readonly RecordBatch[], schema: readonly ColumnDef[], mode: string): string[] {
  const changes: { kind: number; line: string }[] = [];
  for (const b of batches) {
    const rk = b.schema.fields.findIndex((f) => f.name === ROW_KIND_COLUMN);
    for (const row of batchToRows(b)) {
      const line = schema.map((c, i) => formatValue(row[i], c.type)).join(' ');
      changes.push({ kind: rk >= 0 ? Number(row[rk]) : 0, line });
    }
  }
  if (mode === 'changelog') return changes.map((c) => `${ROW_KIND_SHORT[c.kind]} ${c.line}`);
  const rows: string[] = [];
  for (const c of changes) {
    if (c.kind === 0 || c.kind === 2) rows.push(c.line);
    else {
      const at = rows.indexOf(c.line);
      if (at < 0) throw new Error(`retraction of a row that is not there: ${c.line}`);
      rows.splice(at, 1);
    }
  }
  return mode === 'ordered' ? rows : rows.sort();
}

export function loadSlt(path: string): SltRecord[] {
  return parseSlt(readFileSync(path, 'utf8'));
}
