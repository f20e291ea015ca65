/**
 * Runs one source task: poll → transforms → converters → produce (acks=all) → offsets written to
 * `_connect-offsets` → `commitRecord`/`commit` on the task. Offsets are written only after the
 * records they cover are durable, so a restart may repeat records the task emitted after its last
 * commit (at least once) but never skips any.
 */
import type { ProduceRecord } from '../../client/topic-client.ts';
import type { OffsetStorageReader, RecordMetadata, SourceConnector, SourcePartition, SourceRecord, SourceTask, SourceTaskContext } from '../api.ts';
import { offsetKey, type CompactedStore } from './stores.ts';
import { TaskRunner, type TaskPipeline } from './task-runner.ts';
import { produceChunked, sleep, type TaskDeps } from './task-support.ts';

/** Pause between polls that returned nothing, so a task that does not wait does not spin. */
const idlePollMs = 20;
/** Records produced per poll result, at most. */
const pollRecordsMax = 100_000;

export class SourceTaskRunner extends TaskRunner {
  private task: SourceTask | null = null;
  private readonly createdTopics = new Set<string>();
  /** Records produced, for tests and metrics. */
  produced = 0;

  constructor(
    deps: TaskDeps,
    private readonly connector: SourceConnector,
    private readonly offsets: CompactedStore,
  ) {
    super(deps);
  }

  protected async stopTask(): Promise<void> {
    await this.task?.stop();
  }

  private offsetReader(): OffsetStorageReader {
    const name = this.deps.connectorName;
    const read = (p: SourcePartition) => (this.offsets.get(offsetKey(name, p)) as Record<string, unknown> | undefined) ?? null;
    return { offset: read, offsets: (ps) => new Map(ps.map((p) => [p, read(p)])) };
  }

  protected async runTask({ keyConverter, valueConverter, transforms, errors }: TaskPipeline): Promise<void> {
    const { deps } = this;
    const config = deps.config;
    const partitions = Number(config['topic.creation.default.partitions'] ?? '-1');
    this.task = this.connector.createTask();
    const ctx: SourceTaskContext = {
      connectorName: deps.connectorName,
      taskId: deps.taskId,
      logger: deps.logger,
      config,
      offsets: this.offsetReader(),
      requestCommit: () => undefined,
    };
    await this.task.start(ctx);
    this.started();
    while (!this.stopping) {
      if (await this.sleepIfPaused()) continue;
      const polled = await this.task.poll();
      if (this.stopping) break;
      if (polled === null || polled.length === 0) {
        await sleep(idlePollMs, this.signal);
        continue;
      }
      if (polled.length > pollRecordsMax) throw new Error(`poll returned ${polled.length} records, more than ${pollRecordsMax}`);
      const byTopic = new Map<string, { records: ProduceRecord[]; sources: SourceRecord[] }>();
      const latest = new Map<string, [SourcePartition, Readonly<Record<string, unknown>>]>();
      for (const record of polled) {
        latest.set(offsetKey(deps.connectorName, record.sourcePartition), [record.sourcePartition, record.sourceOffset]);
        let out: SourceRecord | null;
        try {
          out = transforms.apply(record);
        } catch (err) {
          await errors.handle('TRANSFORMATION', 'Transformation', err, null);
          continue;
        }
        if (out === null) continue;
        let key: Buffer | null;
        let value: Buffer | null;
        try {
          key = await keyConverter.fromConnectData(out.topic, out.keySchema, out.key);
        } catch (err) {
          await errors.handle('KEY_CONVERTER', config['key.converter'] ?? 'JsonConverter', err, null);
          continue;
        }
        try {
          value = await valueConverter.fromConnectData(out.topic, out.valueSchema, out.value);
        } catch (err) {
          await errors.handle('VALUE_CONVERTER', config['value.converter'] ?? 'JsonConverter', err, null);
          continue;
        }
        let group = byTopic.get(out.topic);
        if (group === undefined) byTopic.set(out.topic, (group = { records: [], sources: [] }));
        group.records.push({
          key,
          value,
          headers: (out.headers ?? []).map((h) => ({ key: h.key, value: h.value === null ? null : Buffer.isBuffer(h.value) ? h.value : Buffer.from(h.value) })),
          timestamp: out.timestamp === undefined ? undefined : BigInt(Math.trunc(out.timestamp)),
          partition: out.kafkaPartition,
        });
        group.sources.push(record);
      }
      const landed: [SourceRecord, RecordMetadata][] = [];
      for (const [topic, group] of byTopic) {
        if (!this.createdTopics.has(topic)) {
          await deps.topics.createTopic(topic, { ifNotExists: true, ...(partitions > 0 ? { partitions } : {}) });
          this.createdTopics.add(topic);
        }
        const results = await produceChunked(deps.topics, topic, group.records);
        results.forEach((r, i) => landed.push([group.sources[i], { topic, partition: r.partition, offset: r.offset }]));
        this.produced += results.length;
      }
      // Every record of this poll is durable: now its offsets may be committed.
      await this.offsets.put([...latest].map(([k, [, offset]]) => [k, offset] as const));
      if (this.task.commitRecord) for (const [r, m] of landed) await this.task.commitRecord(r, m);
      await this.task.commit?.();
    }
  }
}
