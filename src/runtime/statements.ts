/**
 * Statements are the unit of work (ARCHITECTURE.md principle 8): an INSERT INTO, CREATE TABLE AS
 * or EXECUTE STATEMENT SET, once submitted, is stored in the compacted topic `_runnel_statements`,
 * started, reports status, offsets, lag, watermark and row counts, survives a restart and is
 * stopped by `stop` (HTTP DELETE).
 *
 * Exactly-once: each running statement takes a checkpoint (source offsets, operator states and
 * the sink's pre-committed transaction) every `execution.checkpointing.interval`, stores it in
 * `_runnel_offsets` (acknowledged after fsync), and only then commits the sink's transaction.
 * Sinks write each checkpoint's output in one Kafka transaction under transactional ids derived
 * from the statement id (stable across restarts), and sources read read_committed. After a
 * crash the statement restores its last checkpoint, commits that checkpoint's transaction if the
 * crash came before the commit, and aborts (fences) whatever was written after it, so
 * read_committed consumers see exactly what an uninterrupted run writes. A failing statement
 * goes FAILED with its error; it never takes the process down.
 *
 * Stopping, as in Flink: `stop(…, { savepoint: true })` (STOP STATEMENT … WITH SAVEPOINT) drains
 * into a final checkpoint and commits its output; a plain stop cancels — the open transaction is
 * aborted and the last periodic checkpoint stays. Either way `resume` (RESUME STATEMENT) continues
 * from the stored checkpoint with nothing lost or repeated: after a cancel the aborted output is
 * produced again. A stopped statement stays stopped across restarts of the platform.
 *
 * Status: PENDING (stored, not yet running) -> RUNNING -> COMPLETED (bounded input ended) |
 * FAILED | STOPPED.
 */
import { randomUUID } from 'node:crypto';
import type pino from 'pino';
import type { TopicClient, TransactionRef } from '../client/topic-client.ts';
import type { KafkaTopicSource } from '../connectors/kafka/index.ts';
import type { Pipeline } from '../operators/index.ts';
import type { RegistryClient } from '../schema-registry/index.ts';
import { parseStatement } from '../sql/index.ts';
import type { InsertNode } from '../sql/index.ts';
import type { RegistryCatalog } from './catalog.ts';
import { createFileSystemSink, createTopicSink, createTopicSource } from './connectors.ts';
import { CheckpointStore, OFFSETS_TOPIC } from './checkpoint-store.ts';
import type { CheckpointStoreOptions, PipelineCheckpoint } from './checkpoint-store.ts';
import { StatementChangelogs } from './state-changelog.ts';
import type { StateChangelogOptions } from './state-changelog.ts';
import { KvLog } from './kv-log.ts';
import { loadPlanner } from './planner-api.ts';
import { checkpointIntervalMs, effective, physicalPlanOptions } from './session.ts';
import type { SessionProperties } from './session.ts';

export const STATEMENTS_TOPIC = '_runnel_statements';
export { OFFSETS_TOPIC };
/** Polling rounds a pipeline runs between checkpoint decisions. */
const SLICE_ROUNDS = 20;
/** Statements kept at most (running and finished). */
export const STATEMENTS_MAX = 10_000;

export type StatementStatus = 'PENDING' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'STOPPED';

export interface StatementRecord {
  readonly id: string;
  readonly name: string;
  readonly sql: string;
  readonly status: StatementStatus;
  readonly error?: string;
  /** When the statement was last stopped with a savepoint (ISO-8601). */
  readonly savepointAt?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly properties: SessionProperties;
}

export interface StatementMetrics {
  readonly rowsIn: number;
  readonly rowsOut: number;
  readonly lag: number;
  /** Smallest watermark over the statement's sources, ISO-8601; null before the first. */
  readonly watermark: string | null;
  /** topic -> partition -> next offset to read. */
  readonly offsets: Record<string, Record<string, string>>;
  /** Estimated bytes of operator state now, and the most seen while the statement ran. */
  readonly stateBytes: number;
  readonly stateBytesPeak: number;
  /** Per stateful operator (`<pipeline>/<operator key>`): its state and late rows dropped. */
  readonly operators: Record<string, { readonly stateBytes: number; readonly lateRecordsDropped: number }>;
  /** Rows dropped as late (behind the watermark) over all operators: counted, never silently lost. */
  readonly lateRecordsDropped: number;
}

