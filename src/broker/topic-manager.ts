/**
 * Topics and their partition logs. Topic definitions (id, partition count, config overrides)
 * are records in the broker's metadata log and are rebuilt from it at start; each partition is
 * a {@link PartitionLog} in `<dataDir>/topics/<topic>-<partition>`.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { PartitionLog, parseTopicConfigs, type LogConfig } from './log/index.ts';
import { removeDirGradually } from './log/files.ts';
import type { LogPageCache } from './log/page-cache.ts';
import { ErrorCode, KafkaProtocolError } from './protocol/error-codes.ts';
import type { InternalLog } from './internal-log.ts';

export interface Topic {
  readonly name: string;
  /** 16-byte topic id (Metadata v10+, shown by tools). */
  readonly id: Buffer;
  readonly internal: boolean;
  /** Config overrides as the user set them, by Kafka's names. */
  configs: Record<string, string>;
  logConfig: LogConfig;
  partitions: PartitionLog[];
}

interface TopicRecord {
  id: string;
  partitions: number;
  configs: Record<string, string>;
  internal: boolean;
}

export const topicNameLengthMax = 249;
export const partitionsMax = 10_000;
const legalTopicName = /^[a-zA-Z0-9._-]+$/;

/** Kafka's topic-name rules, with a message that says what to fix. */
export function validateTopicName(name: string): string | null {
  if (name.length === 0) return 'topic name is empty';
  if (name === '.' || name === '..') return `topic name cannot be '${name}'`;
  if (name.length > topicNameLengthMax) return `topic name is longer than ${topicNameLengthMax} characters`;
  if (!legalTopicName.test(name)) return `topic name '${name}' may contain only ASCII letters, digits, '.', '_' and '-'`;
  return null;
}

type AppendListener = () => void;

export interface TopicManagerOptions {
  dataDir: string;
  metadata: InternalLog;
  /** Broker-level defaults for topic configs (e.g. from `log.retention.ms`). */
  defaultConfigs: Record<string, string>;
  logger: Logger;
  clock?: () => number;
  /** The broker's bound on written log data kept in the page cache. */
  pageCache?: LogPageCache;
}

export class TopicManager {
  private readonly topics = new Map<string, Topic>();
  private readonly listeners = new Map<string, Set<AppendListener>>();
  private readonly creating = new Map<string, Promise<Topic>>();
  private readonly topicsDir: string;

  private constructor(private readonly opts: TopicManagerOptions) {
    this.topicsDir = join(opts.dataDir, 'topics');
  }

  /** The bound on written log data in the page cache that the partitions share, if any. */
  get pageCache(): LogPageCache | undefined {
    return this.opts.pageCache;
  }

  /** Opens every topic recorded in the metadata log, recovering their partitions. */
  static async open(opts: TopicManagerOptions, records: Map<string, TopicRecord>): Promise<TopicManager> {
    const m = new TopicManager(opts);
    await mkdir(m.topicsDir, { recursive: true });
    const expected = new Set<string>();
    for (const [name, rec] of records) {
      const logConfig = parseTopicConfigs(rec.configs, opts.defaultConfigs);
      const partitions: PartitionLog[] = [];
      for (let p = 0; p < rec.partitions; p++) {
        expected.add(`${name}-${p}`);
        partitions.push(await PartitionLog.open(join(m.topicsDir, `${name}-${p}`), logConfig, { clock: opts.clock, pageCache: opts.pageCache }));
      }
      m.topics.set(name, { name, id: uuidBytes(rec.id), internal: rec.internal, configs: rec.configs, logConfig, partitions });
    }
    // Directories of topics deleted before a crash finished removing them.
    for (const entry of await readdir(m.topicsDir)) {
      if (!expected.has(entry)) await rm(join(m.topicsDir, entry), { recursive: true, force: true });
    }
    return m;
  }

