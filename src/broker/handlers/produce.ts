/**
 * Produce and InitProducerId. A transactional producer's InitProducerId goes to the transaction
 * coordinator; its Produce requests are accepted only from the current epoch and only for
 * partitions already added to the open transaction (INVALID_TXN_STATE otherwise).
 */
import type { Broker } from '../broker.ts';
import { appendRecordSet } from '../append.ts';
import { ErrorCode, KafkaProtocolError } from '../protocol/error-codes.ts';
import type {
  InitProducerIdRequest,
  InitProducerIdResponse,
  PartitionProduceResponse,
  ProduceRequest,
  ProduceResponse,
} from '../apis/produce/index.ts';
import { noResponse, type RequestContext } from '../dispatcher.ts';
import type { Topic } from '../topic-manager.ts';
import { BatchOffsets, batchHeaderBytes } from '../protocol/record-batch.ts';

/** The transaction check for one partition's records; NONE when they may be appended. */
function transactionError(broker: Broker, transactionalId: string, topic: string, partition: number, records: Buffer): number {
  if (records.length < batchHeaderBytes) return ErrorCode.CORRUPT_MESSAGE;
  const producerId = records.readBigInt64BE(BatchOffsets.producerId);
  const producerEpoch = records.readInt16BE(BatchOffsets.producerEpoch);
  return broker.transactions.checkProduce(transactionalId, producerId, producerEpoch, topic, partition);
}

function failed(index: number, errorCode: number): PartitionProduceResponse {
  return { index, errorCode, baseOffset: -1n, logAppendTimeMs: -1n, logStartOffset: -1n };
}

export function handleProduce(broker: Broker) {
  return async (req: ProduceRequest, ctx: RequestContext): Promise<ProduceResponse | typeof noResponse> => {
    const acks = req.acks;
    // Transactional writes must be acknowledged by every replica (Kafka refuses other acks).
    const validAcks = req.transactionalId !== null ? acks === -1 : acks === 0 || acks === 1 || acks === -1;
    const responses = await Promise.all(
      req.topicData.map(async (td) => {
        let topic: Topic | undefined = broker.topics.get(td.name);
        let topicError: number = ErrorCode.NONE;
        if (!validAcks) topicError = ErrorCode.INVALID_REQUIRED_ACKS;
        else if (!topic && broker.options.autoCreateTopics) {
          try {
            topic = await broker.topics.getOrCreate(td.name, broker.options.defaultPartitions);
          } catch (err) {
            topicError = err instanceof KafkaProtocolError ? err.code : ErrorCode.UNKNOWN_SERVER_ERROR;
          }
        } else if (!topic) topicError = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        if (topic?.internal && topicError === ErrorCode.NONE) topicError = ErrorCode.INVALID_TOPIC_EXCEPTION;
        const partitionResponses = await Promise.all(
          td.partitionData.map(async (pd): Promise<PartitionProduceResponse> => {
            if (topicError !== ErrorCode.NONE || !topic) return failed(pd.index, topicError);
            if (pd.records === null || pd.records.length === 0) return failed(pd.index, ErrorCode.INVALID_RECORD);
            if (req.transactionalId !== null) {
              const txnError = transactionError(broker, req.transactionalId, td.name, pd.index, pd.records);
              if (txnError !== ErrorCode.NONE) return failed(pd.index, txnError);
            }
            try {
              const result = await appendRecordSet(broker, topic, pd.index, pd.records, acks);
              return { index: pd.index, errorCode: ErrorCode.NONE, baseOffset: result.baseOffset, logAppendTimeMs: result.logAppendTimeMs, logStartOffset: result.logStartOffset };
            } catch (err) {
              if (err instanceof KafkaProtocolError) {
                broker.log.debug({ topic: td.name, partition: pd.index, code: err.code, msg: err.message, clientId: ctx.clientId }, 'produce rejected');
                return failed(pd.index, err.code);
              }
              broker.log.error({ err, topic: td.name, partition: pd.index }, 'produce failed');
              return failed(pd.index, ErrorCode.KAFKA_STORAGE_ERROR);
            }
          }),
        );
        return { name: td.name, partitionResponses };
      }),
    );
    if (acks === 0) return noResponse;
    return { responses, throttleTimeMs: 0 };
  };
}

export function handleInitProducerId(broker: Broker) {
  return async (req: InitProducerIdRequest): Promise<InitProducerIdResponse> => {
    if (req.transactionalId !== null) {
      const result = await broker.transactions.initProducerId(req.transactionalId, req.transactionTimeoutMs);
      return { throttleTimeMs: 0, ...result };
    }
    const producerId = await broker.producerIds.allocate();
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId, producerEpoch: 0 };
  };
}
