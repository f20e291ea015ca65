/**
 * Fetch (long-poll with max wait and min bytes) and ListOffsets.
 *
 * Fetch returns whole stored batches starting with the one that contains the fetch offset
 * (clients skip the records before it), at least one batch even past the byte limits so a
 * large batch never stalls a consumer (KIP-74). Fetch sessions (KIP-227) are declined by
 * answering session id 0, which clients handle by sending full fetches.
 */
import type { Broker } from '../broker.ts';
import { BufferPool } from '../buffer-pool.ts';
import type { RequestContext } from '../dispatcher.ts';
import { ErrorCode, KafkaProtocolError } from '../protocol/error-codes.ts';
import type {
  AbortedTransaction,
  FetchPartitionData,
  FetchRequest,
  FetchResponse,
  FetchableTopicResponse,
  ListOffsetsPartitionResponse,
  ListOffsetsRequest,
  ListOffsetsResponse,
} from '../apis/fetch/index.ts';
import { ListOffsetsTimestamp } from '../apis/fetch/index.ts';
import { BatchOffsets, batchHeaderBytes } from '../protocol/record-batch.ts';
import { partitionTxns } from '../txn/index.ts';

/**
 * The prefix of `data` made of whole batches that start below `endOffset`, and the offset after
 * its last batch (the upper bound for the aborted transactions a fetch lists).
 */
function batchesBelow(data: Buffer, endOffset: bigint): { data: Buffer; nextOffset: bigint } {
  let pos = 0;
  let nextOffset = -1n;
  while (pos + batchHeaderBytes <= data.length && data.readBigInt64BE(pos + BatchOffsets.baseOffset) < endOffset) {
    nextOffset = data.readBigInt64BE(pos + BatchOffsets.baseOffset) + BigInt(data.readInt32BE(pos + BatchOffsets.lastOffsetDelta)) + 1n;
    pos += data.readInt32BE(pos + BatchOffsets.batchLength) + 12;
  }
  return { data: pos >= data.length ? data : data.subarray(0, pos), nextOffset };
}

/** Brings the transaction state of every partition a read_committed request names up to date. */
async function syncTxns(broker: Broker, topics: readonly { name: string; partitions: readonly number[] }[]): Promise<void> {
  for (const t of topics) {
    for (const p of t.partitions) {
      const log = broker.topics.partition(t.name, p);
      if (log) await partitionTxns(log).sync();
    }
  }
}

/** Upper bound on how long a fetch may park, whatever the client asks. */
export const fetchWaitMsMax = 30_000;
/** Upper bound on one fetch response's record bytes, whatever the client asks. */
export const fetchResponseBytesMax = 64 * 1024 * 1024;

/**
 * What an errored partition carries in `records`: empty, never null. Kafka sends
 * MemoryRecords.EMPTY there, and librdkafka fails to parse the whole response on a -1 length
 * (so an OFFSET_OUT_OF_RANGE never reached it and the consumer never reset).
 */
const noRecords = Buffer.alloc(0);

/**
 * Buffers the segment reads of Fetch go into, returned once the response is on the socket (see
 * buffer-pool.ts: fresh ones made consumers spend a third of their time in GC).
 */
const readPool = new BufferPool(64 * 1024, 64 * 1024 * 1024);

function readAll(broker: Broker, req: FetchRequest, alloc: (n: number) => Buffer): { responses: FetchableTopicResponse[]; bytes: number } {
  let budget = Math.min(req.maxBytes > 0 ? req.maxBytes : fetchResponseBytesMax, fetchResponseBytesMax);
  let bytes = 0;
  const readCommitted = req.isolationLevel === 1;
  const responses = req.topics.map((t) => {
    const topic = broker.topics.get(t.topic);
    return {
      topic: t.topic,
      partitions: t.partitions.map((p): FetchPartitionData => {
        const log = topic?.partitions[p.partition];
        const base = { partitionIndex: p.partition, abortedTransactions: readCommitted ? [] : null, preferredReadReplica: -1 };
        if (!log) {
          return { ...base, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, highWatermark: -1n, lastStableOffset: -1n, logStartOffset: -1n, records: noRecords };
        }
        try {
          // After the first batch, the response's remaining budget caps each partition.
          const limit = bytes === 0 ? p.partitionMaxBytes : Math.min(p.partitionMaxBytes, budget);
          const txns = readCommitted ? partitionTxns(log) : null;
          const lso = txns ? txns.lastStableOffset : log.logEndOffset;
          const readable = !txns || p.fetchOffset < lso;
          const read = readable && (limit > 0 || bytes === 0) ? log.read(p.fetchOffset, Math.max(limit, 1), alloc) : null;
          let data = read?.data ?? Buffer.alloc(0);
          let abortedTransactions: AbortedTransaction[] | null = base.abortedTransactions;
          if (txns && data.length > 0) {
            const below = batchesBelow(data, lso);
            data = below.data;
            abortedTransactions = txns.abortedBetween(p.fetchOffset, below.nextOffset).map((a) => ({ producerId: a.producerId, firstOffset: a.firstOffset }));
          }
          bytes += data.length;
          budget = Math.max(0, budget - data.length);
          return {
            ...base,
            abortedTransactions,
            errorCode: ErrorCode.NONE,
            highWatermark: log.logEndOffset,
            lastStableOffset: lso,
            logStartOffset: log.logStartOffset,
            records: data,
          };
        } catch (err) {
          const code = err instanceof KafkaProtocolError ? err.code : ErrorCode.KAFKA_STORAGE_ERROR;
          if (!(err instanceof KafkaProtocolError)) broker.log.error({ err, topic: t.topic, partition: p.partition }, 'fetch read failed');
          return { ...base, errorCode: code, highWatermark: log.logEndOffset, lastStableOffset: log.logEndOffset, logStartOffset: log.logStartOffset, records: noRecords };
        }
      }),
    };
  });
  return { responses, bytes };
}

