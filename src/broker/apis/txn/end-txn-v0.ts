/**
 * EndTxn v0 (apiKey 26). Grammar from Kafka's protocol guide:
 *
 *   EndTxn Request (Version: 0) => transactional_id producer_id producer_epoch committed
 *     transactional_id => STRING
 *     producer_id => INT64
 *     producer_epoch => INT16
 *     committed => BOOLEAN
 *
 *   EndTxn Response (Version: 0) => throttle_time_ms error_code
 *     throttle_time_ms => INT32
 *     error_code => INT16
 */
import type { ApiVersionCodec } from '../api.ts';
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';
import type { EndTxnRequest, EndTxnResponse } from './end-txn-types.ts';

export const endTxnV0: ApiVersionCodec<EndTxnRequest, EndTxnResponse> = {
  apiKey: ApiKey.EndTxn,
  version: 0,
  flexible: false,
  decodeRequest(r: Reader): EndTxnRequest {
    const transactionalId = r.string();
    const producerId = r.int64();
    const producerEpoch = r.int16();
    const committed = r.bool();
    return { transactionalId, producerId, producerEpoch, committed };
  },
  encodeResponse(w: Writer, res: EndTxnResponse): void {
    w.int32(res.throttleTimeMs).int16(res.errorCode);
  },
};
