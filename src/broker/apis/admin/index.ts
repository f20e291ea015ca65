/**
 * Topic administration: CreateTopics, DeleteTopics, CreatePartitions and DeleteRecords.
 */
import type { ApiDefinition } from '../api.ts';
import { ApiKey } from '../api.ts';
import type { CreatePartitionsRequest, CreatePartitionsResponse } from './create-partitions-types.ts';
import { createPartitionsV0 } from './create-partitions-v0.ts';
import { createPartitionsV1 } from './create-partitions-v1.ts';
import type { CreateTopicsRequest, CreateTopicsResponse } from './create-topics-types.ts';
import { createTopicsV0 } from './create-topics-v0.ts';
import { createTopicsV1 } from './create-topics-v1.ts';
import { createTopicsV2 } from './create-topics-v2.ts';
import { createTopicsV3 } from './create-topics-v3.ts';
import { createTopicsV4 } from './create-topics-v4.ts';
import type { DeleteRecordsRequest, DeleteRecordsResponse } from './delete-records-types.ts';
import { deleteRecordsV0 } from './delete-records-v0.ts';
import { deleteRecordsV1 } from './delete-records-v1.ts';
import type { DeleteTopicsRequest, DeleteTopicsResponse } from './delete-topics-types.ts';
import { deleteTopicsV0 } from './delete-topics-v0.ts';
import { deleteTopicsV1 } from './delete-topics-v1.ts';
import { deleteTopicsV2 } from './delete-topics-v2.ts';
import { deleteTopicsV3 } from './delete-topics-v3.ts';

export type * from './create-topics-types.ts';
export type * from './delete-topics-types.ts';
export type * from './create-partitions-types.ts';
export type * from './delete-records-types.ts';

export const createTopicsApi: ApiDefinition<CreateTopicsRequest, CreateTopicsResponse> = {
  apiKey: ApiKey.CreateTopics,
  name: 'CreateTopics',
  codecs: [createTopicsV0, createTopicsV1, createTopicsV2, createTopicsV3, createTopicsV4],
  errorResponse(req: CreateTopicsRequest, errorCode: number): CreateTopicsResponse {
    return { throttleTimeMs: 0, topics: req.topics.map((t) => ({ name: t.name, errorCode, errorMessage: null })) };
  },
};

export const deleteTopicsApi: ApiDefinition<DeleteTopicsRequest, DeleteTopicsResponse> = {
  apiKey: ApiKey.DeleteTopics,
  name: 'DeleteTopics',
  codecs: [deleteTopicsV0, deleteTopicsV1, deleteTopicsV2, deleteTopicsV3],
  errorResponse(req: DeleteTopicsRequest, errorCode: number): DeleteTopicsResponse {
    return { throttleTimeMs: 0, responses: req.topicNames.map((name) => ({ name, errorCode })) };
  },
};

export const createPartitionsApi: ApiDefinition<CreatePartitionsRequest, CreatePartitionsResponse> = {
  apiKey: ApiKey.CreatePartitions,
  name: 'CreatePartitions',
  codecs: [createPartitionsV0, createPartitionsV1],
  errorResponse(req: CreatePartitionsRequest, errorCode: number): CreatePartitionsResponse {
    return { throttleTimeMs: 0, results: req.topics.map((t) => ({ name: t.name, errorCode, errorMessage: null })) };
  },
};

export const deleteRecordsApi: ApiDefinition<DeleteRecordsRequest, DeleteRecordsResponse> = {
  apiKey: ApiKey.DeleteRecords,
  name: 'DeleteRecords',
  codecs: [deleteRecordsV0, deleteRecordsV1],
  errorResponse(req: DeleteRecordsRequest, errorCode: number): DeleteRecordsResponse {
    return {
      throttleTimeMs: 0,
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, lowWatermark: -1n, errorCode })),
      })),
    };
  },
};
