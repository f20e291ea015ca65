/**
 * The SQL runtime: takes statement text and does what it says. DDL, SHOW, DESCRIBE, EXPLAIN and
 * SET answer at once; INSERT INTO, CREATE TABLE AS and EXECUTE STATEMENT SET become statements
 * that run until stopped; a SELECT is returned to the caller, who runs it with `runQuery` and
 * receives its changelog until it disconnects or a LIMIT is reached.
 *
 * @example
 *   const sql = await SqlRuntime.open({ topics, registry });
 *   const r = await sql.execute("SHOW TABLES", {});          // { kind: 'table', columns, rows }
 *   const s = await sql.execute("INSERT INTO out SELECT * FROM bid WHERE price > 100", {});
 */
import type pino from 'pino';
import type { TopicClient } from '../client/topic-client.ts';
import { displayType } from '../operators/index.ts';
import type { ColumnDef, Sink, SqlType } from '../operators/index.ts';
import { InProcessRegistryClient } from '../schema-registry/index.ts';
import type { SchemaRegistry } from '../schema-registry/index.ts';
import { formatSql, parseStatement } from '../sql/index.ts';
import type { QueryNode, Statement } from '../sql/index.ts';
import { RegistryCatalog } from './catalog.ts';
import { createTopicSource } from './connectors.ts';
import { alterTable, createTable, createView, describe, drop, reset, set, show } from './ddl.ts';
import type { TableResult } from './ddl.ts';
import { loadPlanner } from './planner-api.ts';
import { changeRows } from './result-rows.ts';
import type { ChangeRow } from './result-rows.ts';
import { physicalPlanOptions } from './session.ts';
import type { SessionProperties } from './session.ts';
import { StatementManager } from './statements.ts';
import type { StatementInfo } from './statements.ts';
import type { CheckpointStoreOptions } from './checkpoint-store.ts';
import type { StateChangelogOptions } from './state-changelog.ts';

export type ExecuteResult =
  | { readonly kind: 'table'; readonly columns: readonly string[]; readonly rows: readonly (readonly unknown[])[]; readonly properties?: SessionProperties }
  | { readonly kind: 'message'; readonly message: string; readonly properties?: SessionProperties }
  /** `action`: what STOP / RESUME did to an existing statement; absent when the statement was submitted. */
  | { readonly kind: 'statement'; readonly statement: StatementInfo; readonly message?: string; readonly action?: 'stopped' | 'resumed' }
  | { readonly kind: 'query'; readonly query: QueryNode };

export interface SqlRuntimeOptions {
  /** Relative 'path' options of filesystem tables resolve against this (default: the working directory). */
  readonly fileRoot?: string;
  readonly topics: TopicClient;
  readonly registry: SchemaRegistry;
  readonly logger?: pino.Logger;
  /** Checkpoint layout limits (tests lower them to exercise large state quickly). */
  readonly checkpointStore?: CheckpointStoreOptions;
  readonly stateChangelog?: StateChangelogOptions;
}

export interface QueryRun {
  /** Output columns (without `$row_kind`). */
  readonly columns: readonly ColumnDef[];
  /** Resolves when the query ends (LIMIT reached, bounded input done, or aborted). */
  readonly done: Promise<void>;
}

export class SqlRuntime {
  private constructor(
    private readonly options: SqlRuntimeOptions,
    readonly catalog: RegistryCatalog,
    readonly statements: StatementManager,
    private readonly client: InProcessRegistryClient,
  ) {}

  static async open(options: SqlRuntimeOptions): Promise<SqlRuntime> {
    const catalog = await RegistryCatalog.open(options.topics, options.registry);
    const client = new InProcessRegistryClient(options.registry);
    const statements = await StatementManager.open({
      topics: options.topics, registry: client, catalog, logger: options.logger, ...(options.fileRoot === undefined ? {} : { fileRoot: options.fileRoot }),
      ...(options.checkpointStore === undefined ? {} : { checkpointStore: options.checkpointStore }),
      ...(options.stateChangelog === undefined ? {} : { stateChangelog: options.stateChangelog }),
    });
    return new SqlRuntime(options, catalog, statements, client);
  }