  /** Parses the metadata log's topic records (key `topic/<name>`). */
  static replayRecord(records: Map<string, TopicRecord>, key: string, value: Buffer | null): boolean {
    if (!key.startsWith('topic/')) return false;
    const name = key.slice('topic/'.length);
    if (value === null) records.delete(name);
    else records.set(name, JSON.parse(value.toString('utf8')) as TopicRecord);
    return true;
  }

  get(name: string): Topic | undefined {
    return this.topics.get(name);
  }

  list(): Topic[] {
    return [...this.topics.values()];
  }

  partition(topic: string, partition: number): PartitionLog | undefined {
    return this.topics.get(topic)?.partitions[partition];
  }

  /**
   * Creates a topic. Concurrent creates of the same name share one creation; creating an
   * existing topic fails with TOPIC_ALREADY_EXISTS.
   */
  async create(name: string, partitions: number, configs: Record<string, string> = {}, internal = false): Promise<Topic> {
    const nameError = validateTopicName(name);
    if (nameError) throw new KafkaProtocolError(ErrorCode.INVALID_TOPIC_EXCEPTION, nameError);
    if (this.topics.has(name) || this.creating.has(name)) {
      throw new KafkaProtocolError(ErrorCode.TOPIC_ALREADY_EXISTS, `topic '${name}' already exists`);
    }
    if (!Number.isInteger(partitions) || partitions < 1 || partitions > partitionsMax) {
      throw new KafkaProtocolError(ErrorCode.INVALID_PARTITIONS, `partition count must be between 1 and ${partitionsMax}, got ${partitions}`);
    }
    const logConfig = parseTopicConfigs(configs, this.opts.defaultConfigs);
    const creation = this.doCreate(name, partitions, configs, logConfig, internal);
    this.creating.set(name, creation);
    try {
      return await creation;
    } finally {
      this.creating.delete(name);
    }
  }

  /** Returns the topic, creating it with defaults if it does not exist (auto-create). */
  async getOrCreate(name: string, partitions: number): Promise<Topic> {
    const existing = this.topics.get(name) ?? (await this.creating.get(name));
    if (existing) return existing;
    try {
      return await this.create(name, partitions);
    } catch (err) {
      const raced = this.topics.get(name);
      if (raced) return raced;
      throw err;
    }
  }

  private async doCreate(name: string, partitions: number, configs: Record<string, string>, logConfig: LogConfig, internal: boolean): Promise<Topic> {
    const id = randomUUID();
    const rec: TopicRecord = { id, partitions, configs, internal };
    await this.opts.metadata.append([{ key: Buffer.from(`topic/${name}`), value: Buffer.from(JSON.stringify(rec)) }]);
    const logs: PartitionLog[] = [];
    for (let p = 0; p < partitions; p++) {
      logs.push(await PartitionLog.open(join(this.topicsDir, `${name}-${p}`), logConfig, { clock: this.opts.clock, pageCache: this.opts.pageCache }));
    }
    const topic: Topic = { name, id: uuidBytes(id), internal, configs, logConfig, partitions: logs };
    this.topics.set(name, topic);
    this.opts.logger.info({ topic: name, partitions }, 'topic created');
    return topic;
  }

