/**
 * Consuming: Fetch (record batches out) and ListOffsets (offsets by timestamp, earliest, latest).
 */
import type { ApiDefinition } from '../api.ts';
import { ApiKey } from '../api.ts';
import type { FetchRequest, FetchResponse } from './fetch-types.ts';
import { fetchV4 } from './fetch-v4.ts';
import { fetchV5 } from './fetch-v5.ts';
import { fetchV6 } from './fetch-v6.ts';
import { fetchV7 } from './fetch-v7.ts';
import { fetchV8 } from './fetch-v8.ts';
import { fetchV9 } from './fetch-v9.ts';
import { fetchV10 } from './fetch-v10.ts';
import { fetchV11 } from './fetch-v11.ts';
import type { ListOffsetsRequest, ListOffsetsResponse } from './list-offsets-types.ts';
import { listOffsetsV0 } from './list-offsets-v0.ts';
import { listOffsetsV1 } from './list-offsets-v1.ts';
import { listOffsetsV2 } from './list-offsets-v2.ts';
import { listOffsetsV3 } from './list-offsets-v3.ts';
import { listOffsetsV4 } from './list-offsets-v4.ts';
import { listOffsetsV5 } from './list-offsets-v5.ts';

export type * from './fetch-types.ts';
export type * from './list-offsets-types.ts';
export { ListOffsetsTimestamp } from './list-offsets-types.ts';

export const fetchApi: ApiDefinition<FetchRequest, FetchResponse> = {
  apiKey: ApiKey.Fetch,
  name: 'Fetch',
  codecs: [fetchV4, fetchV5, fetchV6, fetchV7, fetchV8, fetchV9, fetchV10, fetchV11],
  /**
   * The code goes both at the top (v7+, where clients look for session errors) and on every
   * partition (where older clients look).
   */
  errorResponse(req: FetchRequest, errorCode: number): FetchResponse {
    return {
      throttleTimeMs: 0,
      errorCode,
      sessionId: 0,
      responses: req.topics.map((t) => ({
        topic: t.topic,
        partitions: t.partitions.map((p) => ({
          partitionIndex: p.partition,
          errorCode,
          highWatermark: -1n,
          lastStableOffset: -1n,
          logStartOffset: -1n,
          abortedTransactions: null,
          preferredReadReplica: -1,
          records: Buffer.alloc(0), // empty, not null: librdkafka rejects a -1 records length
        })),
      })),
    };
  },
};

export const listOffsetsApi: ApiDefinition<ListOffsetsRequest, ListOffsetsResponse> = {
  apiKey: ApiKey.ListOffsets,
  name: 'ListOffsets',
  codecs: [listOffsetsV0, listOffsetsV1, listOffsetsV2, listOffsetsV3, listOffsetsV4, listOffsetsV5],
  errorResponse(req: ListOffsetsRequest, errorCode: number): ListOffsetsResponse {
    return {
      throttleTimeMs: 0,
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode, timestamp: -1n, offset: -1n, leaderEpoch: -1 })),
      })),
    };
  },
};
