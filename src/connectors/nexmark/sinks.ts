/**
 * Where `writeNexmark` sends records: a kafkajs producer (any Kafka cluster, what
 * `runnel nexmark` uses) or a `TopicClient` (the embedded broker without sockets, for tests and
 * the benchmark). Records carry no key; each kind goes round-robin over its topic's partitions in
 * generation order, so every partition's event time is as ordered as the generator's, and the
 * record timestamp is the event time. Batches are sent one after another (the writer encodes the
 * next ones meanwhile), so records land in generation order whatever the client does with
 * concurrent requests.
 */
import type { Message, Producer } from 'kafkajs';
import type { ProduceRecord, TopicClient } from '../../client/topic-client.ts';
import type { EncodedRecords } from './avro-encoder.ts';
import { NEXMARK_KINDS, type NexmarkTopicKind } from './avro-schemas.ts';
import type { NexmarkRecords, NexmarkRecordSink } from './writer.ts';

/** Round-robin partition of the next record of each kind. */
class PartitionCursor {
  private readonly next: Record<NexmarkTopicKind, number> = { person: 0, auction: 0, bid: 0 };

  constructor(private readonly partitions: number) {}

  take(kind: NexmarkTopicKind): number {
    const p = this.next[kind];
    this.next[kind] = (p + 1) % this.partitions;
    return p;
  }
}

/**
 * Most record bytes per topic in one produce request: Kafka refuses a partition's batch above
 * `message.max.bytes` (1 MiB by default), and a batch of 8192 bids is about 1.5 MB.
 */
export const REQUEST_BYTES_MAX = 512 * 1024;

/** Splits records [0, count) into runs of at most bytesMax bytes (a longer record is a run alone). */
export function chunkRanges(r: EncodedRecords, bytesMax: number): [number, number][] {
  const ranges: [number, number][] = [];
  let from = 0;
  for (let i = 0; i < r.count; i++) {
    if (i > from && r.starts[i + 1] - r.starts[from] > bytesMax) {
      ranges.push([from, i]);
      from = i;
    }
  }
  if (r.count > from) ranges.push([from, r.count]);
  return ranges;
}

function view(r: EncodedRecords, i: number): Buffer {
  return Buffer.from(r.bytes.buffer, r.bytes.byteOffset + r.starts[i], r.starts[i + 1] - r.starts[i]);
}

export interface KafkaJsSinkOptions {
  acks?: number;
  timeoutMs?: number;
}

/** Sends each batch as one kafkajs `sendBatch` over the three topics. */
export class KafkaJsNexmarkSink implements NexmarkRecordSink {
  private readonly cursor: PartitionCursor;
  private previous: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly producer: Producer,
    private readonly topics: Readonly<Record<NexmarkTopicKind, string>>,
    partitions: number,
    private readonly options: KafkaJsSinkOptions = {},
  ) {
    this.cursor = new PartitionCursor(partitions);
  }

  async send(records: NexmarkRecords): Promise<void> {
    const requests: { topic: string; messages: Message[] }[] = [];
    for (const kind of NEXMARK_KINDS) {
      const r = records[kind];
      for (const [from, to] of chunkRanges(r, REQUEST_BYTES_MAX)) {
        const messages: Message[] = new Array(to - from);
        for (let i = from; i < to; i++) {
          messages[i - from] = { value: view(r, i), timestamp: String(r.timestamps[i]), partition: this.cursor.take(kind) };
        }
        requests.push({ topic: this.topics[kind], messages });
      }
    }
    const sendAll = async () => {
      for (const request of requests) {
        await this.producer.sendBatch({ topicMessages: [request], acks: this.options.acks ?? -1, ...(this.options.timeoutMs === undefined ? {} : { timeout: this.options.timeoutMs }) });
      }
    };
    // Chained before any await, so a later batch never starts before this one is sent.
    const sent = this.previous.then(sendAll);
    this.previous = sent;
    await sent;
  }
}

/** Produces through a TopicClient (the embedded broker in-process, or any other client). */
export class TopicClientNexmarkSink implements NexmarkRecordSink {
  private readonly cursor: PartitionCursor;
  private previous: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly client: TopicClient,
    private readonly topics: Readonly<Record<NexmarkTopicKind, string>>,
    partitions: number,
  ) {
    this.cursor = new PartitionCursor(partitions);
  }

  async send(records: NexmarkRecords): Promise<void> {
    const requests: [string, ProduceRecord[]][] = [];
    for (const kind of NEXMARK_KINDS) {
      const r = records[kind];
      for (const [from, to] of chunkRanges(r, REQUEST_BYTES_MAX)) {
        const out: ProduceRecord[] = new Array(to - from);
        for (let i = from; i < to; i++) {
          out[i - from] = { key: null, value: view(r, i), timestamp: BigInt(r.timestamps[i]), partition: this.cursor.take(kind) };
        }
        requests.push([this.topics[kind], out]);
      }
    }
    const produceAll = async () => {
      for (const [topic, out] of requests) await this.client.produce(topic, out);
    };
    const produced = this.previous.then(produceAll);
    this.previous = produced;
    await produced;
  }
}