  async delete(name: string): Promise<void> {
    const topic = this.topics.get(name);
    if (!topic) throw new KafkaProtocolError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic '${name}' does not exist`);
    if (topic.internal) throw new KafkaProtocolError(ErrorCode.INVALID_REQUEST, `topic '${name}' is internal and cannot be deleted`);
    await this.opts.metadata.append([{ key: Buffer.from(`topic/${name}`), value: null }]);
    this.topics.delete(name);
    for (const [p, log] of topic.partitions.entries()) {
      this.notify(name, p);
      await log.close();
      const dir = join(this.topicsDir, `${name}-${p}`);
      const doomed = join(this.topicsDir, `${name}-${p}.${randomUUID().replace(/-/g, '')}-delete`);
      await rename(dir, doomed);
      // Gone for clients now; its files go a step at a time in the background (freeing many GiB
      // at once stalls every other partition's fdatasync), and a start after a crash removes
      // what is left.
      void removeDirGradually(doomed).catch((err: unknown) => this.opts.logger.warn({ err, dir: doomed }, 'removing a deleted topic directory failed'));
    }
    this.opts.logger.info({ topic: name }, 'topic deleted');
  }

  /** CreatePartitions: grows a topic to `total` partitions. */
  async addPartitions(name: string, total: number): Promise<void> {
    const topic = this.topics.get(name);
    if (!topic) throw new KafkaProtocolError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic '${name}' does not exist`);
    const current = topic.partitions.length;
    if (total <= current) {
      throw new KafkaProtocolError(ErrorCode.INVALID_PARTITIONS, `topic '${name}' has ${current} partitions; the new count must be larger, got ${total}`);
    }
    if (total > partitionsMax) throw new KafkaProtocolError(ErrorCode.INVALID_PARTITIONS, `partition count must be at most ${partitionsMax}`);
    await this.writeRecord(topic, total);
    for (let p = current; p < total; p++) {
      topic.partitions.push(await PartitionLog.open(join(this.topicsDir, `${name}-${p}`), topic.logConfig, { clock: this.opts.clock, pageCache: this.opts.pageCache }));
    }
  }

  /** Replaces a topic's config overrides (AlterConfigs) after validating them all. */
  async setConfigs(name: string, configs: Record<string, string>): Promise<void> {
    const topic = this.topics.get(name);
    if (!topic) throw new KafkaProtocolError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic '${name}' does not exist`);
    const logConfig = parseTopicConfigs(configs, this.opts.defaultConfigs);
    topic.configs = { ...configs };
    topic.logConfig = logConfig;
    await this.writeRecord(topic, topic.partitions.length);
    for (const log of topic.partitions) log.updateConfig(logConfig);
  }

  /** Validates configs for a topic without applying them (validateOnly requests). */
  validateConfigs(configs: Record<string, string>): void {
    parseTopicConfigs(configs, this.opts.defaultConfigs);
  }

  private async writeRecord(topic: Topic, partitions: number): Promise<void> {
    const rec: TopicRecord = { id: uuidString(topic.id), partitions, configs: topic.configs, internal: topic.internal };
    await this.opts.metadata.append([{ key: Buffer.from(`topic/${topic.name}`), value: Buffer.from(JSON.stringify(rec)) }]);
  }

  /** Registers a one-shot listener for appends to a partition (long-poll fetch). */
  onAppend(topic: string, partition: number, listener: AppendListener): () => void {
    const key = `${topic}\u0000${partition}`;
    let set = this.listeners.get(key);
    if (!set) {
      set = new Set();
      this.listeners.set(key, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(key);
    };
  }

  notify(topic: string, partition: number): void {
    const set = this.listeners.get(`${topic}\u0000${partition}`);
    if (!set) return;
    for (const l of [...set]) l();
  }

  /** Retention and compaction over every partition; called periodically by the broker. */
  async maintain(): Promise<void> {
    const now = (this.opts.clock ?? Date.now)();
    for (const topic of [...this.topics.values()]) {
      for (const log of topic.partitions) {
        if (!this.topics.has(topic.name)) break;
        try {
          if (topic.logConfig.cleanupPolicy.includes('delete')) await log.enforceRetention(now);
          if (topic.logConfig.cleanupPolicy.includes('compact')) await log.compact(now);
        } catch (err) {
          this.opts.logger.error({ err, topic: topic.name }, 'log maintenance failed');
        }
      }
    }
  }

  async close(): Promise<void> {
    for (const topic of this.topics.values()) {
      for (const log of topic.partitions) await log.close();
    }
    this.topics.clear();
  }
}

function uuidBytes(id: string): Buffer {
  return Buffer.from(id.replace(/-/g, ''), 'hex');
}

function uuidString(b: Buffer): string {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