  async execute(sql: string, properties: SessionProperties): Promise<ExecuteResult> {
    const stmt = parseStatement(sql);
    await this.catalog.refresh();
    const deps = { topics: this.options.topics, registry: this.options.registry, catalog: this.catalog };
    switch (stmt.kind) {
      case 'Query': return { kind: 'query', query: stmt };
      case 'Insert': case 'StatementSet':
        // Plan errors are the caller's, answered now rather than stored as a FAILED statement.
        await this.statements.validate(sql);
        return { kind: 'statement', statement: await this.statements.submit(sql, properties) };
      case 'CreateTable': {
        if (stmt.asQuery === undefined) return { kind: 'message', message: await createTable(deps, stmt) };
        const planner = await loadPlanner();
        const plan = planner.planQuery(stmt.asQuery, this.catalog);
        const out = planner.outputSchema(plan).filter((c) => c.name !== '$row_kind' && !c.name.startsWith('$'));
        const message = await createTable(deps, stmt, out.map((c) => ({ name: c.name, type: stripAttribute(c.type) })));
        if (message.includes('nothing done')) return { kind: 'message', message };
        return { kind: 'statement', statement: await this.statements.submit(sql, properties), message };
      }
      case 'CreateView': return { kind: 'message', message: await createView(deps, stmt) };
      case 'Drop': return { kind: 'message', message: await drop(deps, stmt) };
      case 'AlterTable': return { kind: 'message', message: await alterTable(deps, stmt) };
      case 'Show':
        if (stmt.objects === 'STATEMENTS' || stmt.objects === 'JOBS') return table(this.showStatements());
        return table(show(deps, stmt));
      case 'ShowCreate': return { kind: 'table', columns: ['Create Statement'], rows: [[this.showCreate(stmt.name.parts[stmt.name.parts.length - 1])]] };
      case 'Describe': return table(describe(deps, stmt));
      case 'Explain': {
        const planner = await loadPlanner();
        return { kind: 'table', columns: ['Plan'], rows: [[planner.explain(stmt, this.catalog, physicalPlanOptions(properties))]] };
      }
      case 'Set': {
        const r = set(properties, stmt.key, stmt.value);
        return { kind: 'table', columns: r.result.columns, rows: r.result.rows, properties: r.properties };
      }
      case 'Reset': return { kind: 'message', message: stmt.key === undefined ? 'All properties reset.' : `Property '${stmt.key}' reset.`, properties: reset(properties, stmt.key) };
      case 'StopStatement': {
        const info = await this.statements.stop(stmt.name, { savepoint: stmt.withSavepoint });
        if (info === undefined) throw new StatementNotFoundError(stmt.name);
        const how = stmt.withSavepoint ? 'with a savepoint: its output up to now is committed' : 'and its uncommitted output aborted';
        return { kind: 'statement', statement: info, action: 'stopped', message: `Statement '${info.name}' stopped ${how}. RESUME STATEMENT '${info.name}' continues where it stopped.` };
      }
      case 'ResumeStatement': {
        const info = await this.statements.resume(stmt.name);
        if (info === undefined) throw new StatementNotFoundError(stmt.name);
        return { kind: 'statement', statement: info, action: 'resumed', message: `Statement '${info.name}' resumed from its ${info.savepointAt === undefined ? 'last checkpoint' : 'savepoint'}.` };
      }
      case 'Use': return { kind: 'message', message: 'Runnel has one catalog and one database; USE changes nothing.' };
      case 'CreateFunction': throw new UnsupportedStatementError('user-defined functions are not supported yet');
      default: return unreachable(stmt);
    }
  }

