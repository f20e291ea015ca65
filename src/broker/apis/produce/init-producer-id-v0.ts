/**
 * InitProducerId v0 (apiKey 22). Grammar from Kafka's protocol guide:
 *
 *   InitProducerId Request (Version: 0) => transactional_id transaction_timeout_ms
 *     transactional_id => NULLABLE_STRING
 *     transaction_timeout_ms => INT32
 *
 *   InitProducerId Response (Version: 0) => throttle_time_ms error_code producer_id producer_epoch
 *     throttle_time_ms => INT32
 *     error_code => INT16
 *     producer_id => INT64
 *     producer_epoch => INT16
 */
import type { ApiVersionCodec } from '../api.ts';
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';
import type { InitProducerIdRequest, InitProducerIdResponse } from './init-producer-id-types.ts';

export const initProducerIdV0: ApiVersionCodec<InitProducerIdRequest, InitProducerIdResponse> = {
  apiKey: ApiKey.InitProducerId,
  version: 0,
  flexible: false,
  decodeRequest(r: Reader): InitProducerIdRequest {
    const transactionalId = r.nullableString();
    const transactionTimeoutMs = r.int32();
    return { transactionalId, transactionTimeoutMs };
  },
  encodeResponse(w: Writer, res: InitProducerIdResponse): void {
    w.int32(res.throttleTimeMs).int16(res.errorCode).int64(res.producerId).int16(res.producerEpoch);
  },
};
