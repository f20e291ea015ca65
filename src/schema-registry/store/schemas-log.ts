/**
 * The registry's durable state: the compacted topic `_schemas` (one partition), written and
 * replayed through a `TopicClient`. Keys and values are JSON in the layout Confluent's registry
 * uses for its own `_schemas` topic (`SchemaKey`, `ConfigKey`, `ModeKey`), so the topic reads the
 * same to tools that know that layout:
 *
 *   {"keytype":"SCHEMA","subject":"s","version":1,"magic":1} → {"subject","version","id","schemaType","references","schema","deleted",...}
 *   {"keytype":"CONFIG","subject":null|"s","magic":0}       → {"compatibilityLevel", ...} | null
 *   {"keytype":"MODE","subject":null|"s","magic":0}         → {"mode"} | null
 *   {"keytype":"NOOP","magic":0}                             → {"maxId"} (keeps ids unique after permanent deletes)
 *
 * A null value is a tombstone (permanent delete, config or mode removed).
 */
import type { TopicClient } from '../../client/topic-client.ts';
import { Errors } from '../errors.ts';

export type LogKey =
  | { keytype: 'SCHEMA'; subject: string; version: number; magic: 1 }
  | { keytype: 'CONFIG'; subject: string | null; magic: 0 }
  | { keytype: 'MODE'; subject: string | null; magic: 0 }
  | { keytype: 'NOOP'; magic: 0 };

export interface LogEntry {
  key: LogKey;
  value: Record<string, unknown> | null;
}

export const schemasTopic = '_schemas';
/** Records fetched per replay request. */
const replayFetchBytesMax = 4 * 1024 * 1024;
/** Replay requests before giving up: bounds a replay that never reaches the end offset. */
const replayFetchesMax = 1_000_000;

export class SchemasLog {
  constructor(
    private readonly topics: TopicClient,
    readonly topic: string = schemasTopic,
  ) {}

  /** Creates the topic when missing and hands every stored entry, in order, to `apply`. */
  async replay(apply: (entry: LogEntry) => void): Promise<number> {
    await this.topics.createTopic(this.topic, {
      partitions: 1,
      configs: { 'cleanup.policy': 'compact' },
      ifNotExists: true,
    });
    const { start, end } = await this.topics.offsets(this.topic, 0);
    let offset = start;
    let applied = 0;
    for (let fetches = 0; offset < end; fetches++) {
      if (fetches >= replayFetchesMax) throw Errors.store(`replay of ${this.topic} did not reach offset ${end}`);
      const result = await this.topics.fetch(this.topic, 0, offset, { maxBytes: replayFetchBytesMax, maxWaitMs: 0 });
      if (result.records.length === 0) {
        if (result.highWatermark <= offset) break;
        offset += 1n; // a gap left by compaction
        continue;
      }
      for (const record of result.records) {
        offset = record.offset + 1n;
        if (record.key === null) continue;
        let key: LogKey;
        let value: Record<string, unknown> | null;
        try {
          key = JSON.parse(record.key.toString('utf8')) as LogKey;
          value = record.value === null ? null : (JSON.parse(record.value.toString('utf8')) as Record<string, unknown>);
        } catch {
          continue; // not ours: Confluent's registry skips records it cannot read, too
        }
        apply({ key, value });
        applied++;
      }
    }
    return applied;
  }

  /** Appends entries durably, in order. */
  async append(entries: readonly LogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    try {
      await this.topics.produce(
        this.topic,
        entries.map((e) => ({
          key: Buffer.from(JSON.stringify(e.key)),
          value: e.value === null ? null : Buffer.from(JSON.stringify(e.value)),
          partition: 0,
        })),
      );
    } catch (err) {
      throw Errors.store(`Error while writing to the ${this.topic} topic: ${err instanceof Error ? err.message : String(err)}`, err);
    }
  }
}