function waitForAppend(broker: Broker, req: FetchRequest, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const offs: (() => void)[] = [];
    const done = () => {
      clearTimeout(timer);
      for (const off of offs) off();
      resolve();
    };
    const timer = setTimeout(done, ms);
    for (const t of req.topics) for (const p of t.partitions) offs.push(broker.topics.onAppend(t.topic, p.partition, done));
  });
}

export function handleFetch(broker: Broker) {
  return async (req: FetchRequest, ctx: RequestContext): Promise<FetchResponse> => {
    const taken: Buffer[] = [];
    const alloc = (n: number): Buffer => {
      const buf = readPool.take(n);
      if (n >= readPool.minBytes) taken.push(buf);
      return buf;
    };
    ctx.whenSent(() => {
      for (const buf of taken) readPool.give(buf);
    });
    const deadline = Date.now() + Math.min(Math.max(req.maxWaitMs, 0), fetchWaitMsMax);
    const readCommitted = req.isolationLevel === 1;
    const named = req.topics.map((t) => ({ name: t.topic, partitions: t.partitions.map((p) => p.partition) }));
    if (readCommitted) await syncTxns(broker, named);
    let result = readAll(broker, req, alloc);
    while (result.bytes < Math.max(req.minBytes, 1) && Date.now() < deadline) {
      const hasError = result.responses.some((t) => t.partitions.some((p) => p.errorCode !== ErrorCode.NONE));
      if (hasError) break;
      await waitForAppend(broker, req, deadline - Date.now());
      if (readCommitted) await syncTxns(broker, named);
      result = readAll(broker, req, alloc);
    }
    for (const t of result.responses) {
      let bytes = 0;
      for (const p of t.partitions) bytes += p.records?.length ?? 0;
      broker.stats.fetched(t.topic, bytes);
    }
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, sessionId: 0, responses: result.responses };
  };
}

export function handleListOffsets(broker: Broker) {
  return async (req: ListOffsetsRequest): Promise<ListOffsetsResponse> => ({
    throttleTimeMs: 0,
    topics: await Promise.all(
      req.topics.map(async (t) => ({
        name: t.name,
        partitions: await Promise.all(
          t.partitions.map(async (p): Promise<ListOffsetsPartitionResponse> => {
            const log = broker.topics.get(t.name)?.partitions[p.partitionIndex];
            if (!log) return { partitionIndex: p.partitionIndex, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, timestamp: -1n, offset: -1n, leaderEpoch: -1 };
            const ok = (offset: bigint, timestamp: bigint): ListOffsetsPartitionResponse => ({
              partitionIndex: p.partitionIndex,
              errorCode: ErrorCode.NONE,
              timestamp,
              offset,
              leaderEpoch: 0,
            });
            if (p.timestamp === ListOffsetsTimestamp.latest) {
              if (req.isolationLevel !== 1) return ok(log.logEndOffset, -1n);
              const txns = partitionTxns(log);
              await txns.sync();
              return ok(txns.lastStableOffset, -1n);
            }
            if (p.timestamp === ListOffsetsTimestamp.earliest) return ok(log.logStartOffset, -1n);
            if (p.timestamp < 0n) {
              return { partitionIndex: p.partitionIndex, errorCode: ErrorCode.INVALID_REQUEST, timestamp: -1n, offset: -1n, leaderEpoch: -1 };
            }
            const found = await log.offsetForTimestampExact(p.timestamp);
            // No record at or after the timestamp: Kafka answers offset -1 (v1+).
            return found ? ok(found.offset, found.timestamp) : ok(-1n, -1n);
          }),
        ),
      })),
    ),
  });
}
