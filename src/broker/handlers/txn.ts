/**
 * AddPartitionsToTxn, AddOffsetsToTxn, TxnOffsetCommit and EndTxn: thin translations between the
 * wire types and the {@link TransactionCoordinator}, which answers with Kafka error codes.
 */
import type { Broker } from '../broker.ts';
import type {
  AddOffsetsToTxnRequest,
  AddOffsetsToTxnResponse,
  AddPartitionsToTxnRequest,
  AddPartitionsToTxnResponse,
  EndTxnRequest,
  EndTxnResponse,
  TxnOffsetCommitRequest,
  TxnOffsetCommitResponse,
} from '../apis/txn/index.ts';

export function handleAddPartitionsToTxn(broker: Broker) {
  return async (req: AddPartitionsToTxnRequest): Promise<AddPartitionsToTxnResponse> => {
    const refs = req.topics.flatMap((t) => t.partitions.map((partition) => ({ topic: t.name, partition })));
    const codes = await broker.transactions.addPartitions(req.transactionalId, req.producerId, req.producerEpoch, refs);
    let i = 0;
    return {
      throttleTimeMs: 0,
      resultsByTopic: req.topics.map((t) => ({
        name: t.name,
        resultsByPartition: t.partitions.map((partitionIndex) => ({ partitionIndex, partitionErrorCode: codes[i++] })),
      })),
    };
  };
}

export function handleAddOffsetsToTxn(broker: Broker) {
  return async (req: AddOffsetsToTxnRequest): Promise<AddOffsetsToTxnResponse> => ({
    throttleTimeMs: 0,
    errorCode: await broker.transactions.addOffsets(req.transactionalId, req.producerId, req.producerEpoch, req.groupId),
  });
}

export function handleTxnOffsetCommit(broker: Broker) {
  return async (req: TxnOffsetCommitRequest): Promise<TxnOffsetCommitResponse> => {
    const offsets = req.topics.flatMap((t) =>
      t.partitions.map((p) => ({
        topic: t.name,
        partition: p.partitionIndex,
        offset: p.committedOffset,
        leaderEpoch: p.committedLeaderEpoch ?? -1,
        metadata: p.committedMetadata,
      })),
    );
    const errorCode = await broker.transactions.commitOffsets(req.transactionalId, req.producerId, req.producerEpoch, req.groupId, offsets);
    return {
      throttleTimeMs: 0,
      topics: req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })) })),
    };
  };
}

export function handleEndTxn(broker: Broker) {
  return async (req: EndTxnRequest): Promise<EndTxnResponse> => ({
    throttleTimeMs: 0,
    errorCode: await broker.transactions.endTxn(req.transactionalId, req.producerId, req.producerEpoch, req.committed),
  });
}
