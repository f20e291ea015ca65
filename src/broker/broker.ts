/**
 * The embedded Kafka-compatible broker: one node that is the controller, the leader of every
 * partition and the group coordinator. Its state lives in logs under `dataDir`:
 *
 *   <dataDir>/meta/            the metadata log (topics, cluster id, producer-id blocks)
 *   <dataDir>/topics/<t>-<p>/  one partition log per topic partition, `__consumer_offsets` included
 *   <dataDir>/txn/             the transaction log (transactional id → producer, epoch, state)
 *
 * @example
 *   const broker = await Broker.start({ dataDir: './data', host: '127.0.0.1', port: 9092 });
 *   // ... any Kafka client can now use 127.0.0.1:9092
 *   await broker.stop();
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { totalmem } from 'node:os';
import pino, { type Logger } from 'pino';
import { Connection } from './connection.ts';
import { Dispatcher } from './dispatcher.ts';
import { BrokerStats } from './stats.ts';
import { InternalLog } from './internal-log.ts';
import { PartitionLog, parseTopicConfigs } from './log/index.ts';
import { LogPageCache, pageCacheDropAvailable } from './log/page-cache.ts';
import { ProducerIdManager } from './producer-ids.ts';
import { TopicManager } from './topic-manager.ts';
import { registerHandlers } from './handlers/index.ts';
import { encodeApiVersionsFallback } from './apis/cluster/index.ts';
import { GroupCoordinator } from './group/index.ts';
import type { RecordValidator } from './append.ts';
import { TransactionCoordinator, encodeMarker, loadedPartitionTxns, type TopicPartitionRef } from './txn/index.ts';

export interface BrokerOptions {
  dataDir: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /**
   * The address Metadata and FindCoordinator tell clients to connect to, as Kafka's
   * `advertised.listeners`: needed when clients reach the broker through a proxy, a NAT or a
   * container port mapping. Defaults to the listener's host and (bound) port.
   */
  advertisedHost?: string;
  advertisedPort?: number;
  nodeId?: number;
  /** auto.create.topics.enable (default true). */
  autoCreateTopics?: boolean;
  /** num.partitions for auto-created topics (default 1). */
  defaultPartitions?: number;
  /** Broker-level defaults for topic configs, by topic config name (e.g. `retention.ms`). */
  defaultTopicConfigs?: Record<string, string>;
  /** socket.request.max.bytes (default 100 MiB). */
  requestBytesMax?: number;
  /** How often retention and compaction run (log.retention.check.interval.ms, default 5 min). */
  maintenanceIntervalMs?: number;
  /**
   * log.page.cache.max.bytes (Runnel's own): written log data, over all partitions, that the
   * page cache keeps once durable; older written data is dropped from it (log/page-cache.ts).
   * Default an eighth of the machine's memory (or of the process's cgroup limit, if lower); 0
   * leaves it all to the kernel, as Kafka does.
   */
  logPageCacheBytes?: number;
  /**
   * group.initial.rebalance.delay.ms: how long a new group waits for more members. Kafka's code
   * default is 3000, but its shipped server.properties sets 0 for a single-node setup, which is
   * what the embedded broker is; set it with `runnel start -c group.initial.rebalance.delay.ms=3000`.
   */
  groupInitialRebalanceDelayMs?: number;
  logger?: Logger;
  clock?: () => number;
}

export const consumerOffsetsTopic = '__consumer_offsets';

export class Broker {
  readonly nodeId: number;
  readonly dispatcher: Dispatcher;
  /** Checks records of topics with schema validation on (set by the platform once the registry runs). */
  recordValidator: RecordValidator | null = null;
  /** Traffic counters for `/metrics`. */
  readonly stats = new BrokerStats();
  /** The transaction coordinator (set during start, before the listener opens). */
  transactions!: TransactionCoordinator;
  private txnLog: PartitionLog | null = null;
  private readonly connections = new Set<Socket>();
  private maintenanceTimer: NodeJS.Timeout | null = null;
  private maintaining: Promise<void> | null = null;
  private nextConnectionId = 1;
  private stopped = false;

