/**
 * Transactions (client side of the transaction coordinator): AddPartitionsToTxn,
 * AddOffsetsToTxn, EndTxn and TxnOffsetCommit, non-flexible versions only. InitProducerId, which
 * also serves transactional producers, lives in ../produce.
 */
import type { ApiDefinition } from '../api.ts';
import { ApiKey } from '../api.ts';
import type { AddOffsetsToTxnRequest, AddOffsetsToTxnResponse } from './add-offsets-to-txn-types.ts';
import { addOffsetsToTxnV0 } from './add-offsets-to-txn-v0.ts';
import { addOffsetsToTxnV1 } from './add-offsets-to-txn-v1.ts';
import { addOffsetsToTxnV2 } from './add-offsets-to-txn-v2.ts';
import type { AddPartitionsToTxnRequest, AddPartitionsToTxnResponse } from './add-partitions-to-txn-types.ts';
import { addPartitionsToTxnV0 } from './add-partitions-to-txn-v0.ts';
import { addPartitionsToTxnV1 } from './add-partitions-to-txn-v1.ts';
import { addPartitionsToTxnV2 } from './add-partitions-to-txn-v2.ts';
import type { EndTxnRequest, EndTxnResponse } from './end-txn-types.ts';
import { endTxnV0 } from './end-txn-v0.ts';
import { endTxnV1 } from './end-txn-v1.ts';
import { endTxnV2 } from './end-txn-v2.ts';
import type { TxnOffsetCommitRequest, TxnOffsetCommitResponse } from './txn-offset-commit-types.ts';
import { txnOffsetCommitV0 } from './txn-offset-commit-v0.ts';
import { txnOffsetCommitV1 } from './txn-offset-commit-v1.ts';
import { txnOffsetCommitV2 } from './txn-offset-commit-v2.ts';

export type * from './add-partitions-to-txn-types.ts';
export type * from './add-offsets-to-txn-types.ts';
export type * from './end-txn-types.ts';
export type * from './txn-offset-commit-types.ts';

export const addPartitionsToTxnApi: ApiDefinition<AddPartitionsToTxnRequest, AddPartitionsToTxnResponse> = {
  apiKey: ApiKey.AddPartitionsToTxn,
  name: 'AddPartitionsToTxn',
  codecs: [addPartitionsToTxnV0, addPartitionsToTxnV1, addPartitionsToTxnV2],
  errorResponse(req: AddPartitionsToTxnRequest, errorCode: number): AddPartitionsToTxnResponse {
    return {
      throttleTimeMs: 0,
      resultsByTopic: req.topics.map((t) => ({
        name: t.name,
        resultsByPartition: t.partitions.map((partitionIndex) => ({ partitionIndex, partitionErrorCode: errorCode })),
      })),
    };
  },
};

export const addOffsetsToTxnApi: ApiDefinition<AddOffsetsToTxnRequest, AddOffsetsToTxnResponse> = {
  apiKey: ApiKey.AddOffsetsToTxn,
  name: 'AddOffsetsToTxn',
  codecs: [addOffsetsToTxnV0, addOffsetsToTxnV1, addOffsetsToTxnV2],
  errorResponse(_req: AddOffsetsToTxnRequest, errorCode: number): AddOffsetsToTxnResponse {
    return { throttleTimeMs: 0, errorCode };
  },
};

export const endTxnApi: ApiDefinition<EndTxnRequest, EndTxnResponse> = {
  apiKey: ApiKey.EndTxn,
  name: 'EndTxn',
  codecs: [endTxnV0, endTxnV1, endTxnV2],
  errorResponse(_req: EndTxnRequest, errorCode: number): EndTxnResponse {
    return { throttleTimeMs: 0, errorCode };
  },
};

export const txnOffsetCommitApi: ApiDefinition<TxnOffsetCommitRequest, TxnOffsetCommitResponse> = {
  apiKey: ApiKey.TxnOffsetCommit,
  name: 'TxnOffsetCommit',
  codecs: [txnOffsetCommitV0, txnOffsetCommitV1, txnOffsetCommitV2],
  errorResponse(req: TxnOffsetCommitRequest, errorCode: number): TxnOffsetCommitResponse {
    return {
      throttleTimeMs: 0,
      topics: req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })) })),
    };
  },
};
