/**
 * The Connect worker: one per platform, Kafka Connect's distributed mode with a single member.
 * It keeps connector configs, target states, task configs, source/sink offsets and statuses in
 * `_connect-configs`, `_connect-offsets` and `_connect-status` (see `stores.ts`), replays them at
 * start, and brings every connector back in its target state (RUNNING, PAUSED or STOPPED) from
 * its committed offsets.
 *
 * Lifecycle operations on one connector are serialized; operations on different connectors run
 * independently, and a failing connector or task never affects another.
 *
 * Example:
 *   const worker = new Worker({ topics, registry, workerId: '127.0.0.1:8083', logger });
 *   await worker.start();
 *   await worker.createConnector('gen', { 'connector.class': 'DatagenSource', 'kafka.topic': 'orders', quickstart: 'orders' });
 *   worker.status('gen') // { name: 'gen', connector: { state: 'RUNNING', ... }, tasks: [...], type: 'source' }
 */
import type { Logger } from 'pino';
import type { TopicClient } from '../../client/topic-client.ts';
import type { RegistryClient } from '../../schema-registry/index.ts';
import type { Connector, ConnectorConfig, ConnectorContext, ConnectorPlugin } from '../api.ts';
import { ConnectError, messageOf, traceOf } from '../errors.ts';
import { connectorPlugins, findConnectorPlugin } from '../plugins.ts';
import { invalidConfigMessage, validateConnectorConfig } from './connector-config.ts';
import { SinkTaskRunner } from './sink-task-runner.ts';
import { SourceTaskRunner } from './source-task-runner.ts';
import { CompactedStore, offsetKey, parseOffsetKey } from './stores.ts';
import { taskConfig, type TaskStatus } from './task-support.ts';

export type ConnectorState = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'STOPPED' | 'FAILED' | 'RESTARTING';
/** Kafka's target states as stored in `_connect-configs`. */
export type TargetState = 'STARTED' | 'PAUSED' | 'STOPPED';

export interface WorkerOptions {
  topics: TopicClient;
  /** The platform's registry for the Avro/JSON Schema/Protobuf converters (null: converters need schema.registry.url). */
  registry: RegistryClient | null;
  registryUrl?: string;
  /** `host:port` of the REST listener, reported in statuses. */
  workerId: string;
  logger: Logger;
  /** How often sink offsets are committed (Kafka's `offset.flush.interval.ms`). Default 1000. */
  offsetFlushIntervalMs?: number;
  configTopic?: string;
  offsetTopic?: string;
  statusTopic?: string;
}

type TaskRunner = SourceTaskRunner | SinkTaskRunner;

interface ConnectorEntry {
  name: string;
  config: ConnectorConfig;
  plugin: ConnectorPlugin;
  target: TargetState;
  instance: Connector | null;
  state: ConnectorState;
  trace: string | null;
  taskConfigs: ConnectorConfig[];
  tasks: TaskRunner[];
}

export interface ConnectorInfo {
  name: string;
  config: ConnectorConfig;
  tasks: { connector: string; task: number }[];
  type: 'source' | 'sink';
}

export interface TaskStateInfo {
  id: number;
  state: string;
  worker_id: string;
  trace?: string;
}

export interface ConnectorStateInfo {
  name: string;
  connector: { state: string; worker_id: string; trace?: string };
  tasks: TaskStateInfo[];
  type: 'source' | 'sink';
}

export interface OffsetEntry {
  partition: Record<string, unknown>;
  offset: Record<string, unknown> | null;
}

/** Connectors one worker runs at most. */
const connectorsMax = 10_000;
/** Tasks one connector may have at most. */
const tasksPerConnectorMax = 256;

export class Worker {
  private readonly configs: CompactedStore;
  readonly offsets: CompactedStore;
  private readonly statuses: CompactedStore;
  private readonly connectors = new Map<string, ConnectorEntry>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private generation = 0;
  private stopped = false;

  constructor(private readonly options: WorkerOptions) {
    this.workerId = options.workerId;
    this.configs = new CompactedStore(options.topics, options.configTopic ?? '_connect-configs');
    this.offsets = new CompactedStore(options.topics, options.offsetTopic ?? '_connect-offsets');
    this.statuses = new CompactedStore(options.topics, options.statusTopic ?? '_connect-status');
  }

  /** `host:port` of the REST listener; set once the listener is bound. */
  workerId: string;