  /**
   * Runs a SELECT until `signal` aborts, the LIMIT is reached or bounded input ends, calling
   * `onRows` with each batch's changelog rows (awaited: a slow caller slows the query down).
   */
  async runQuery(query: QueryNode, properties: SessionProperties, onRows: (rows: ChangeRow[]) => Promise<void> | void, signal: AbortSignal): Promise<QueryRun> {
    const planner = await loadPlanner();
    await this.catalog.refresh();
    // The planner's streaming LIMIT keeps the first n rows; without ORDER BY nothing can follow
    // them, so the query ends after n rows. ORDER BY … LIMIT n is a Top-N that keeps changing.
    const limit = query.limit?.kind === 'NumericLiteral' && query.orderBy.length === 0 ? Number(query.limit.text) : Infinity;
    const plan = planner.planQuery(query, this.catalog);
    const physical = planner.createPhysicalPlan(plan, { target: null, ...physicalPlanOptions(properties) });
    const stop = new AbortController();
    if (limit === 0) stop.abort();
    const onAbort = () => stop.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    let sent = 0;
    const sink: Sink = {
      name: 'QueryResultSink',
      async write(batch) {
        if (sent >= limit) return;
        let rows = changeRows(batch);
        if (sent + rows.length > limit) rows = rows.slice(0, limit - sent);
        sent += rows.length;
        if (rows.length > 0) await onRows(rows);
        if (sent >= limit) stop.abort();
      },
      preCommit: async () => undefined,
      commit: async () => undefined,
      close: async () => undefined,
    };
    const sources: { close(): Promise<void> }[] = [];
    const pipeline = planner.buildPipeline(physical, {
      source: (scan) => {
        const s = createTopicSource({ topics: this.options.topics, registry: this.client, properties, ...(this.options.fileRoot === undefined ? {} : { fileRoot: this.options.fileRoot }) }, scan);
        sources.push(s);
        return s;
      },
      sink: () => sink,
    });
    const columns = planner.outputSchema(plan).filter((c) => c.name !== '$row_kind');
    const done = pipeline.run({ signal: stop.signal, idleWaitMs: 20 }).finally(async () => {
      signal.removeEventListener('abort', onAbort);
      for (const s of sources) await s.close();
    });
    return { columns, done };
  }

  private showStatements(): TableResult {
    return {
      columns: ['Name', 'Status', 'Statement', 'Id', 'Offsets', 'Lag', 'Watermark', 'Late Records'],
      rows: this.statements.list().map((s) => [
        s.name, s.status, s.sql, s.id,
        Object.entries(s.metrics.offsets).map(([t, o]) => `${t}: ${Object.entries(o).map(([p, n]) => `${p}@${n}`).join(' ')}`).join('; '),
        s.metrics.lag, s.metrics.watermark ?? '', s.metrics.lateRecordsDropped,
      ]),
    };
  }

  private showCreate(name: string): string {
    const t = this.catalog.getTable(name);
    if (t === undefined) {
      const v = this.catalog.viewEntry(name);
      if (v !== undefined) return `CREATE VIEW \`${name}\` AS ${v.query}`;
      throw new UnknownObjectError(`table '${name}' does not exist`);
    }
    const cols = t.columns.filter((c) => !c.name.startsWith('$')).map((c) => (c.kind === 'computed' && c.expr !== undefined ? `  \`${c.name}\` AS ${formatSql(c.expr)}` : `  \`${c.name}\` ${displaySql(c.type)}${c.kind === 'metadata' ? ` METADATA FROM '${c.metadataKey ?? c.name}'` : ''}`));
    if (t.watermark !== undefined) cols.push(`  WATERMARK FOR \`${t.watermark.column}\` AS ${formatSql(t.watermark.expr)}`);
    if (t.primaryKey !== undefined) cols.push(`  PRIMARY KEY (${t.primaryKey.map((k) => `\`${k}\``).join(', ')}) NOT ENFORCED`);
    const opts = Object.entries(t.options).map(([k, v]) => `  '${k}' = '${v}'`).join(',\n');
    return `CREATE TABLE \`${name}\` (\n${cols.join(',\n')}\n) WITH (\n${opts}\n)`;
  }

  async close(): Promise<void> {
    await this.statements.close();
  }
}

export class UnsupportedStatementError extends Error {}
export class UnknownObjectError extends Error {}
export class StatementNotFoundError extends UnknownObjectError {
  constructor(idOrName: string) {
    super(`statement '${idOrName}' does not exist`);
  }
}

function table(r: TableResult): ExecuteResult {
  return { kind: 'table', columns: r.columns, rows: r.rows };
}

function stripAttribute<T extends { kind: string }>(t: T): T {
  if ('timeAttribute' in t) {
    const { timeAttribute: _a, ...rest } = t as T & { timeAttribute?: unknown };
    void _a;
    return rest as unknown as T;
  }
  return t;
}

function displaySql(t: SqlType): string {
  return displayType(t);
}

function unreachable(x: never): never {
  throw new UnsupportedStatementError(`unsupported statement ${(x as Statement).kind}`);
}
