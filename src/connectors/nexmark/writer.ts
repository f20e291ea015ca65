/**
 * Fills the three Nexmark topics: registers the value schemas, generates batches, encodes them
 * into wire-format records and hands them to a sink (kafkajs for `runnel nexmark`, the in-process
 * topic client for tests and the benchmark), optionally paced to an emission rate.
 *
 * Encoding of the next batch overlaps the sending of earlier ones: each in-flight batch owns its
 * own encoder buffers, at most `inFlightMax` of them.
 *
 * @example
 *   const stats = await writeNexmark({ config, registry, topics: nexmarkTopics(), sink });
 */
import type { RegistryClient } from '../../schema-registry/index.ts';
import { NexmarkEncoder, type EncodedRecords, type NexmarkSchemaIds } from './avro-encoder.ts';
import { NEXMARK_KINDS, NEXMARK_SCHEMAS, type NexmarkTopicKind } from './avro-schemas.ts';
import type { NexmarkConfig } from './config.ts';
import { BATCH_EVENTS_DEFAULT, NexmarkGenerator } from './generator.ts';

/** One batch's records of each kind; buffers stay valid until the `send` promise settles. */
export type NexmarkRecords = Readonly<Record<NexmarkTopicKind, EncodedRecords>>;

export interface NexmarkRecordSink {
  send(records: NexmarkRecords): Promise<void>;
}

export interface NexmarkProgress {
  events: number;
  persons: number;
  auctions: number;
  bids: number;
  bytes: number;
  elapsedMs: number;
}

export interface NexmarkWriteOptions {
  config: NexmarkConfig;
  registry: RegistryClient;
  topics: Readonly<Record<NexmarkTopicKind, string>>;
  sink: NexmarkRecordSink;
  /** Emission rate in events per second; 0 sends as fast as the sink takes them. */
  rateEventsPerSec?: number;
  /** Batches being sent at once. */
  inFlightMax?: number;
  /** Called about every `progressIntervalMs`, and once at the end. */
  onProgress?: (p: NexmarkProgress) => void;
  progressIntervalMs?: number;
  signal?: AbortSignal;
}

export const IN_FLIGHT_MAX_DEFAULT = 4;
/** When pacing, batches are no longer than this much of the rate, so sends stay smooth. */
const PACED_BATCH_MS = 100;

/** Registers (or finds) the three value schemas as `<topic>-value`; returns their ids. */
export async function registerNexmarkSchemas(registry: RegistryClient, topics: Readonly<Record<NexmarkTopicKind, string>>): Promise<NexmarkSchemaIds> {
  const ids: Partial<Record<NexmarkTopicKind, number>> = {};
  for (const kind of NEXMARK_KINDS) {
    ids[kind] = await registry.register(`${topics[kind]}-value`, { schema: JSON.stringify(NEXMARK_SCHEMAS[kind]), schemaType: 'AVRO' });
  }
  return { person: ids.person!, auction: ids.auction!, bid: ids.bid! };
}

/** Generates config.numEvents events into the sink; resolves with the final progress. */
export async function writeNexmark(opts: NexmarkWriteOptions): Promise<NexmarkProgress> {
  const schemaIds = await registerNexmarkSchemas(opts.registry, opts.topics);
  const generator = new NexmarkGenerator(opts.config);
  const rate = opts.rateEventsPerSec ?? 0;
  const batchEvents = rate > 0 ? Math.max(1, Math.min(BATCH_EVENTS_DEFAULT, Math.floor((rate * PACED_BATCH_MS) / 1000))) : BATCH_EVENTS_DEFAULT;
  const inFlightMax = Math.max(1, opts.inFlightMax ?? IN_FLIGHT_MAX_DEFAULT);
  const slots = Array.from({ length: inFlightMax }, () => ({
    encoder: new NexmarkEncoder(generator.dictionaries, schemaIds),
    batch: generator.newBatch(batchEvents),
    pending: null as Promise<void> | null,
  }));
  const progress: NexmarkProgress = { events: 0, persons: 0, auctions: 0, bids: 0, bytes: 0, elapsedMs: 0 };
  const started = performance.now();
  const progressEveryMs = opts.progressIntervalMs ?? 1000;
  let lastReport = started;
  let failure: unknown = null;
  for (let k = 0; generator.hasNext(); k++) {
    if (opts.signal?.aborted) break;
    const slot = slots[k % inFlightMax];
    if (slot.pending) await slot.pending;
    if (failure !== null) throw failure;
    const batch = generator.nextBatch(slot.batch);
    if (batch === null) break;
    if (rate > 0) await sleepUntil(started + (batch.firstEventIndex / rate) * 1000, opts.signal);
    slot.encoder.encode(batch);
    const { persons, auctions, bids } = slot.encoder;
    progress.events += batch.events;
    progress.persons += persons.count;
    progress.auctions += auctions.count;
    progress.bids += bids.count;
    progress.bytes += byteCount(persons) + byteCount(auctions) + byteCount(bids);
    slot.pending = opts.sink.send({ person: persons, auction: auctions, bid: bids }).catch((err: unknown) => {
      failure ??= err;
    });
    const now = performance.now();
    if (opts.onProgress && now - lastReport >= progressEveryMs) {
      lastReport = now;
      opts.onProgress({ ...progress, elapsedMs: now - started });
    }
  }
  await Promise.all(slots.map((s) => s.pending));
  if (failure !== null) throw failure;
  progress.elapsedMs = performance.now() - started;
  opts.onProgress?.({ ...progress });
  return progress;
}

function byteCount(r: EncodedRecords): number {
  return r.count === 0 ? 0 : r.starts[r.count] - r.starts[0];
}

function sleepUntil(deadlineMs: number, signal?: AbortSignal): Promise<void> {
  const waitMs = deadlineMs - performance.now();
  if (waitMs <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, waitMs);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