  private constructor(
    readonly options: Required<Omit<BrokerOptions, 'logger' | 'clock' | 'groupInitialRebalanceDelayMs' | 'advertisedHost' | 'advertisedPort'>> &
      Pick<BrokerOptions, 'clock' | 'advertisedHost' | 'advertisedPort'>,
    readonly log: Logger,
    readonly clusterId: string,
    readonly metadataLog: PartitionLog,
    readonly topics: TopicManager,
    readonly producerIds: ProducerIdManager,
    readonly groups: GroupCoordinator,
    private readonly server: Server,
    public host: string,
    public port: number,
  ) {
    this.nodeId = options.nodeId;
    this.dispatcher = new Dispatcher(log, encodeApiVersionsFallback, this.stats);
  }

  static async start(opts: BrokerOptions): Promise<Broker> {
    const log = opts.logger ?? pino({ level: 'warn' });
    const options = {
      dataDir: opts.dataDir,
      host: opts.host,
      port: opts.port,
      advertisedHost: opts.advertisedHost,
      advertisedPort: opts.advertisedPort,
      nodeId: opts.nodeId ?? 0,
      autoCreateTopics: opts.autoCreateTopics ?? true,
      defaultPartitions: opts.defaultPartitions ?? 1,
      defaultTopicConfigs: opts.defaultTopicConfigs ?? {},
      requestBytesMax: opts.requestBytesMax ?? 100 * 1024 * 1024,
      maintenanceIntervalMs: opts.maintenanceIntervalMs ?? 300_000,
      logPageCacheBytes: opts.logPageCacheBytes ?? Math.floor(Math.min(totalmem(), process.constrainedMemory?.() || Infinity) / 8),
      clock: opts.clock,
    };
    const pageCache = new LogPageCache(options.logPageCacheBytes);
    if (options.logPageCacheBytes > 0 && !pageCacheDropAvailable) {
      log.warn('the native addon (build/Release/runnel_native.node) is missing, so log.page.cache.max.bytes has no effect: run npm rebuild');
    }
    await mkdir(options.dataDir, { recursive: true });

    // The metadata log: compacted, never deleted by retention.
    const metaConfig = parseTopicConfigs({ 'cleanup.policy': 'compact', 'segment.bytes': String(16 * 1024 * 1024) });
    const metadataLog = await PartitionLog.open(join(options.dataDir, 'meta'), metaConfig, { clock: opts.clock });
    const metadata = new InternalLog(metadataLog);
    const producerIds = new ProducerIdManager(metadata);
    const topicRecords = new Map<string, { id: string; partitions: number; configs: Record<string, string>; internal: boolean }>();
    let clusterId: string | null = null;
    await metadata.replay((keyBuf, value) => {
      const key = keyBuf.toString('utf8');
      if (TopicManager.replayRecord(topicRecords, key, value)) return;
      if (producerIds.replayRecord(key, value)) return;
      if (key === 'cluster-id' && value) clusterId = value.toString('utf8');
    });
    if (clusterId === null) {
      clusterId = randomBytes(16).toString('base64url').slice(0, 22);
      await metadata.append([{ key: Buffer.from('cluster-id'), value: Buffer.from(clusterId) }]);
    }
    const topics = await TopicManager.open(
      { dataDir: options.dataDir, metadata, defaultConfigs: options.defaultTopicConfigs, logger: log, clock: opts.clock, pageCache },
      topicRecords,
    );
    if (!topics.get(consumerOffsetsTopic)) {
      await topics.create(consumerOffsetsTopic, 1, { 'cleanup.policy': 'compact', 'segment.bytes': String(100 * 1024 * 1024) }, true);
    }
    const offsetsLog = new InternalLog(topics.get(consumerOffsetsTopic)!.partitions[0]);
    const groups = new GroupCoordinator({
      groupInitialRebalanceDelayMs: opts.groupInitialRebalanceDelayMs ?? 0,
      store: {
        append: (records) => offsetsLog.append(records),
        replay: (onRecord) => offsetsLog.replay(onRecord),
      },
      clock: opts.clock,
    });
    await groups.load();

    const server = createServer();
    const broker = new Broker(options, log, clusterId, metadataLog, topics, producerIds, groups, server, options.host, options.port);
    await broker.startTransactions();
    registerHandlers(broker);
    server.on('connection', (socket) => broker.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const addr = server.address();
    if (addr && typeof addr === 'object') broker.port = addr.port;
    broker.maintenanceTimer = setInterval(() => broker.runMaintenance(), options.maintenanceIntervalMs);
    broker.maintenanceTimer.unref();
    log.info({ host: broker.host, port: broker.port, clusterId }, 'broker listening');
    return broker;
  }

  private async startTransactions(): Promise<void> {
    const txnConfig = parseTopicConfigs({ 'cleanup.policy': 'compact', 'segment.bytes': String(16 * 1024 * 1024) });
    this.txnLog = await PartitionLog.open(join(this.options.dataDir, 'txn'), txnConfig, { clock: this.options.clock });
    this.transactions = new TransactionCoordinator({
      store: new InternalLog(this.txnLog),
      allocateProducerId: () => this.producerIds.allocate(),
      partitionExists: (topic, partition) => this.topics.partition(topic, partition) !== undefined,
      writeMarkers: (partitions, producerId, producerEpoch, commit) => this.writeMarkers(partitions, producerId, producerEpoch, commit),
      commitOffsets: async (groupId, offsets) => {
        await this.groups.commitTransactionalOffsets(groupId, offsets);
      },
      now: this.options.clock ?? Date.now,
      onError: (err, transactionalId) => this.log.error({ err, transactionalId }, 'aborting a timed-out transaction failed'),
    });
    await this.transactions.load();
  }

  /** Appends a transaction marker to each partition (deleted ones are skipped) and flushes them. */
  private async writeMarkers(partitions: readonly TopicPartitionRef[], producerId: bigint, producerEpoch: number, commit: boolean): Promise<void> {
    const marker = await encodeMarker(producerId, producerEpoch, commit);
    const logs: PartitionLog[] = [];
    for (const p of partitions) {
      const log = this.topics.partition(p.topic, p.partition);
      if (!log) continue;
      const batch = Buffer.from(marker);
      const { baseOffset } = log.append([batch]);
      loadedPartitionTxns(log)?.observe([batch], baseOffset);
      this.topics.notify(p.topic, p.partition);
      logs.push(log);
    }
    await Promise.all(logs.map((l) => l.flush()));
  }

  /** Saves the transaction state of every partition that has one loaded (see PartitionTxns). */
  private checkpointPartitionTxns(): void {
    for (const topic of this.topics.list()) {
      for (const log of topic.partitions) {
        try {
          loadedPartitionTxns(log)?.checkpoint();
        } catch (err) {
          this.log.warn({ err, topic: topic.name }, 'could not checkpoint transaction state; the next start rescans the log');
        }
      }
    }
  }

  /** Where clients are told to connect (advertised.listeners), for Metadata and FindCoordinator. */
  get advertised(): { host: string; port: number } {
    return { host: this.options.advertisedHost ?? this.host, port: this.options.advertisedPort ?? this.port };
  }

  private accept(socket: Socket): void {
    if (this.stopped) {
      socket.destroy();
      return;
    }
    this.connections.add(socket);
    socket.on('close', () => this.connections.delete(socket));
    new Connection(
      socket,
      { id: this.nextConnectionId++, remoteAddress: `${socket.remoteAddress}:${socket.remotePort}` },
      this.dispatcher.dispatch,
      { requestBytesMax: this.options.requestBytesMax, inflightRequestsMax: 1000 },
      this.log,
    );
  }

  /** Runs retention and compaction now (also runs on a timer). */
  runMaintenance(): Promise<void> {
    if (!this.maintaining) {
      this.maintaining = this.topics.maintain().finally(() => {
        this.maintaining = null;
      });
    }
    return this.maintaining;
  }

  /** Stops accepting, closes connections, flushes and closes every log. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.maintenanceTimer) clearInterval(this.maintenanceTimer);
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      for (const s of this.connections) s.destroy();
    });
    await this.maintaining;
    await this.groups.close();
    await this.transactions.close();
    await this.txnLog?.close();
    this.checkpointPartitionTxns();
    await this.topics.close();
    await this.metadataLog.close();
  }
}
