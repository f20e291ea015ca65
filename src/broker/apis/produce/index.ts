/**
 * Producing: Produce (record batches in) and InitProducerId (producer ids and epochs for
 * idempotent and transactional producers).
 */
import type { ApiDefinition } from '../api.ts';
import { ApiKey } from '../api.ts';
import type { InitProducerIdRequest, InitProducerIdResponse } from './init-producer-id-types.ts';
import { initProducerIdV0 } from './init-producer-id-v0.ts';
import { initProducerIdV1 } from './init-producer-id-v1.ts';
import type { ProduceRequest, ProduceResponse } from './produce-types.ts';
import { produceV3 } from './produce-v3.ts';
import { produceV4 } from './produce-v4.ts';
import { produceV5 } from './produce-v5.ts';
import { produceV6 } from './produce-v6.ts';
import { produceV7 } from './produce-v7.ts';

export type * from './produce-types.ts';
export type * from './init-producer-id-types.ts';

export const produceApi: ApiDefinition<ProduceRequest, ProduceResponse> = {
  apiKey: ApiKey.Produce,
  name: 'Produce',
  codecs: [produceV3, produceV4, produceV5, produceV6, produceV7],
  errorResponse(req: ProduceRequest, errorCode: number): ProduceResponse {
    return {
      responses: req.topicData.map((t) => ({
        name: t.name,
        partitionResponses: t.partitionData.map((p) => ({
          index: p.index,
          errorCode,
          baseOffset: -1n,
          logAppendTimeMs: -1n,
          logStartOffset: -1n,
        })),
      })),
      throttleTimeMs: 0,
    };
  },
};

export const initProducerIdApi: ApiDefinition<InitProducerIdRequest, InitProducerIdResponse> = {
  apiKey: ApiKey.InitProducerId,
  name: 'InitProducerId',
  codecs: [initProducerIdV0, initProducerIdV1],
  errorResponse(_req: InitProducerIdRequest, errorCode: number): InitProducerIdResponse {
    return { throttleTimeMs: 0, errorCode, producerId: -1n, producerEpoch: -1 };
  },
};
