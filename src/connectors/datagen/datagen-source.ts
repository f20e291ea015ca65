/**
 * `DatagenSource` (also `io.confluent.kafka.connect.datagen.DatagenConnector`): generates
 * Confluent's quickstart records (`quickstart=orders|users|pageviews`) into `kafka.topic`, keyed
 * by `schema.keyfield` (the quickstart's default key field otherwise), one record every random
 * 0..`max.interval` ms, `iterations` records in all (per task; -1 or absent: unbounded).
 * `max.interval=0` generates as fast as the broker takes them, in polls of `datagen.batch.size`.
 * Offsets are `{"iteration": n}` per task, so a restart resumes exactly where it committed.
 */
import type { ConnectorConfig, SourceConnector, SourceRecord, SourceTask, SourceTaskContext } from '../api.ts';
import { ConfigDef, atLeast, oneOf, parseOrThrow } from '../config-def.ts';
import { Schemas, fieldOf, type ConnectSchema } from '../data.ts';
import { ConnectError } from '../errors.ts';
import { NexmarkStream } from './nexmark-stream.ts';
import { quickstarts, seededRandom, type Quickstart } from './quickstarts.ts';

export const datagenConfigDef = new ConfigDef()
  .define({ name: 'kafka.topic', type: 'string', importance: 'high', doc: 'Topic to write to.' })
  .define({ name: 'quickstart', type: 'string', default: 'orders', importance: 'high', doc: 'Which quickstart: orders, users, pageviews, or nexmark (persons, auctions and bids into <kafka.topic>person|auction|bid).', validator: oneOf(...Object.keys(quickstarts), 'nexmark') })
  .define({ name: 'max.interval', type: 'long', default: 500, importance: 'medium', doc: 'Maximum milliseconds between records (each wait is random below it).', validator: atLeast(0) })
  .define({ name: 'iterations', type: 'long', default: -1, importance: 'medium', doc: 'Records to generate per task; -1 for no limit.' })
  .define({ name: 'schema.keyfield', type: 'string', default: '', importance: 'low', doc: 'Field of the value used as the key (default: the quickstart key field).' })
  .define({ name: 'random.seed', type: 'long', default: 1, importance: 'low', doc: 'Seed; the same seed generates the same records.' })
  .define({ name: 'datagen.batch.size', type: 'int', default: 1000, importance: 'low', doc: 'Records per poll when max.interval=0.', validator: atLeast(1) });

export class DatagenConnector implements SourceConnector {
  readonly type = 'source' as const;
  private config: ConnectorConfig = {};
  async start(config: ConnectorConfig): Promise<void> {
    parseOrThrow(datagenConfigDef, config, 'DatagenConnector');
    this.config = config;
  }
  async taskConfigs(maxTasks: number): Promise<ConnectorConfig[]> {
    return Array.from({ length: maxTasks }, (_, i) => ({ ...this.config, 'task.id': String(i) }));
  }
  createTask(): SourceTask {
    return new DatagenTask();
  }
  async stop(): Promise<void> {}
}

/** Longest a poll waits before returning, so pause/stop stay prompt. */
const pollWaitMsMax = 1000;

class DatagenTask implements SourceTask {
  private quickstart!: Quickstart;
  private topic = '';
  private keyField = '';
  private keySchema: ConnectSchema = Schemas.string();
  private maxIntervalMs = 500;
  private iterations = -1;
  private seed = 1;
  private batch = 1000;
  private next = 0;
  private taskId = 0;
  private stopped = false;
  private random: () => number = Math.random;
  private nexmark: NexmarkStream | null = null;

  async start(ctx: SourceTaskContext): Promise<void> {
    const v = parseOrThrow(datagenConfigDef, ctx.config, 'DatagenConnector');
    if (v.getString('quickstart') === 'nexmark') {
      this.taskId = ctx.taskId;
      this.maxIntervalMs = v.getInt('max.interval');
      this.batch = v.getInt('datagen.batch.size');
      this.nexmark = new NexmarkStream(v.getString('kafka.topic'), v.getInt('random.seed') + ctx.taskId, v.getInt('iterations'), { task: ctx.taskId, nexmark: v.getString('kafka.topic') });
      const offset = ctx.offsets.offset({ task: ctx.taskId, nexmark: v.getString('kafka.topic') });
      if (typeof offset?.event === 'number') this.nexmark.skipTo(offset.event, this.batch);
      return;
    }
    this.quickstart = quickstarts[v.getString('quickstart')];
    this.topic = v.getString('kafka.topic');
    this.keyField = v.getString('schema.keyfield') || this.quickstart.keyField;
    const kf = fieldOf(this.quickstart.schema, this.keyField);
    if (kf === undefined) throw new ConnectError('config', `schema.keyfield '${this.keyField}' is not a field of quickstart ${this.quickstart.name}`);
    this.keySchema = kf.schema;
    this.maxIntervalMs = v.getInt('max.interval');
    this.iterations = v.getInt('iterations');
    this.seed = v.getInt('random.seed');
    this.batch = v.getInt('datagen.batch.size');
    this.taskId = ctx.taskId;
    this.random = seededRandom(this.seed * 7919 + this.taskId);
    const offset = ctx.offsets.offset(this.partition());
    this.next = typeof offset?.iteration === 'number' ? offset.iteration + 1 : 0;
  }

  private partition() {
    return { task: this.taskId, topic: this.topic };
  }

  async poll(): Promise<SourceRecord[] | null> {
    if (this.stopped) return null;
    if (this.nexmark !== null) {
      if (this.maxIntervalMs > 0) await new Promise((r) => setTimeout(r, Math.min(pollWaitMsMax, Math.floor(this.random() * this.maxIntervalMs))));
      const records = this.nexmark.next(this.maxIntervalMs > 0 ? 1 : this.batch);
      if (records === null) await new Promise((r) => setTimeout(r, 200));
      return records;
    }
    if (this.iterations >= 0 && this.next >= this.iterations) {
      await new Promise((r) => setTimeout(r, 200));
      return null;
    }
    let n = this.batch;
    if (this.maxIntervalMs > 0) {
      await new Promise((r) => setTimeout(r, Math.min(pollWaitMsMax, Math.floor(this.random() * this.maxIntervalMs))));
      n = 1;
    }
    if (this.iterations >= 0) n = Math.min(n, this.iterations - this.next);
    const out: SourceRecord[] = new Array(n);
    for (let k = 0; k < n; k++) out[k] = this.record(this.next++);
    return out;
  }

  private record(i: number): SourceRecord {
    // Each iteration draws from its own stream so values do not depend on where a task restarted.
    const value = this.quickstart.row(i, seededRandom((this.seed * 1_000_003 + this.taskId * 7_777_777 + i) >>> 0));
    return {
      topic: this.topic,
      keySchema: this.keySchema,
      key: value[this.keyField],
      valueSchema: this.quickstart.schema,
      value,
      sourcePartition: this.partition(),
      sourceOffset: { iteration: i },
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
  }
}
