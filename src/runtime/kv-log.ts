/**
 * A compacted topic as a key-value map of JSON documents: the durable state of the SQL runtime
 * (`_runnel_catalog`, `_runnel_statements`, `_runnel_offsets`), rebuilt by replaying the topic at
 * start (ARCHITECTURE.md principle 1: the log is the one durable primitive). A null value is a
 * tombstone; compaction keeps the latest value of each key. Values may also be raw bytes
 * (`putBytes`, stored as a 0x00 byte then the bytes: JSON text never starts with 0x00), so large
 * binary data (checkpoint parts) needs no text encoding.
 *
 * @example
 *   const log = await KvLog.open(topics, '_runnel_catalog');
 *   await log.put('table:orders', { watermark: ... });
 *   log.get('table:orders');
 */
import type { TopicClient } from '../client/topic-client.ts';

/** Entries one log holds at most (a bound on memory; compaction keeps only live keys on disk). */
export const KV_ENTRIES_MAX = 1_000_000;
/** First byte of a raw-bytes value. */
const RAW_MARK = 0x00;
/** Records asked for per replay fetch, in bytes. */
const replayFetchBytes = 4 * 1024 * 1024;

export class KvLog<V> {
  private readonly map = new Map<string, V>();
  private readonly raw = new Map<string, Buffer>();
  private writeChain: Promise<unknown> = Promise.resolve();

  private constructor(private readonly topics: TopicClient, readonly topic: string) {}

  /** Opens (creating the compacted topic if needed) and replays the log. */
  static async open<V>(topics: TopicClient, topic: string): Promise<KvLog<V>> {
    await topics.createTopic(topic, { partitions: 1, configs: { 'cleanup.policy': 'compact' }, ifNotExists: true });
    const log = new KvLog<V>(topics, topic);
    await log.replay();
    return log;
  }

  private async replay(): Promise<void> {
    const { start, end } = await this.topics.offsets(this.topic, 0);
    let offset = start;
    while (offset < end) {
      const res = await this.topics.fetch(this.topic, 0, offset, { maxBytes: replayFetchBytes });
      if (res.records.length === 0) break;
      for (const r of res.records) {
        if (r.offset >= end) break;
        if (r.key === null) continue;
        const key = r.key.toString('utf8');
        if (r.value !== null && r.value.length > 0 && r.value[0] === RAW_MARK) this.applyRaw(key, Buffer.from(r.value.subarray(1)));
        else this.apply(key, r.value === null ? null : (JSON.parse(r.value.toString('utf8')) as V));
        offset = r.offset + 1n;
      }
    }
  }

  private apply(key: string, value: V | null): void {
    this.raw.delete(key);
    if (value === null) this.map.delete(key);
    else {
      this.checkRoom(key);
      this.map.set(key, value);
    }
  }

  private applyRaw(key: string, value: Buffer): void {
    this.map.delete(key);
    this.checkRoom(key);
    this.raw.set(key, value);
  }

  private checkRoom(key: string): void {
    if (!this.map.has(key) && !this.raw.has(key) && this.map.size + this.raw.size >= KV_ENTRIES_MAX) throw new RangeError(`${this.topic} holds more than ${KV_ENTRIES_MAX} entries`);
  }

  /** A value written with `putBytes`. */
  getBytes(key: string): Buffer | undefined {
    return this.raw.get(key);
  }

  /** Writes raw bytes durably (see the header); `delete` removes them. */
  putBytes(key: string, value: Uint8Array): Promise<void> {
    const record = Buffer.allocUnsafe(value.length + 1);
    record[0] = RAW_MARK;
    record.set(value, 1);
    return this.write(key, record, () => this.applyRaw(key, record.subarray(1)));
  }

  get(key: string): V | undefined {
    return this.map.get(key);
  }

  entries(prefix = ''): [string, V][] {
    return [...this.map].filter(([k]) => k.startsWith(prefix));
  }

  /** Writes durably, then updates the in-memory map; writes are applied in call order. */
  put(key: string, value: V | null): Promise<void> {
    return this.write(key, value === null ? null : Buffer.from(JSON.stringify(value), 'utf8'), () => this.apply(key, value));
  }

  private write(key: string, value: Buffer | null, apply: () => void): Promise<void> {
    const write = this.writeChain.then(async () => {
      await this.topics.produce(this.topic, [{ key: Buffer.from(key, 'utf8'), value, partition: 0 }]);
      apply();
    });
    this.writeChain = write.catch(() => undefined);
    return write;
  }

  delete(key: string): Promise<void> {
    return this.put(key, null);
  }
}
