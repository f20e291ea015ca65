/**
 * The worker's state in three compacted topics, in Kafka Connect's formats so tools that read
 * them (and a Kafka Connect worker pointed at the same topics) see the same thing:
 *
 * - `_connect-configs`: `connector-<name>` → `{"properties": {...}}`, `target-state-<name>` →
 *   `{"state": "STARTED"|"PAUSED"|"STOPPED"}`, `task-<name>-<n>` → `{"properties": {...}}`,
 *   `commit-<name>` → `{"tasks": n}`; a null value deletes.
 * - `_connect-offsets`: key `["<connector>", {source partition}]`, value the offset map (sinks:
 *   `{"kafka_topic","kafka_partition"}` → `{"kafka_offset"}`); null resets.
 * - `_connect-status`: `status-connector-<name>` / `status-task-<name>-<n>` →
 *   `{"state", "trace", "worker_id", "generation"}`.
 *
 * Each store replays its topic once at start; afterwards the worker is the only writer, so the
 * in-memory map is the truth and every write is produced (acks=all) before it returns.
 */
import type { TopicClient } from '../../client/topic-client.ts';

/** Records read per fetch while replaying. */
const replayFetchBytes = 4 * 1024 * 1024;

export class CompactedStore {
  readonly entries = new Map<string, unknown>();
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly topics: TopicClient,
    readonly topic: string,
  ) {}

  /** Creates the topic if needed and replays it into `entries`. */
  async load(): Promise<void> {
    await this.topics.createTopic(this.topic, { partitions: 1, configs: { 'cleanup.policy': 'compact' }, ifNotExists: true });
    const { end } = await this.topics.offsets(this.topic, 0);
    let offset = (await this.topics.offsets(this.topic, 0)).start;
    while (offset < end) {
      const { records } = await this.topics.fetch(this.topic, 0, offset, { maxBytes: replayFetchBytes });
      if (records.length === 0) break;
      for (const r of records) {
        if (r.key === null) continue;
        const key = r.key.toString('utf8');
        if (r.value === null) this.entries.delete(key);
        else {
          try {
            this.entries.set(key, JSON.parse(r.value.toString('utf8')));
          } catch {
            // A record another tool wrote that is not JSON: not ours, skip it.
          }
        }
      }
      offset = records[records.length - 1].offset + 1n;
    }
  }

  /** Writes entries (null deletes) durably and in call order. */
  put(updates: ReadonlyArray<readonly [string, unknown]>): Promise<void> {
    for (const [k, v] of updates) {
      if (v === null) this.entries.delete(k);
      else this.entries.set(k, v);
    }
    const records = updates.map(([k, v]) => ({ key: Buffer.from(k), value: v === null ? null : Buffer.from(JSON.stringify(v)), partition: 0 }));
    const p = this.writes.then(() => this.topics.produce(this.topic, records));
    this.writes = p.catch(() => undefined);
    return p.then(() => undefined);
  }

  get(key: string): unknown {
    return this.entries.get(key);
  }
}

/** Kafka's offset key: `["connector", {partition}]`, with the partition's keys in a stable order. */
export function offsetKey(connector: string, partition: Readonly<Record<string, unknown>>): string {
  return JSON.stringify([connector, sortKeys(partition)]);
}

function sortKeys(o: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
}

export function parseOffsetKey(key: string): { connector: string; partition: Record<string, unknown> } | null {
  try {
    const parsed: unknown = JSON.parse(key);
    if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'string' || parsed[1] === null || typeof parsed[1] !== 'object') return null;
    return { connector: parsed[0], partition: parsed[1] as Record<string, unknown> };
  } catch {
    return null;
  }
}