  /** Replays the three topics and starts every stored connector in its target state. */
  async start(): Promise<void> {
    await Promise.all([this.configs.load(), this.offsets.load(), this.statuses.load()]);
    const names = [...this.configs.entries.keys()].filter((k) => k.startsWith('connector-')).map((k) => k.slice('connector-'.length));
    for (const name of names) {
      const stored = this.configs.get(`connector-${name}`) as { properties?: Record<string, string> } | undefined;
      if (stored?.properties === undefined) continue;
      const target = ((this.configs.get(`target-state-${name}`) as { state?: TargetState } | undefined)?.state ?? 'STARTED') as TargetState;
      const plugin = findConnectorPlugin(stored.properties['connector.class'] ?? '', stored.properties);
      if (plugin === undefined) {
        this.options.logger.error(`connector ${name}: class ${stored.properties['connector.class']} is not installed; left UNASSIGNED`);
        continue;
      }
      const entry = this.newEntry(name, stored.properties, plugin, target);
      this.connectors.set(name, entry);
      await this.withLock(name, () => this.startConnector(entry));
    }
  }

  /** Stops every connector and task (their target states stay as stored). */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.connectors.values()].map((e) => this.withLock(e.name, () => this.stopConnectorRuntime(e))));
  }

  private newEntry(name: string, config: ConnectorConfig, plugin: ConnectorPlugin, target: TargetState): ConnectorEntry {
    return { name, config, plugin, target, instance: null, state: 'UNASSIGNED', trace: null, taskConfigs: [], tasks: [] };
  }

  private withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(name) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    this.locks.set(
      name,
      next.catch(() => undefined),
    );
    return next;
  }

  private entry(name: string): ConnectorEntry {
    const e = this.connectors.get(name);
    if (e === undefined) throw new ConnectError('not-found', `Connector ${name} not found`);
    return e;
  }

  // ---- connector CRUD ----

  list(): string[] {
    return [...this.connectors.keys()].sort();
  }

  has(name: string): boolean {
    return this.connectors.has(name);
  }

  /** Validates and stores a new connector, then starts it. */
  async createConnector(name: string, config: ConnectorConfig, initialState: 'RUNNING' | 'PAUSED' | 'STOPPED' = 'RUNNING'): Promise<ConnectorInfo> {
    return this.withLock(name, async () => {
      if (this.connectors.has(name)) throw new ConnectError('conflict', `Connector ${name} already exists`);
      if (this.connectors.size >= connectorsMax) throw new ConnectError('bad-request', `at most ${connectorsMax} connectors`);
      const full = { ...config, name };
      const plugin = await this.validated(full);
      const target: TargetState = initialState === 'RUNNING' ? 'STARTED' : initialState;
      await this.configs.put([
        [`connector-${name}`, { properties: full }],
        [`target-state-${name}`, { state: target }],
      ]);
      const entry = this.newEntry(name, full, plugin, target);
      this.connectors.set(name, entry);
      await this.startConnector(entry);
      return this.info(name);
    });
  }

  /** Creates or replaces a connector's config; `created` tells which. */
  async putConfig(name: string, config: ConnectorConfig): Promise<{ created: boolean; info: ConnectorInfo }> {
    const existing = this.connectors.get(name);
    if (existing === undefined) return { created: true, info: await this.createConnector(name, config) };
    return this.withLock(name, async () => {
      const full = { ...config, name };
      const plugin = await this.validated(full);
      const entry = this.entry(name);
      await this.stopConnectorRuntime(entry);
      await this.configs.put([[`connector-${name}`, { properties: full }]]);
      entry.config = full;
      entry.plugin = plugin;
      await this.startConnector(entry);
      return { created: false, info: this.info(name) };
    });
  }

  private async validated(config: ConnectorConfig): Promise<ConnectorPlugin> {
    const className = config['connector.class'];
    if (className === undefined || className === '') throw new ConnectError('bad-request', 'Connector config ' + JSON.stringify(config) + ' contains no connector type');
    const plugin = findConnectorPlugin(className, config);
    if (plugin === undefined) throw new ConnectError('bad-request', `Failed to find any class that implements Connector and which name matches ${className}, available connectors are: ${this.pluginNames()}`);
    const infos = await validateConnectorConfig(config, plugin);
    if (infos.error_count > 0) throw new ConnectError('bad-request', invalidConfigMessage(infos));
    return plugin;
  }

  private pluginNames(): string {
    return connectorPlugins().map((p) => p.className).join(', ') || '(none)';
  }

  async deleteConnector(name: string): Promise<void> {
    await this.withLock(name, async () => {
      const entry = this.entry(name);
      await this.stopConnectorRuntime(entry);
      this.connectors.delete(name);
      const deletes: [string, null][] = [
        [`connector-${name}`, null],
        [`target-state-${name}`, null],
        [`commit-${name}`, null],
      ];
      for (let i = 0; i < entry.taskConfigs.length; i++) deletes.push([`task-${name}-${i}`, null]);
      await this.configs.put(deletes);
      const statusDeletes: [string, null][] = [[`status-connector-${name}`, null]];
      for (let i = 0; i < entry.taskConfigs.length; i++) statusDeletes.push([`status-task-${name}-${i}`, null]);
      await this.statuses.put(statusDeletes);
    });
  }

  // ---- target states ----

  async pause(name: string): Promise<void> {
    await this.withLock(name, async () => {
      const entry = this.entry(name);
      await this.setTarget(entry, 'PAUSED');
      if (entry.instance === null) await this.startConnector(entry);
      else {
        for (const t of entry.tasks) if (t.status.state === 'RUNNING') t.pause();
        if (entry.state === 'RUNNING') this.setConnectorState(entry, 'PAUSED', null);
      }
    });
  }

  async resume(name: string): Promise<void> {
    await this.withLock(name, async () => {
      const entry = this.entry(name);
      await this.setTarget(entry, 'STARTED');
      if (entry.instance === null) await this.startConnector(entry);
      else {
        for (const t of entry.tasks) t.resume();
        if (entry.state === 'PAUSED') this.setConnectorState(entry, 'RUNNING', null);
      }
    });
  }

  /** KIP-875's STOPPED: connector and tasks shut down, task configs cleared; offsets may then be edited. */
  async stopConnector(name: string): Promise<void> {
    await this.withLock(name, async () => {
      const entry = this.entry(name);
      await this.setTarget(entry, 'STOPPED');
      await this.stopConnectorRuntime(entry);
      this.setConnectorState(entry, 'STOPPED', null);
    });
  }

  private async setTarget(entry: ConnectorEntry, target: TargetState): Promise<void> {
    entry.target = target;
    await this.configs.put([[`target-state-${entry.name}`, { state: target }]]);
  }

  // ---- restarts ----

  /**
   * Kafka's `POST /connectors/{name}/restart`: restarts the connector (unless `onlyFailed` and it
   * is not FAILED) and, with `includeTasks`, its tasks (all, or only the FAILED ones).
   */
  async restartConnector(name: string, opts: { includeTasks?: boolean; onlyFailed?: boolean } = {}): Promise<ConnectorStateInfo> {
    return this.withLock(name, async () => {
      const entry = this.entry(name);
      const restartConnector = !opts.onlyFailed || entry.state === 'FAILED';
      const taskIds = opts.includeTasks ? entry.tasks.map((t, i) => [t, i] as const).filter(([t]) => !opts.onlyFailed || t.status.state === 'FAILED').map(([, i]) => i) : [];
      if (entry.target === 'STOPPED') return this.status(name);
      if (restartConnector) {
        this.setConnectorState(entry, 'RESTARTING', null);
        const keepTasks = !opts.includeTasks;
        if (keepTasks) {
          await entry.instance?.stop().catch(() => undefined);
          entry.instance = null;
          await this.startConnectorInstance(entry);
        } else {
          await this.stopConnectorRuntime(entry);
          await this.startConnector(entry);
          return this.status(name);
        }
      }
      for (const id of taskIds) await this.restartTaskLocked(entry, id);
      return this.status(name);
    });
  }

  async restartTask(name: string, taskId: number): Promise<void> {
    await this.withLock(name, async () => {
      const entry = this.entry(name);
      if (entry.tasks[taskId] === undefined) throw new ConnectError('not-found', `Task ${name}-${taskId} not found`);
      await this.restartTaskLocked(entry, taskId);
    });
  }

  private async restartTaskLocked(entry: ConnectorEntry, taskId: number): Promise<void> {
    const old = entry.tasks[taskId];
    await old.stop();
    const runner = this.createTaskRunner(entry, taskId);
    entry.tasks[taskId] = runner;
    runner.start(entry.target === 'PAUSED');
  }

  // ---- runtime ----

  private async startConnector(entry: ConnectorEntry): Promise<void> {
    if (this.stopped) return;
    if (entry.target === 'STOPPED') {
      this.setConnectorState(entry, 'STOPPED', null);
      return;
    }
    const ok = await this.startConnectorInstance(entry);
    if (!ok || entry.instance === null) return;
    let taskConfigs: ConnectorConfig[];
    try {
      const maxTasks = Math.min(Number(entry.config['tasks.max'] ?? '1'), tasksPerConnectorMax);
      taskConfigs = (await entry.instance.taskConfigs(maxTasks)).slice(0, maxTasks);
    } catch (err) {
      this.setConnectorState(entry, 'FAILED', traceOf(err));
      return;
    }
    const writes: [string, unknown][] = taskConfigs.map((c, i) => [`task-${entry.name}-${i}`, { properties: c }]);
    for (let i = taskConfigs.length; i < entry.taskConfigs.length; i++) writes.push([`task-${entry.name}-${i}`, null]);
    writes.push([`commit-${entry.name}`, { tasks: taskConfigs.length }]);
    await this.configs.put(writes);
    entry.taskConfigs = taskConfigs;
    entry.tasks = taskConfigs.map((_, i) => this.createTaskRunner(entry, i));
    for (const t of entry.tasks) t.start(entry.target === 'PAUSED');
  }

  /** Starts the connector object; on failure the connector is FAILED with the trace. */
  private async startConnectorInstance(entry: ConnectorEntry): Promise<boolean> {
    const instance = entry.plugin.create();
    const context: ConnectorContext = {
      connectorName: entry.name,
      logger: this.options.logger.child({ connector: entry.name }),
      requestTaskReconfiguration: () => {
        void this.withLock(entry.name, async () => {
          if (entry.instance === null) return;
          await this.stopTasks(entry);
          await this.stopConnectorRuntime(entry);
          await this.startConnector(entry);
        });
      },
      raiseError: (err) => this.setConnectorState(entry, 'FAILED', traceOf(err)),
    };
    try {
      await instance.start(entry.config, context);
    } catch (err) {
      this.options.logger.error({ err }, `connector ${entry.name} failed to start: ${messageOf(err)}`);
      this.setConnectorState(entry, 'FAILED', traceOf(err));
      return false;
    }
    entry.instance = instance;
    this.setConnectorState(entry, entry.target === 'PAUSED' ? 'PAUSED' : 'RUNNING', null);
    return true;
  }

  private createTaskRunner(entry: ConnectorEntry, taskId: number): TaskRunner {
    const instance = entry.instance;
    if (instance === null) throw new ConnectError('internal', `connector ${entry.name} has no instance (this is a bug)`);
    const deps = {
      connectorName: entry.name,
      taskId,
      config: taskConfig(entry.config, entry.taskConfigs[taskId] ?? {}),
      topics: this.options.topics,
      env: { registry: this.options.registry, registryUrl: this.options.registryUrl },
      logger: this.options.logger.child({ connector: entry.name, task: taskId }),
      onStatus: (s: TaskStatus) => this.writeTaskStatus(entry.name, taskId, s),
      offsetFlushIntervalMs: this.options.offsetFlushIntervalMs ?? 1000,
    };
    if (instance.type === 'source') return new SourceTaskRunner(deps, instance, this.offsets);
    return new SinkTaskRunner(deps, instance, this.offsets, Math.max(1, entry.taskConfigs.length));
  }

  private async stopTasks(entry: ConnectorEntry): Promise<void> {
    await Promise.all(entry.tasks.map((t) => t.stop()));
    entry.tasks = [];
  }

  private async stopConnectorRuntime(entry: ConnectorEntry): Promise<void> {
    await this.stopTasks(entry);
    if (entry.instance !== null) {
      await entry.instance.stop().catch((err: unknown) => this.options.logger.warn({ err }, `connector ${entry.name} stop failed`));
      entry.instance = null;
    }
  }

  private setConnectorState(entry: ConnectorEntry, state: ConnectorState, trace: string | null): void {
    entry.state = state;
    entry.trace = trace;
    void this.statuses.put([[`status-connector-${entry.name}`, { state, trace, worker_id: this.workerId, generation: ++this.generation }]]).catch(() => undefined);
  }

  private writeTaskStatus(name: string, taskId: number, s: TaskStatus): void {
    if (!this.connectors.has(name)) return;
    void this.statuses.put([[`status-task-${name}-${taskId}`, { state: s.state, trace: s.trace, worker_id: this.workerId, generation: ++this.generation }]]).catch(() => undefined);
  }

  // ---- reads ----

  info(name: string): ConnectorInfo {
    const e = this.entry(name);
    return { name, config: e.config, tasks: e.tasks.map((_, i) => ({ connector: name, task: i })), type: e.plugin.type };
  }

  config(name: string): ConnectorConfig {
    return this.entry(name).config;
  }

  connectorType(name: string): 'source' | 'sink' {
    return this.entry(name).plugin.type;
  }

  status(name: string): ConnectorStateInfo {
    const e = this.entry(name);
    const connector: ConnectorStateInfo['connector'] = { state: e.state, worker_id: this.workerId };
    if (e.trace !== null) connector.trace = e.trace;
    return { name, connector, tasks: e.tasks.map((t, i) => this.taskStateInfo(t, i)), type: e.plugin.type };
  }

  private taskStateInfo(t: TaskRunner, id: number): TaskStateInfo {
    const out: TaskStateInfo = { id, state: t.status.state, worker_id: this.workerId };
    if (t.status.trace !== null) out.trace = t.status.trace;
    return out;
  }

  taskStatus(name: string, taskId: number): TaskStateInfo {
    const e = this.entry(name);
    const t = e.tasks[taskId];
    if (t === undefined) throw new ConnectError('not-found', `No status found for task ${name}-${taskId}`);
    return this.taskStateInfo(t, taskId);
  }

  tasks(name: string): { id: { connector: string; task: number }; config: ConnectorConfig }[] {
    const e = this.entry(name);
    return e.tasks.map((_, i) => ({ id: { connector: name, task: i }, config: taskConfig(e.config, e.taskConfigs[i] ?? {}) }));
  }

  /** Task runners, for tests and metrics. */
  taskRunners(name: string): readonly TaskRunner[] {
    return this.entry(name).tasks;
  }

  // ---- offsets (KIP-875) ----

  offsetsOf(name: string): OffsetEntry[] {
    this.entry(name);
    const out: OffsetEntry[] = [];
    for (const [k, v] of this.offsets.entries) {
      const parsed = parseOffsetKey(k);
      if (parsed?.connector === name) out.push({ partition: parsed.partition, offset: v as Record<string, unknown> });
    }
    return out;
  }

  private requireStopped(entry: ConnectorEntry): void {
    if (entry.target !== 'STOPPED' || entry.tasks.length > 0) {
      throw new ConnectError(
        'bad-request',
        `Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/${entry.name}/stop' endpoint`,
      );
    }
  }

  /** PATCH: sets the given partitions' offsets (null removes one); others stay. */
  async alterOffsets(name: string, entries: readonly OffsetEntry[]): Promise<string> {
    return this.withLock(name, async () => {
      const e = this.entry(name);
      this.requireStopped(e);
      if (entries.length === 0) throw new ConnectError('bad-request', 'The offsets to be altered may not be null or empty');
      for (const o of entries) {
        if (o.partition === null || typeof o.partition !== 'object') throw new ConnectError('bad-request', 'Partitions may not be null');
        if (e.plugin.type === 'sink') validateSinkOffset(o);
      }
      await this.offsets.put(entries.map((o) => [offsetKey(name, o.partition), o.offset] as const));
      return e.plugin.type === 'sink'
        ? 'The Connect framework-managed offsets for this connector have been altered successfully. However, if this connector manages offsets externally, they will need to be manually altered in the system that the connector uses.'
        : 'The offsets for this connector have been altered successfully';
    });
  }

  /** DELETE: removes every committed offset of the connector. */
  async resetOffsets(name: string): Promise<string> {
    return this.withLock(name, async () => {
      const e = this.entry(name);
      this.requireStopped(e);
      const keys = [...this.offsets.entries.keys()].filter((k) => parseOffsetKey(k)?.connector === name);
      if (keys.length > 0) await this.offsets.put(keys.map((k) => [k, null] as const));
      return e.plugin.type === 'sink'
        ? 'The Connect framework-managed offsets for this connector have been reset successfully. However, if this connector manages offsets externally, they will need to be manually reset in the system that the connector uses.'
        : 'The offsets for this connector have been reset successfully';
    });
  }
}

function validateSinkOffset(o: OffsetEntry): void {
  const p = o.partition;
  if (typeof p.kafka_topic !== 'string') throw new ConnectError('bad-request', 'Kafka topic names must be valid strings and may not be null');
  if (typeof p.kafka_partition !== 'number' || !Number.isInteger(p.kafka_partition)) throw new ConnectError('bad-request', 'Kafka partitions must be valid numbers and may not be null');
  if (o.offset !== null) {
    const off = o.offset.kafka_offset;
    if (typeof off !== 'number' || !Number.isInteger(off)) throw new ConnectError('bad-request', 'Kafka offsets must be valid numbers and may not be null');
    if (off < 0) throw new ConnectError('bad-request', 'Kafka offsets must be non-negative');
  }
}