export interface StatementInfo extends StatementRecord {
  readonly metrics: StatementMetrics;
}


interface Run {
  readonly abort: AbortController;
  readonly sources: KafkaTopicSource[];
  readonly sinks: StatementSink[];
  readonly pipelines: Pipeline[];
  stateBytesPeak: number;
  done: Promise<void>;
  /** Stop requested by the user (null: shutdown, which checkpoints and stays RUNNING). */
  stop: 'savepoint' | 'cancel' | null;
}

/** What a statement needs of its sinks (topic and filesystem sinks) beyond the Sink contract. */
interface StatementSink {
  readonly recordsWritten: number;
  readonly finished: boolean;
  /** Continues after checkpoint `checkpointId` (0: none), committing what it pre-committed. */
  restore(checkpointId: number, pending: TransactionRef | null): Promise<void>;
  pendingTransaction(): TransactionRef | null;
  close(): Promise<void>;
}

export interface StatementManagerDeps {
  /** Relative 'path' options of filesystem tables resolve against this (default: the working directory). */
  readonly fileRoot?: string;
  readonly topics: TopicClient;
  readonly registry: RegistryClient;
  readonly catalog: RegistryCatalog;
  readonly logger?: pino.Logger;
  readonly checkpointStore?: CheckpointStoreOptions;
  readonly stateChangelog?: StateChangelogOptions;
}

export class StatementError extends Error {}

export class StatementManager {
  private readonly runs = new Map<string, Run>();
  /** Metrics of runs that ended in this process (their sources are gone). */
  private readonly lastMetrics = new Map<string, StatementMetrics>();
  private closed = false;

  private constructor(
    private readonly deps: StatementManagerDeps,
    private readonly store: KvLog<StatementRecord>,
    private readonly checkpoints: CheckpointStore,
  ) {}

  /** Opens the statement log and resumes every statement that was running. */
  static async open(deps: StatementManagerDeps): Promise<StatementManager> {
    const store = await KvLog.open<StatementRecord>(deps.topics, STATEMENTS_TOPIC);
    const checkpoints = await CheckpointStore.open(deps.topics, deps.checkpointStore);
    const m = new StatementManager(deps, store, checkpoints);
    for (const [, rec] of store.entries()) {
      if (rec.status === 'RUNNING' || rec.status === 'PENDING') m.start(rec);
    }
    return m;
  }

  /** Stores a statement and starts it; returns at once with status PENDING. */
  async submit(sql: string, properties: SessionProperties): Promise<StatementInfo> {
    if (this.store.entries().length >= STATEMENTS_MAX) throw new StatementError(`${STATEMENTS_MAX} statements exist; delete finished ones first`);
    checkpointIntervalMs(properties); // a bad interval is the caller's error, answered now
    const requested = effective(properties, 'sql.statement.name');
    if (requested !== '' && this.find(requested) !== undefined) throw new StatementError(`a statement named '${requested}' already exists`);
    const now = new Date().toISOString();
    const id = randomUUID();
    const { 'sql.statement.name': _ignored, ...rest } = properties;
    void _ignored;
    const rec: StatementRecord = { id, name: requested !== '' ? requested : defaultName(sql, id), sql, status: 'PENDING', createdAt: now, updatedAt: now, properties: rest };
    await this.store.put(id, rec);
    this.start(rec);
    return this.info(rec);
  }

  /** Plans the statement without running it: throws the planner's error for a bad statement. */
  async validate(sql: string): Promise<void> {
    const planner = await loadPlanner();
    await this.deps.catalog.refresh();
    for (const stmt of insertsOf(sql)) {
      const { target, plan } = planner.planInsert(stmt, this.deps.catalog);
      planner.createPhysicalPlan(plan, { target });
    }
  }

