/**
 * Runs one sink task: fetches its share of the partitions of `topics`/`topics.regex` through the
 * TopicClient from its committed positions, converts and transforms each record (failures go
 * through `errors.tolerance` and the dead letter queue), calls `put`, and every
 * `offset.flush.interval.ms` asks `preCommit` which offsets to commit to `_connect-offsets`.
 *
 * Assignment: the sorted list of (topic, partition) pairs is dealt round-robin over `tasks.max`
 * tasks. As a Kafka consumer's subscription does, the task never creates a topic: one that does
 * not exist yet (a source that has not written, `topics.regex` matching nothing) is picked up,
 * with any added partitions, when the list is refreshed every `topicsRefreshMs`.
 */
import { ErrorCode, KafkaProtocolError } from '../../broker/protocol/error-codes.ts';
import type { KafkaRecord } from '../../client/topic-client.ts';
import { tpKey, type SinkConnector, type SinkRecord, type SinkTask, type SinkTaskContext, type TopicPartition } from '../api.ts';
import type { TransformChain } from '../transforms/index.ts';
import type { Converter } from '../api.ts';
import type { SchemaAndValue } from '../data.ts';
import type { ConsumedRecord, ErrorHandler } from './error-handler.ts';
import { offsetKey, type CompactedStore } from './stores.ts';
import { TaskRunner, type TaskPipeline } from './task-runner.ts';
import { sleep, type TaskDeps } from './task-support.ts';

/**
 * Bytes fetched per partition per round. Kept near one put's worth (5,000 small records): the
 * records of a larger fetch outlived young-generation collections while later puts took them
 * and were copied into the old one (1 MiB: 150-340 ms of GC pauses per 500k records in
 * bench:connect, 256 KiB: 65-100 ms).
 */
const fetchBytesMax = 256 * 1024;
/** Records handed to one `put` at most (Kafka's max.poll.records, raised: puts are cheap here). */
const putRecordsDefault = 5_000;
/** How often the subscription looks for new topics and partitions. */
const topicsRefreshMs = 2_000;
/** Wait between rounds that found nothing. */
const idleMs = 25;

export class SinkTaskRunner extends TaskRunner {
  private task: SinkTask | null = null;
  private assignment: TopicPartition[] = [];
  private readonly positions = new Map<string, bigint>();
  private readonly committed = new Map<string, bigint>();
  private readonly pausedPartitions = new Set<string>();
  /** Records fetched but not yet handed to `put` (a round takes at most `putMax`) from `next` on, by tpKey. */
  private readonly fetched = new Map<string, { records: KafkaRecord[]; next: number }>();
  private commitRequested = false;
  /** Records delivered to `put` or `putWire`, for tests and metrics. */
  delivered = 0;
  /** Of those, records the task took from their wire bytes (`putWire`). */
  wireDelivered = 0;

  constructor(
    deps: TaskDeps,
    private readonly connector: SinkConnector,
    private readonly offsets: CompactedStore,
    private readonly tasksMax: number,
  ) {
    super(deps);
  }

  protected async stopTask(): Promise<void> {
    await this.task?.stop();
  }

  private async computeAssignment(): Promise<TopicPartition[]> {
    const config = this.deps.config;
    const regex = (config['topics.regex'] ?? '').trim();
    let topics: string[];
    if (regex !== '') {
      const re = new RegExp(`^(?:${regex})$`);
      const dlq = (config['errors.deadletterqueue.topic.name'] ?? '').trim();
      topics = (await this.deps.topics.listTopics()).filter((t) => re.test(t) && t !== dlq && !t.startsWith('_connect-'));
    } else topics = (config.topics ?? '').split(',').map((t) => t.trim()).filter(Boolean);
    const all: TopicPartition[] = [];
    for (const topic of [...new Set(topics)].sort()) {
      const n = (await this.deps.topics.partitionCount(topic)) ?? 0;
      for (let p = 0; p < n; p++) all.push({ topic, partition: p });
    }
    return all.filter((_, i) => i % this.tasksMax === this.deps.taskId);
  }

  private async assign(task: SinkTask, next: TopicPartition[]): Promise<void> {
    const fresh = next.filter((tp) => !this.positions.has(tpKey(tp)));
    if (fresh.length === 0) return;
    for (const tp of fresh) {
      const stored = this.offsets.get(offsetKey(this.deps.connectorName, { kafka_topic: tp.topic, kafka_partition: tp.partition })) as { kafka_offset?: number } | undefined;
      const start = stored?.kafka_offset !== undefined ? BigInt(stored.kafka_offset) : (await this.deps.topics.offsets(tp.topic, tp.partition)).start;
      this.positions.set(tpKey(tp), start);
      this.committed.set(tpKey(tp), start);
    }
    this.assignment = [...this.assignment, ...fresh];
    await task.open?.(fresh);
  }

