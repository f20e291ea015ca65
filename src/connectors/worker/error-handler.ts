/**
 * `errors.tolerance` and the dead letter queue (KIP-298). A failure in a stage (converter,
 * transform, the sink's put) with `errors.tolerance=none` fails the task; with `all` the record is
 * skipped and, for sinks with `errors.deadletterqueue.topic.name`, written to that topic as it was
 * consumed, with Kafka's `__connect.errors.*` headers when
 * `errors.deadletterqueue.context.headers.enable=true`.
 */
import type { Logger } from 'pino';
import type { ProduceRecord, TopicClient } from '../../client/topic-client.ts';
import type { SinkRecord } from '../api.ts';
import { ConnectError, messageOf, traceOf } from '../errors.ts';

/** Stages as Kafka names them in `__connect.errors.stage`. */
export type Stage = 'KEY_CONVERTER' | 'VALUE_CONVERTER' | 'HEADER_CONVERTER' | 'TRANSFORMATION' | 'TASK_PUT' | 'TASK_POLL' | 'KAFKA_PRODUCE' | 'KAFKA_CONSUME';

export const dlqHeaders = {
  topic: '__connect.errors.topic',
  partition: '__connect.errors.partition',
  offset: '__connect.errors.offset',
  connectorName: '__connect.errors.connector.name',
  taskId: '__connect.errors.task.id',
  stage: '__connect.errors.stage',
  className: '__connect.errors.class.name',
  exceptionClass: '__connect.errors.exception.class.name',
  exceptionMessage: '__connect.errors.exception.message',
  exceptionStacktrace: '__connect.errors.exception.stacktrace',
} as const;

export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: bigint;
  key: Buffer | null;
  value: Buffer | null;
  headers: readonly { key: string; value: Buffer | null }[];
}

export class ErrorHandler {
  private readonly tolerateAll: boolean;
  private readonly dlqTopic: string;
  private readonly contextHeaders: boolean;
  private readonly logErrors: boolean;
  /** Records skipped or sent to the DLQ, for status and tests. */
  skipped = 0;

  constructor(
    config: Readonly<Record<string, string>>,
    private readonly topics: TopicClient,
    private readonly connector: string,
    private readonly taskId: number,
    private readonly logger: Logger,
  ) {
    this.tolerateAll = (config['errors.tolerance'] ?? 'none') === 'all';
    this.dlqTopic = (config['errors.deadletterqueue.topic.name'] ?? '').trim();
    this.contextHeaders = config['errors.deadletterqueue.context.headers.enable'] === 'true';
    this.logErrors = config['errors.log.enable'] === 'true';
  }

  /**
   * Handles a failed stage: rethrows (wrapped with its context) when errors are not tolerated;
   * otherwise logs, writes the consumed record to the DLQ if there is one, and returns.
   */
  async handle(stage: Stage, className: string, err: unknown, consumed: ConsumedRecord | null): Promise<void> {
    const where = consumed === null ? '' : ` for record in topic '${consumed.topic}' partition ${consumed.partition} offset ${consumed.offset}`;
    if (!this.tolerateAll) {
      throw new ConnectError('data', `Tolerance exceeded in error handler: ${stage} (${className}) failed${where}: ${messageOf(err)}`, { cause: err });
    }
    this.skipped++;
    if (this.logErrors) this.logger.warn({ err, stage, className }, `error in ${stage}${where}; skipped (errors.tolerance=all)`);
    if (this.dlqTopic === '' || consumed === null) return;
    const headers = [...consumed.headers];
    if (this.contextHeaders) {
      const e = err instanceof Error ? err : new Error(String(err));
      const h = (key: string, value: string) => headers.push({ key, value: Buffer.from(value) });
      h(dlqHeaders.topic, consumed.topic);
      h(dlqHeaders.partition, String(consumed.partition));
      h(dlqHeaders.offset, String(consumed.offset));
      h(dlqHeaders.connectorName, this.connector);
      h(dlqHeaders.taskId, String(this.taskId));
      h(dlqHeaders.stage, stage);
      h(dlqHeaders.className, className);
      h(dlqHeaders.exceptionClass, javaStyleClass(e));
      h(dlqHeaders.exceptionMessage, e.message);
      h(dlqHeaders.exceptionStacktrace, traceOf(e));
    }
    const record: ProduceRecord = { key: consumed.key, value: consumed.value, headers };
    await this.topics.createTopic(this.dlqTopic, { ifNotExists: true });
    await this.topics.produce(this.dlqTopic, [record]);
  }

  /** For a sink task's `reportError(record, error)`. */
  async report(record: SinkRecord, err: Error): Promise<void> {
    const o = record.original;
    await this.handle('TASK_PUT', 'SinkTask', err, {
      topic: record.topic,
      partition: record.kafkaPartition,
      offset: record.kafkaOffset,
      key: o?.key ?? null,
      value: o?.value ?? null,
      headers: o?.headers ?? [],
    });
  }
}

/** Kafka reports Java class names; ours are `org.apache.kafka.connect.errors.DataException`-like. */
function javaStyleClass(e: Error): string {
  if (e instanceof ConnectError) return e.code === 'data' ? 'org.apache.kafka.connect.errors.DataException' : 'org.apache.kafka.connect.errors.ConnectException';
  if (e.name === 'ConfigException') return 'org.apache.kafka.common.config.ConfigException';
  return `${e.name}`;
}