  list(): StatementInfo[] {
    return this.store.entries().map(([, r]) => this.info(r)).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** By id or by name. */
  get(idOrName: string): StatementInfo | undefined {
    const rec = this.find(idOrName);
    return rec === undefined ? undefined : this.info(rec);
  }

  /**
   * Resolves when the statement's current run has ended (completed, failed or stopped) with its
   * status then; at once when it is not running in this process. Undefined for an unknown statement.
   */
  async settled(idOrName: string): Promise<StatementInfo | undefined> {
    const rec = this.find(idOrName);
    if (rec === undefined) return undefined;
    await this.runs.get(rec.id)?.done;
    return this.get(rec.id);
  }

  /**
   * Stops a statement and marks it STOPPED: with `savepoint`, after a final checkpoint whose
   * output is committed; otherwise cancelled, its open transaction aborted (see the module doc).
   */
  async stop(idOrName: string, options: { savepoint?: boolean } = {}): Promise<StatementInfo | undefined> {
    const rec = this.find(idOrName);
    if (rec === undefined) return undefined;
    const run = this.runs.get(rec.id);
    if (run !== undefined) {
      run.stop = options.savepoint === true ? 'savepoint' : 'cancel';
      run.abort.abort();
      await run.done;
    }
    const now = this.find(rec.id) ?? rec;
    if (now.status === 'RUNNING' || now.status === 'PENDING') await this.setStatus(now, 'STOPPED');
    return this.get(rec.id);
  }

  /** Restarts a STOPPED (or FAILED) statement from its savepoint or last checkpoint. */
  async resume(idOrName: string): Promise<StatementInfo | undefined> {
    const rec = this.find(idOrName);
    if (rec === undefined) return undefined;
    if (rec.status === 'RUNNING' || rec.status === 'PENDING') throw new StatementError(`statement '${rec.name}' is ${rec.status}; only a STOPPED or FAILED statement can be resumed`);
    if (rec.status === 'COMPLETED') throw new StatementError(`statement '${rec.name}' is COMPLETED: its bounded input is done; submit it again to rerun it`);
    this.lastMetrics.delete(rec.id);
    const pending = await this.setStatus(rec, 'PENDING');
    this.start(pending);
    return this.info(pending);
  }

  /** Deletes a statement's record and checkpoints (stopping it first). */
  async delete(idOrName: string): Promise<boolean> {
    const rec = this.find(idOrName);
    if (rec === undefined) return false;
    await this.stop(rec.id);
    await this.store.delete(rec.id);
    await this.checkpoints.delete(rec.id);
    await StatementChangelogs.deleteAll(this.deps.topics, rec.id);
    return true;
  }

  /** Shutdown: every run commits its offsets and stops; statuses stay RUNNING so they resume. */
  async close(): Promise<void> {
    this.closed = true;
    const runs = [...this.runs.values()];
    for (const r of runs) r.abort.abort();
    await Promise.all(runs.map((r) => r.done));
  }

  /** Aggregated metrics of running statements, for /metrics. */
  running(): StatementInfo[] {
    return [...this.runs.keys()].flatMap((id) => {
      const rec = this.store.get(id);
      return rec === undefined ? [] : [this.info(rec)];
    });
  }

  private find(idOrName: string): StatementRecord | undefined {
    return this.store.get(idOrName) ?? this.store.entries().map(([, r]) => r).find((r) => r.name === idOrName);
  }

  private info(rec: StatementRecord): StatementInfo {
    const run = this.runs.get(rec.id);
    const ended = run === undefined ? this.lastMetrics.get(rec.id) : undefined;
    if (ended !== undefined) return { ...rec, metrics: ended };
    const offsets: Record<string, Record<string, string>> = {};
    let rowsIn = 0;
    let lag = 0;
    let wm: number | null = null;
    for (const s of run?.sources ?? []) {
      const p = s.progress();
      rowsIn += p.rowsOut;
      offsets[p.topic] = Object.fromEntries(p.partitions.map((x) => [String(x.partition), x.offset]));
      for (const x of p.partitions) lag += Number(x.lag);
      if (p.watermarkMs !== null) wm = wm === null ? p.watermarkMs : Math.min(wm, p.watermarkMs);
    }
    if (run === undefined) {
      for (const cp of this.checkpoints.get(rec.id) ?? []) {
        if (cp === null) continue;
        for (const [key, o] of Object.entries(cp.sourceOffsets)) offsets[topicOfSourceKey(key)] = o;
      }
    }
    const rowsOut = (run?.sinks ?? []).reduce((n, s) => n + s.recordsWritten, 0);
    const { operators, stateBytes } = operatorState(run?.pipelines ?? []);
    if (run !== undefined) run.stateBytesPeak = Math.max(run.stateBytesPeak, stateBytes);
    const stateBytesPeak = run?.stateBytesPeak ?? 0;
    const lateRecordsDropped = Object.values(operators).reduce((n, o) => n + o.lateRecordsDropped, 0);
    return { ...rec, metrics: { rowsIn, rowsOut, lag, watermark: wm === null ? null : safeIso(wm), offsets, stateBytes, stateBytesPeak, operators, lateRecordsDropped } };
  }

  private async setStatus(rec: StatementRecord, status: StatementStatus, error?: string): Promise<StatementRecord> {
    const next: StatementRecord = { ...rec, status, updatedAt: new Date().toISOString(), ...(error === undefined ? {} : { error }) };
    if (error === undefined && 'error' in next) delete (next as { error?: string }).error;
    await this.store.put(rec.id, next);
    return next;
  }

  private start(rec: StatementRecord): void {
    if (this.closed || this.runs.has(rec.id)) return;
    const run: Run = { abort: new AbortController(), sources: [], sinks: [], pipelines: [], stateBytesPeak: 0, done: Promise.resolve(), stop: null };
    this.runs.set(rec.id, run);
    run.done = this.execute(rec, run)
      .catch(async (err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        this.deps.logger?.warn({ statement: rec.id, err: message }, 'statement failed');
        const current = this.store.get(rec.id);
        if (current !== undefined && !this.closed) await this.setStatus(current, 'FAILED', message).catch(() => undefined);
      })
      .finally(async () => {
        // A failed run closes its sinks here (files sinks hold a DuckDB instance).
        for (const sink of run.sinks) await sink.close().catch(() => undefined);
        const current = this.store.get(rec.id);
        if (current !== undefined) this.lastMetrics.set(rec.id, this.info(current).metrics);
        if (this.lastMetrics.size > STATEMENTS_MAX) this.lastMetrics.delete(this.lastMetrics.keys().next().value as string);
        this.runs.delete(rec.id);
      });
  }

  private async execute(rec: StatementRecord, run: Run): Promise<void> {
    const planner = await loadPlanner();
    await this.deps.catalog.refresh();
    const inserts = insertsOf(rec.sql);
    const props = rec.properties;
    const pipelines: Pipeline[] = inserts.map((stmt, i) => {
      const { target, plan } = planner.planInsert(stmt, this.deps.catalog);
      const physical = planner.createPhysicalPlan(plan, { target, ...physicalPlanOptions(props) });
      return planner.buildPipeline(physical, {
        source: (scan) => createTopicSource({ topics: this.deps.topics, registry: this.deps.registry, properties: props, ...(this.deps.fileRoot === undefined ? {} : { fileRoot: this.deps.fileRoot }) }, scan, (s) => run.sources.push(s)),
        sink: ({ table, schema }) => {
          if (table === null) throw new StatementError('an INSERT needs a target table');
          const sink = table.options.connector === 'filesystem'
            ? createFileSystemSink({ ...(this.deps.fileRoot === undefined ? {} : { fileRoot: this.deps.fileRoot }), writerId: `${rec.id}-${i}` }, table, schema)
            : createTopicSink({ topics: this.deps.topics, registry: this.deps.registry }, table, schema, {
              transactionalIdPrefix: transactionalIdPrefix(rec.id, i),
              onWarning: (message) => this.deps.logger?.warn({ statement: rec.id }, message),
            });
          run.sinks.push(sink);
          return sink;
        },
      });
    });
    run.pipelines.push(...pipelines);
    // Pipeline i's checkpoint (null before its first one) and its sink's transaction.
    const stored = this.checkpoints.get(rec.id);
    const latest: (PipelineCheckpoint | null)[] = stored !== undefined && stored.length === pipelines.length ? stored : pipelines.map(() => null);
    // Large keyed state (regular joins) is checkpointed incrementally into state changelog topics.
    for (const p of pipelines) p.enableChangelogs();
    const changelogs = new StatementChangelogs(this.deps.topics, rec.id, this.deps.stateChangelog);
    await changelogs.restore(pipelines, latest);
    await Promise.all(run.sinks.map((sink, i) => sink.restore(latest[i]?.id ?? 0, latest[i]?.transaction ?? null)));
    const current = this.store.get(rec.id) ?? rec;
    if (current.status !== 'RUNNING') await this.setStatus(current, 'RUNNING');
    // Pipelines run in slices of polling rounds; between slices a checkpoint is taken when one
    // is due: every `execution.checkpointing.interval`, but never spending more than about 5% of
    // the time on snapshots (large operator state makes each one expensive).
    const intervalMs = checkpointIntervalMs(props);
    await Promise.all(pipelines.map(async (p, i) => {
      const sink = run.sinks[i];
      let last = Date.now();
      let costMs = 0;
      const checkpoint = async (): Promise<void> => {
        const t0 = Date.now();
        const cp = await p.checkpoint();
        const refs = await changelogs.write(i, p, cp);
        latest[i] = { ...cp, transaction: sink.pendingTransaction(), changelogs: refs };
        // Durable first: a crash after this commits the transaction on restore.
        await this.checkpoints.put(rec.id, latest);
        await changelogs.stored(i);
        await p.commit(cp.id);
        costMs = Date.now() - t0;
        last = Date.now();
      };
      while (!run.abort.signal.aborted && sink?.finished !== true) {
        await p.run({ signal: run.abort.signal, roundsMax: SLICE_ROUNDS, idleWaitMs: 20 });
        run.stateBytesPeak = Math.max(run.stateBytesPeak, operatorState(run.pipelines).stateBytes);
        if (!run.abort.signal.aborted && Date.now() - last >= Math.max(intervalMs, costMs * 20)) await checkpoint();
      }
      // A cancel keeps the last checkpoint; the end of input, a savepoint and shutdown take one.
      if (run.stop !== 'cancel') await checkpoint();
    }));
    // Aborts the transactions a cancel left open.
    for (const sink of run.sinks) await sink.close();
    for (const s of run.sources) await s.close();
    if (run.abort.signal.aborted) {
      const now = this.store.get(rec.id);
      if (run.stop !== null && now !== undefined) {
        await this.setStatus({ ...now, savepointAt: run.stop === 'savepoint' ? new Date().toISOString() : undefined }, 'STOPPED');
      }
      return;
    }
    const now = this.store.get(rec.id);
    if (now !== undefined) await this.setStatus(now, 'COMPLETED');
  }
}

/** State of the stateful operators (`<pipeline>/<operator key>`), and its total in bytes. */
function operatorState(pipelines: readonly Pipeline[]): { operators: StatementMetrics['operators']; stateBytes: number } {
  const operators: Record<string, { stateBytes: number; lateRecordsDropped: number }> = {};
  let stateBytes = 0;
  pipelines.forEach((p, i) => {
    for (const [key, m] of Object.entries(p.metrics())) {
      if (m.stateBytes === 0 && m.lateRecordsDropped === 0) continue;
      operators[`${i}/${key}`] = { stateBytes: m.stateBytes, lateRecordsDropped: m.lateRecordsDropped };
      stateBytes += m.stateBytes;
    }
  });
  return { operators, stateBytes };
}

/** The INSERTs a statement runs: one, or each of a statement set; CTAS is an INSERT into its table. */
export function insertsOf(sql: string): InsertNode[] {
  const stmt = parseStatement(sql);
  switch (stmt.kind) {
    case 'Insert': return [stmt];
    case 'StatementSet': return [...stmt.inserts];
    case 'CreateTable':
      if (stmt.asQuery === undefined) break;
      return [{ kind: 'Insert', pos: stmt.pos, table: stmt.name, overwrite: false, columns: [], query: stmt.asQuery }];
    default: break;
  }
  throw new StatementError(`a ${stmt.kind} is not a statement that runs continuously`);
}

/** The sink's transactional ids are `<this>-0` and `<this>-1`: the statement id and the pipeline. */
export function transactionalIdPrefix(statementId: string, pipeline: number): string {
  return `runnel-${statementId}-${pipeline}`;
}

function defaultName(sql: string, id: string): string {
  const m = /insert\s+into\s+`?([\w$-]+)`?/i.exec(sql) ?? /create\s+table\s+(?:if\s+not\s+exists\s+)?`?([\w$-]+)`?/i.exec(sql);
  const what = m === null ? 'statement-set' : `insert-into-${m[1]}`;
  return `${what}-${id.slice(0, 8)}`.toLowerCase();
}

function topicOfSourceKey(key: string): string {
  const m = /KafkaTopicSource\((.*)\)$/.exec(key);
  return m === null ? key : m[1];
}

function safeIso(ms: number): string | null {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}