  protected async runTask({ keyConverter, valueConverter, transforms, errors }: TaskPipeline): Promise<void> {
    const { deps } = this;
    const config = deps.config;
    const putMax = Number(config['consumer.override.max.poll.records'] ?? putRecordsDefault);
    const task = (this.task = this.connector.createTask());
    // Records go straight from their bytes to the task when nothing needs the SinkRecord:
    // no transform, and no tolerated error (DLQ/skip need the converted record's context).
    const wireSchemas = valueConverter.wireSchemas;
    const wire = task.putWire !== undefined && wireSchemas !== undefined && (config.transforms ?? '').trim() === '' && (config['errors.tolerance'] ?? 'none') !== 'all';
    const ctx: SinkTaskContext = {
      connectorName: deps.connectorName,
      taskId: deps.taskId,
      logger: deps.logger,
      config,
      assignment: () => this.assignment,
      seek: (tp, offset) => this.positions.set(tpKey(tp), offset),
      pause: (...tps) => tps.forEach((tp) => this.pausedPartitions.add(tpKey(tp))),
      resume: (...tps) => tps.forEach((tp) => this.pausedPartitions.delete(tpKey(tp))),
      requestCommit: () => (this.commitRequested = true),
      reportError: (record, error) => errors.report(record, error),
    };
    await task.start(ctx);
    await this.assign(task, await this.computeAssignment());
    this.started();
    let lastRefresh = Date.now();
    let lastCommit = Date.now();
    let delivered = false;
    while (!this.stopping) {
      if (await this.sleepIfPaused()) continue;
      if (Date.now() - lastRefresh >= topicsRefreshMs) {
        await this.assign(task, await this.computeAssignment());
        lastRefresh = Date.now();
      }
      const batch: SinkRecord[] = [];
      let wired = 0;
      for (const tp of this.assignment) {
        const key = tpKey(tp);
        if (this.pausedPartitions.has(key) || batch.length + wired >= putMax) continue;
        const left = this.fetched.get(key);
        let records: KafkaRecord[];
        let used = 0;
        let pos = this.positions.get(key) as bigint;
        // A seek since the fetch (context.seek) invalidates what was fetched.
        if (left !== undefined && left.records[left.next].offset === pos) {
          records = left.records;
          used = left.next;
        } else records = await this.fetch(tp);
        for (let i = used; i < records.length; i++) {
          const r = records[i];
          if (batch.length + wired >= putMax) break;
          used++;
          if (r.offset < pos) continue;
          pos = r.offset + 1n;
          // Only while nothing waits in `batch`, so records reach the task in order; the key must convert as on the general path.
          if (wire && batch.length === 0 && r.value !== null && keyConverts(keyConverter, tp.topic, r.key) && task.putWire!(tp.topic, tp.partition, r.offset, r.value, wireSchemas!)) {
            wired++;
            continue;
          }
          // The synchronous path (converters with cached schemas, no error) avoids a promise per record.
          let sinkRecord = this.toSinkRecordSync(tp, r, keyConverter, valueConverter, transforms);
          const fetchedSchema = sinkRecord === undefined;
          if (sinkRecord === undefined) sinkRecord = await this.toSinkRecord(tp, r, keyConverter, valueConverter, transforms, errors);
          if (sinkRecord !== null) batch.push(sinkRecord);
          // A record that needed the slow path (its schema fetched, most often) is delivered at
          // once, so the records after it can take the wire path again in this round.
          if (wire && fetchedSchema && batch.length > 0) {
            const slow = batch.splice(0);
            await task.put(slow);
            this.delivered += slow.length;
            delivered = true;
          }
        }
        if (used < records.length) this.fetched.set(key, { records, next: used });
        else this.fetched.delete(key);
        this.positions.set(key, pos);
      }
      if (batch.length + wired > 0) {
        await task.put(batch);
        this.delivered += batch.length + wired;
        this.wireDelivered += wired;
        delivered = true;
      }
      // Commit on the interval, on request, and as soon as the input runs dry (low latency at the tail).
      const caughtUp = batch.length + wired === 0 && delivered;
      if (this.commitRequested || caughtUp || Date.now() - lastCommit >= deps.offsetFlushIntervalMs) {
        delivered = false;
        await this.commit(task);
        lastCommit = Date.now();
        this.commitRequested = false;
      }
      if (batch.length + wired === 0) await sleep(idleMs, this.signal);
    }
    await this.commit(task);
    await task.close?.(this.assignment);
  }

