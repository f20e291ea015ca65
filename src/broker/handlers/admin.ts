/** CreateTopics, DeleteTopics, CreatePartitions, DeleteRecords. */
import type { Broker } from '../broker.ts';
import { ErrorCode, KafkaProtocolError } from '../protocol/error-codes.ts';
import type {
  CreatePartitionsRequest,
  CreatePartitionsResponse,
  CreateTopicsRequest,
  CreateTopicsResponse,
  DeleteRecordsRequest,
  DeleteRecordsResponse,
  DeleteTopicsRequest,
  DeleteTopicsResponse,
} from '../apis/admin/index.ts';
import { validateTopicName } from '../topic-manager.ts';

/** The code and message to answer for an error a handler caught. */
export function errorOf(broker: Broker, err: unknown, what: string): { errorCode: number; errorMessage: string } {
  if (err instanceof KafkaProtocolError) return { errorCode: err.code, errorMessage: err.message };
  broker.log.error({ err }, `${what} failed`);
  return { errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, errorMessage: `${what} failed: ${(err as Error).message}` };
}

export function handleCreateTopics(broker: Broker) {
  return async (req: CreateTopicsRequest): Promise<CreateTopicsResponse> => {
    const seen = new Set<string>();
    const duplicated = new Set(req.topics.map((t) => t.name).filter((n) => (seen.has(n) ? true : (seen.add(n), false))));
    const topics = [];
    for (const t of req.topics) {
      const fail = (errorCode: number, errorMessage: string) => ({ name: t.name, errorCode, errorMessage });
      if (duplicated.has(t.name)) {
        topics.push(fail(ErrorCode.INVALID_REQUEST, `topic '${t.name}' appears more than once in the request`));
        continue;
      }
      if (t.replicationFactor !== -1 && t.replicationFactor !== 1) {
        topics.push(fail(ErrorCode.INVALID_REPLICATION_FACTOR, `replication factor ${t.replicationFactor} is larger than the 1 broker available`));
        continue;
      }
      const partitions = t.assignments.length > 0 ? t.assignments.length : t.numPartitions === -1 ? broker.options.defaultPartitions : t.numPartitions;
      const configs: Record<string, string> = {};
      for (const c of t.configs) if (c.value !== null) configs[c.name] = c.value;
      try {
        if (req.validateOnly) {
          const nameError = validateTopicName(t.name);
          if (nameError) throw new KafkaProtocolError(ErrorCode.INVALID_TOPIC_EXCEPTION, nameError);
          if (broker.topics.get(t.name)) throw new KafkaProtocolError(ErrorCode.TOPIC_ALREADY_EXISTS, `topic '${t.name}' already exists`);
          if (partitions < 1) throw new KafkaProtocolError(ErrorCode.INVALID_PARTITIONS, `partition count must be at least 1, got ${partitions}`);
          broker.topics.validateConfigs(configs);
        } else {
          await broker.topics.create(t.name, partitions, configs);
        }
        topics.push({ name: t.name, errorCode: ErrorCode.NONE, errorMessage: null });
      } catch (err) {
        const { errorCode, errorMessage } = errorOf(broker, err, 'create topic');
        topics.push(fail(errorCode, errorMessage));
      }
    }
    return { throttleTimeMs: 0, topics };
  };
}

export function handleDeleteTopics(broker: Broker) {
  return async (req: DeleteTopicsRequest): Promise<DeleteTopicsResponse> => {
    const responses = [];
    for (const name of req.topicNames) {
      try {
        await broker.topics.delete(name);
        responses.push({ name, errorCode: ErrorCode.NONE });
      } catch (err) {
        responses.push({ name, errorCode: errorOf(broker, err, 'delete topic').errorCode });
      }
    }
    return { throttleTimeMs: 0, responses };
  };
}

export function handleCreatePartitions(broker: Broker) {
  return async (req: CreatePartitionsRequest): Promise<CreatePartitionsResponse> => {
    const results = [];
    for (const t of req.topics) {
      try {
        const topic = broker.topics.get(t.name);
        if (!topic) throw new KafkaProtocolError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic '${t.name}' does not exist`);
        if (t.count <= topic.partitions.length) {
          throw new KafkaProtocolError(ErrorCode.INVALID_PARTITIONS, `topic '${t.name}' has ${topic.partitions.length} partitions; the new count must be larger, got ${t.count}`);
        }
        if (!req.validateOnly) await broker.topics.addPartitions(t.name, t.count);
        results.push({ name: t.name, errorCode: ErrorCode.NONE, errorMessage: null });
      } catch (err) {
        results.push({ name: t.name, ...errorOf(broker, err, 'create partitions') });
      }
    }
    return { throttleTimeMs: 0, results };
  };
}

export function handleDeleteRecords(broker: Broker) {
  return async (req: DeleteRecordsRequest): Promise<DeleteRecordsResponse> => ({
    throttleTimeMs: 0,
    topics: req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => {
        const log = broker.topics.get(t.name)?.partitions[p.partitionIndex];
        if (!log) return { partitionIndex: p.partitionIndex, lowWatermark: -1n, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
        try {
          // -1 means "up to the high watermark", as Kafka's AdminClient sends it.
          const target = p.offset === -1n ? log.logEndOffset : p.offset;
          if (target < 0n || target > log.logEndOffset) throw new KafkaProtocolError(ErrorCode.OFFSET_OUT_OF_RANGE, `offset ${p.offset} is past the log end ${log.logEndOffset}`);
          return { partitionIndex: p.partitionIndex, lowWatermark: log.deleteRecordsBefore(target), errorCode: ErrorCode.NONE };
        } catch (err) {
          return { partitionIndex: p.partitionIndex, lowWatermark: -1n, errorCode: errorOf(broker, err, 'delete records').errorCode };
        }
      }),
    })),
  });
}
