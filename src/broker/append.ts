/**
 * The one write path into a partition, shared by the Produce handler and the in-process
 * TopicClient: frame and CRC checks, broker-side schema validation where the topic asks for it,
 * the append itself, waking long-polling fetches, and for acks=all the (group-committed) fsync.
 */
import type { AppendResult, PartitionLog } from './log/index.ts';
import { ErrorCode, KafkaProtocolError } from './protocol/error-codes.ts';
import { Attributes, BatchOffsets, InvalidBatchError, decodeBatchRecords, splitBatches } from './protocol/record-batch.ts';
import type { BrokerStats } from './stats.ts';
import type { Topic, TopicManager } from './topic-manager.ts';
import { loadedPartitionTxns } from './txn/index.ts';

const validationChains = new WeakMap<PartitionLog, Promise<unknown>>();

/** Checks one record's key or value; resolves to null when valid, else what is wrong. */
export type RecordValidator = (topic: string, isKey: boolean, payload: Buffer | null) => Promise<string | null>;

export interface AppendContext {
  topics: TopicManager;
  recordValidator: RecordValidator | null;
  stats: BrokerStats;
}

function configTrue(topic: Topic, name: string): boolean {
  return (topic.configs[name] ?? '').toLowerCase() === 'true';
}

function needsValidation(topic: Topic): boolean {
  return configTrue(topic, 'confluent.key.schema.validation') || configTrue(topic, 'confluent.value.schema.validation');
}

async function validateRecords(ctx: AppendContext, topic: Topic, batches: Buffer[]): Promise<void> {
  const keys = configTrue(topic, 'confluent.key.schema.validation');
  const values = configTrue(topic, 'confluent.value.schema.validation');
  if (!ctx.recordValidator) {
    throw new KafkaProtocolError(ErrorCode.INVALID_RECORD, `topic '${topic.name}' requires schema validation but no schema registry is running`);
  }
  for (const batch of batches) {
    for (const record of await decodeBatchRecords(batch)) {
      const problem =
        (keys ? await ctx.recordValidator(topic.name, true, record.key) : null) ??
        (values ? await ctx.recordValidator(topic.name, false, record.value) : null);
      if (problem) throw new KafkaProtocolError(ErrorCode.INVALID_RECORD, `record rejected by schema validation: ${problem}`);
    }
  }
}

/**
 * Appends a record set (one or more RecordBatch v2) to a partition. Throws
 * {@link KafkaProtocolError} with the code to answer for anything the client caused.
 */
export async function appendRecordSet(ctx: AppendContext, topic: Topic, partition: number, recordSet: Buffer, acks: number): Promise<AppendResult> {
  const started = ctx.stats.timesAppends ? performance.now() : 0;
  const log = topic.partitions[partition];
  if (!log) throw new KafkaProtocolError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic '${topic.name}' has no partition ${partition}`);
  let batches: Buffer[];
  try {
    batches = splitBatches(recordSet);
  } catch (err) {
    if (err instanceof InvalidBatchError) throw new KafkaProtocolError(ErrorCode.CORRUPT_MESSAGE, err.message);
    throw err;
  }
  if (batches.length === 0) throw new KafkaProtocolError(ErrorCode.INVALID_RECORD, 'empty record set');
  // Control batches (transaction markers) are written by the transaction coordinator only.
  if (batches.some((b) => (b.readInt16BE(BatchOffsets.attributes) & Attributes.control) !== 0)) {
    throw new KafkaProtocolError(ErrorCode.INVALID_RECORD, 'clients may not write control batches');
  }
  let result: AppendResult;
  if (needsValidation(topic)) {
    // Validation awaits the registry; chain appends per partition so pipelined requests still
    // land in the order they arrived.
    const previous = validationChains.get(log) ?? Promise.resolve();
    const run = previous.then(async () => {
      await validateRecords(ctx, topic, batches);
      return topic.logConfig.cleanupPolicy.includes('compact') ? log.appendChecked(batches) : log.append(batches);
    });
    validationChains.set(log, run.catch(() => undefined));
    result = await run;
  } else if (topic.logConfig.cleanupPolicy.includes('compact')) {
    // Compacted topics need every record keyed: the log decompresses to check, keeping call order.
    result = await log.appendChecked(batches);
  } else {
    // Nothing is awaited before the append, so pipelined requests append in arrival order.
    result = log.append(batches);
  }
  if (!result.duplicate) {
    loadedPartitionTxns(log)?.observe(batches, result.baseOffset);
    let records = 0;
    for (const b of batches) records += b.readInt32BE(BatchOffsets.recordCount);
    ctx.stats.appended(topic.name, recordSet.length, records);
  }
  ctx.topics.notify(topic.name, partition);
  if (started === 0) {
    if (acks === -1) await log.flush();
    return result;
  }
  const appended = performance.now();
  if (acks === -1) await log.flush();
  const records = Number(result.lastOffset - result.baseOffset) + 1;
  ctx.stats.appendTimed(topic.name, records, (appended - started) / 1000, acks === -1 ? (performance.now() - appended) / 1000 : null);
  return result;
}