  private async fetch(tp: TopicPartition): Promise<KafkaRecord[]> {
    const key = tpKey(tp);
    const pos = this.positions.get(key) as bigint;
    try {
      return (await this.deps.topics.fetch(tp.topic, tp.partition, pos, { maxBytes: fetchBytesMax })).records;
    } catch (err) {
      if (err instanceof KafkaProtocolError && err.code === ErrorCode.OFFSET_OUT_OF_RANGE) {
        // auto.offset.reset=earliest, Connect's default for sinks.
        const { start, end } = await this.deps.topics.offsets(tp.topic, tp.partition);
        this.positions.set(key, pos < start ? start : end);
        return [];
      }
      throw err;
    }
  }

  /** The record converted and transformed without awaiting; undefined when that needs I/O or fails (the async path then decides). */
  private toSinkRecordSync(tp: TopicPartition, r: KafkaRecord, keyConverter: Converter, valueConverter: Converter, transforms: TransformChain): SinkRecord | null | undefined {
    if (keyConverter.toConnectDataSync === undefined || valueConverter.toConnectDataSync === undefined) return undefined;
    try {
      const key = keyConverter.toConnectDataSync(tp.topic, r.key);
      if (key === undefined) return undefined;
      const value = valueConverter.toConnectDataSync(tp.topic, r.value);
      if (value === undefined) return undefined;
      return transforms.apply(sinkRecordOf(tp, r, key, value));
    } catch {
      return undefined;
    }
  }

  private async toSinkRecord(tp: TopicPartition, r: KafkaRecord, keyConverter: Converter, valueConverter: Converter, transforms: TransformChain, errors: ErrorHandler): Promise<SinkRecord | null> {
    const consumed: ConsumedRecord = { topic: tp.topic, partition: tp.partition, offset: r.offset, key: r.key, value: r.value, headers: r.headers };
    let key: SchemaAndValue;
    let value: SchemaAndValue;
    try {
      key = keyConverter.toConnectDataSync?.(tp.topic, r.key) ?? (await keyConverter.toConnectData(tp.topic, r.key));
    } catch (err) {
      await errors.handle('KEY_CONVERTER', this.deps.config['key.converter'] ?? 'org.apache.kafka.connect.json.JsonConverter', err, consumed);
      return null;
    }
    try {
      value = valueConverter.toConnectDataSync?.(tp.topic, r.value) ?? (await valueConverter.toConnectData(tp.topic, r.value));
    } catch (err) {
      await errors.handle('VALUE_CONVERTER', this.deps.config['value.converter'] ?? 'org.apache.kafka.connect.json.JsonConverter', err, consumed);
      return null;
    }
    try {
      return transforms.apply(sinkRecordOf(tp, r, key, value));
    } catch (err) {
      await errors.handle('TRANSFORMATION', 'Transformation', err, consumed);
      return null;
    }
  }

  private async commit(task: SinkTask): Promise<void> {
    const current = new Map(this.positions);
    let safe: ReadonlyMap<string, bigint>;
    if (task.preCommit) safe = await task.preCommit(current);
    else {
      await task.flush?.(current);
      safe = current;
    }
    const updates: [string, unknown][] = [];
    for (const tp of this.assignment) {
      const key = tpKey(tp);
      const offset = safe.get(key);
      if (offset === undefined || offset === this.committed.get(key)) continue;
      this.committed.set(key, offset);
      updates.push([offsetKey(this.deps.connectorName, { kafka_topic: tp.topic, kafka_partition: tp.partition }), { kafka_offset: Number(offset) }]);
    }
    if (updates.length > 0) await this.offsets.put(updates);
  }
}

/** Whether the key converts synchronously without error (else the general path reports it). */
function keyConverts(converter: Converter, topic: string, key: Buffer | null): boolean {
  try {
    return converter.toConnectDataSync?.(topic, key) !== undefined;
  } catch {
    return false;
  }
}

/** The sink record for a converted Kafka record. */
function sinkRecordOf(tp: TopicPartition, r: KafkaRecord, key: SchemaAndValue, value: SchemaAndValue): SinkRecord {
  return {
    topic: tp.topic,
    kafkaPartition: tp.partition,
    kafkaOffset: r.offset,
    keySchema: key.schema,
    key: key.value,
    valueSchema: value.schema,
    value: value.value,
    timestamp: Number(r.timestamp),
    timestampType: 'CreateTime',
    headers: r.headers,
    original: { key: r.key, value: r.value, headers: r.headers },
  };
}
